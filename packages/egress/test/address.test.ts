import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../src/index.ts';

describe('isPrivateAddress', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '127.0.0.1',
    '127.8.9.10',
    '169.254.169.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
    '::',
    '::1',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::127.0.0.1',
    '64:ff9b::a00:1',
    '2002:c0a8:101::1',
    '[::1]',
    'not-an-address',
  ])('refuses %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  // IPv6 forms that reach an IPv4 address, and relay or tunnel ranges (issue 10).
  it.each([
    // IPv4-translated (RFC 2765/6145 SIIT), dotted and hex
    '::ffff:0:127.0.0.1',
    '::ffff:0:7f00:1',
    '::ffff:0:10.0.0.1',
    '::ffff:0:169.254.169.254',
    '[::ffff:0:192.168.0.1]',
    // NAT64 well-known prefix with internal IPv4 inside; the local-use prefix always
    '64:ff9b::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::192.168.1.1',
    '64:ff9b:1::808:808',
    // 6to4 with an internal IPv4 inside, and the 6to4 relay anycast range itself
    '2002:7f00:1::1',
    '2002:a9fe:a9fe::',
    '2002:a00:1:1::1',
    '192.88.99.1',
    '::ffff:192.88.99.1',
    '2002:c058:6301::1',
    // Teredo and the rest of 2001::/23, documentation
    '2001::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001:2::1',
    '2001:10::1',
    '2001:1ff::1',
    '2001:db8::1',
    '3fff::1',
    // AS112 / AMT special-purpose IPv4
    '192.31.196.1',
    '192.52.193.1',
    '192.175.48.1',
    // Outside 2000::/3: IPv4-compatible, discard-only, reserved, site-local
    '::8.8.8.8',
    '100::1',
    '4000::1',
    'fec0::1',
    '1::1',
    // ISATAP identifier naming an internal IPv4 endpoint
    '2606:4700::5efe:10.0.0.1',
    '2606:4700::200:5efe:127.0.0.1',
  ])('refuses the embedded or relayed %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '::ffff:0:8.8.8.8',
    '2001:200::1',
    '2606:4700::5efe:8.8.8.8',
    '2a00:1450:4001::200e',
  ])('lets %s through', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});
