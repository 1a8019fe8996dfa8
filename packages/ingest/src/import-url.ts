import { checkLiteralHost, type EgressPolicy } from '@kino/egress';

// What a URL import may name, checked when the import is asked for and again at every hop
// of the fetch (a redirect is a new URL). Reasons are words about the URL, never the URL:
// it may carry a credential (another cloud's presigned URL).

/**
 * Longer URLs are refused. Presigned URLs carrying a session token (AWS STS, for one) pass
 * 2 KiB, so the bound sits above them.
 */
export const MAX_IMPORT_URL_LENGTH = 4096;

export type ImportUrlProblem = 'too_long' | 'malformed' | 'scheme' | 'credentials' | 'private';

export type ImportUrlCheck = { ok: true; url: URL } | { ok: false; problem: ImportUrlProblem };

/** Whether the platform would fetch `target` (a string as sent, or a redirect already resolved against its base). */
export function checkImportUrl(target: string | URL, policy: EgressPolicy): ImportUrlCheck {
  const raw = typeof target === 'string' ? target : target.href;
  if (raw.length > MAX_IMPORT_URL_LENGTH) return { ok: false, problem: 'too_long' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return { ok: false, problem: 'scheme' };
  // A user name and password would go out as Basic auth to every hop; a presigned URL is how
  // a private source is shared.
  if (url.username !== '' || url.password !== '') return { ok: false, problem: 'credentials' };
  if (checkLiteralHost(url.hostname, policy)) return { ok: false, problem: 'private' };
  return { ok: true, url };
}
