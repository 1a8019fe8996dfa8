import { isIP } from 'node:net';

// Which addresses count as private. Everything the platform fetches on a customer's behalf
// (webhook deliveries, URL imports) is refused when it would reach one of them: without
// that, `http://169.254.169.254/` or `http://10.0.0.5:5432/` would have us probe our own
// infrastructure. See guard.ts for where the check is made.

/** [first address as an unsigned 32-bit number, prefix length] */
const V4_BLOCKED: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.31.196.0', 24], // AS112 (DNS sink for private reverse zones)
  ['192.52.193.0', 24], // AMT relays
  ['192.88.99.0', 24], // 6to4 relay anycast: forwards to whatever IPv6 address follows
  ['192.168.0.0', 16], // private
  ['192.175.48.0', 24], // AS112 direct delegation
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

function v4ToInt(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

const V4_RANGES = V4_BLOCKED.map(([base, bits]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (v4ToInt(base)! & mask) >>> 0, mask };
});

function v4Blocked(n: number): boolean {
  return V4_RANGES.some((r) => (n & r.mask) >>> 0 === r.base);
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped), or null. */
function parseV6(input: string): number[] | null {
  let s = input.split('%')[0]!;
  // A trailing dotted quad (::ffff:127.0.0.1) becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const n = v4ToInt(dotted[1]!);
    if (n === null) return null;
    s = `${s.slice(0, -dotted[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const group = (h: string) => (h === '' ? [] : h.split(':'));
  const head = group(halves[0]!);
  const tail = halves.length === 2 ? group(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const out: number[] = [];
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    out.push(parseInt(g, 16));
  }
  return out;
}

const v4Of = (hi: number, lo: number) => ((hi << 16) >>> 0) + lo;

function v6Blocked(g: number[]): boolean {
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const embedded = () => v4Blocked(v4Of(g[6]!, g[7]!));
  // Forms that carry an IPv4 address in their last 32 bits and reach it (through the
  // dual-stack socket, SIIT or a NAT64 gateway): judged by that IPv4 address.
  if (zero(0, 5) && g[5] === 0xffff) return embedded(); // IPv4-mapped ::ffff:a.b.c.d
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return embedded(); // IPv4-translated ::ffff:0:a.b.c.d (RFC 2765/6145)
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return embedded(); // NAT64 well-known prefix 64:ff9b::/96
  // Everything else outside 2000::/3 is not global unicast: unspecified, loopback,
  // IPv4-compatible (::a.b.c.d), NAT64 local-use 64:ff9b:1::/48, discard 100::/64,
  // unique-local fc00::/7, link-local fe80::/10, site-local fec0::/10, multicast ff00::/8,
  // and space IANA has not allocated. An allowlist, so a range we forgot is refused.
  if ((g[0]! & 0xe000) !== 0x2000) return true;
  // 6to4 (2002::/16) is routed to the IPv4 address in its next 32 bits.
  if (g[0] === 0x2002) return v4Blocked(v4Of(g[1]!, g[2]!));
  // 2001::/23 is IETF protocol assignments: Teredo 2001::/32 (a tunnel to an obscured
  // IPv4 address and port), benchmarking 2001:2::/48, ORCHID, AMT, AS112, ...
  if (g[0] === 0x2001 && g[1]! < 0x200) return true;
  if (g[0] === 0x2001 && g[1] === 0xdb8) return true; // documentation 2001:db8::/32
  if (g[0] === 0x3fff && g[1]! < 0x1000) return true; // documentation 3fff::/20 (RFC 9637)
  // ISATAP interface identifiers (::0:5efe:a.b.c.d, ::200:5efe:a.b.c.d) name an IPv4
  // tunnel endpoint; one inside our network is refused whatever the prefix.
  if ((g[4] === 0 || g[4] === 0x200) && g[5] === 0x5efe && embedded()) return true;
  return false;
}

/**
 * True for any address that is not a public unicast one: private, shared, loopback,
 * link-local, unique-local, unspecified, multicast, reserved, documentation, relay and
 * tunnel ranges, IPv6 outside global unicast (2000::/3), and IPv6 forms that embed one of
 * the blocked IPv4 addresses (mapped, translated, NAT64, 6to4). Anything unparseable
 * counts as blocked.
 */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '');
  switch (isIP(ip.split('%')[0]!)) {
    case 4:
      return v4Blocked(v4ToInt(ip)!);
    case 6: {
      const g = parseV6(ip);
      return g === null || v6Blocked(g);
    }
    default:
      return true;
  }
}
