// ffmpeg names its inputs in what it prints: a presigned origin URL (signature, access key
// id, internal host) or a scratch path. Its words reach job records, logs and, through the
// asset's error, the uploader; each of those gets the words without the names.

const URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]*/gi;
/** Query parameters of a presigned URL that survive without their URL. */
const AMZ = /[^\s'"<>]*X-Amz-[^\s'"<>]*/gi;
/** Absolute paths: a slash at the start of a word (so `30000/1001` and `I/O` are kept). */
const PATH = /(^|[\s'"([=,:])(?:file:)?\/[^\s'"<>)\],]+/g;
/** AWS-style access key ids. */
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g;
/** Addresses as socket errors print them: `10.1.2.3:9000`, `[::1]:5432`. */
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g;
const IPV6 = /\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d+)?/gi;
/** The name a resolver failed on: `getaddrinfo ENOTFOUND minio.internal`. */
const RESOLVER = /\b(ENOTFOUND|EAI_AGAIN|EAI_NONAME)\s+[^\s;,()]+/g;

/**
 * `text` with URLs, `X-Amz-*` parameters, absolute paths, access key ids, IP addresses and
 * names a resolver failed on replaced by placeholders, and so every string in `literals`
 * (host names, key ids a deployment uses).
 */
export function scrub(text: string, literals: readonly string[] = []): string {
  let out = text;
  for (const literal of literals) if (literal.length >= 3) out = out.split(literal).join('<redacted>');
  return out
    .replace(URL, '<url>')
    .replace(AMZ, '<redacted>')
    .replace(PATH, '$1<path>')
    .replace(ACCESS_KEY_ID, '<redacted>')
    .replace(RESOLVER, '$1 <host>')
    .replace(IPV6, '<host>')
    .replace(IPV4, '<host>');
}

/** Host names and `host:port`s of the URLs in a command, which ffmpeg may print bare. */
export function hostsIn(args: readonly string[]): string[] {
  const hosts = new Set<string>();
  for (const arg of args) {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) continue;
    try {
      const u = new globalThis.URL(arg);
      if (u.host) hosts.add(u.host);
      if (u.hostname) hosts.add(u.hostname);
      if (u.username) hosts.add(u.username);
    } catch {
      // not a URL after all
    }
  }
  // Longest first, so `host:port` goes before its `host`.
  return [...hosts].sort((a, b) => b.length - a.length);
}
