import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCKED_ERROR, createWebhookAgent, isPrivateAddress, sendWebhook } from '../src/index.ts';

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

describe('sendWebhook address guard', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      req.resume();
      req.on('end', () => res.writeHead(302, { location: '/elsewhere' }).end('moved'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const send = (url: string, allowPrivate: boolean) => {
    const agent = createWebhookAgent({ allowPrivate, timeoutMs: 5000 });
    return sendWebhook(url, { 'content-type': 'application/json' }, '{}', { dispatcher: agent, allowPrivate, timeoutMs: 5000 }).finally(
      () => agent.close(),
    );
  };

  it('refuses a literal private address and a name that resolves to one, before connecting', async () => {
    const before = hits;
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      `http://localhost:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      `http://[::ffff:0:127.0.0.1]:${port}/hook`,
      `http://[64:ff9b::7f00:1]:${port}/hook`,
      `http://[2002:7f00:1::1]:${port}/hook`,
    ]) {
      const r = await send(url, false);
      expect(r).toMatchObject({ status: null, blocked: true });
      expect(r.error).toMatch(new RegExp(`^${BLOCKED_ERROR} \\(`));
    }
    expect(hits).toBe(before);
  });

  it('connects when private targets are allowed, and does not follow a redirect', async () => {
    const before = hits;
    const r = await send(`http://localhost:${port}/hook`, true);
    expect(r).toMatchObject({ status: 302, error: 'HTTP 302', blocked: false, responseBody: 'moved' });
    expect(hits).toBe(before + 1);
  });

  it('reports a refused connection as a retryable error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await send(`http://127.0.0.1:${freePort}/`, true);
    expect(r).toMatchObject({ status: null, blocked: false });
    expect(r.error).toMatch(/ECONNREFUSED/);
  });
});
