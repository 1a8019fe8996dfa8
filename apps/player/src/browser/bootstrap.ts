import { errorOf } from './error-code.ts';
import { PlayerError, type Bootstrap } from './types.ts';

/** The `playback` attribute holds the bootstrap itself (JSON) or a URL that answers with it. */
export const isInline = (playback: string): boolean => /^\s*[[{]/.test(playback);

/** The absolute URL `playback` names, when it is one. */
export function bootstrapUrl(playback: Bootstrap | string): string | undefined {
  if (typeof playback !== 'string' || isInline(playback)) return undefined;
  try {
    return new URL(playback, document.baseURI).toString();
  } catch {
    return undefined;
  }
}

const EXPECTED =
  'playback must be the block from GET /v1/assets/{id}/playback (asset_id, urls.master or urls.opener, prefetch, expires_at …), ' +
  'as an object, as JSON, or as a URL answering with it';
const invalid = (why: string) => new PlayerError('INVALID_PLAYBACK', `${EXPECTED}; ${why}.`);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUrlOrNone = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v !== '');
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

/**
 * The bootstrap's shape, checked where it comes in (attribute, object, URL, refresh), so a
 * wrong one is an `INVALID_PLAYBACK` error saying what was expected rather than a TypeError
 * deep inside. Checks what the player reads, and no more: new fields pass.
 */
export function checkBootstrap(value: unknown): Bootstrap {
  if (!isRecord(value)) throw invalid(`got ${kindOf(value)}`);
  const b = value;
  if (Object.keys(b).length === 0) throw invalid('got an empty object');
  if (isRecord(b['error'])) {
    const e = b['error'];
    throw invalid(`got an error answer (${String(e['code'] ?? 'no code')}: ${String(e['message'] ?? 'no message')})`);
  }
  if (b['asset_id'] === undefined && typeof b['id'] === 'string') {
    throw invalid('this looks like an asset (GET /v1/assets/{id}), not its playback block');
  }
  const wrong: string[] = [];
  if (typeof b['asset_id'] !== 'string' || !b['asset_id']) wrong.push('asset_id');
  if (typeof b['playable_state'] !== 'string') wrong.push('playable_state');
  if (typeof b['expires_at'] !== 'string' || Number.isNaN(Date.parse(b['expires_at']))) wrong.push('expires_at');
  const urls = b['urls'];
  if (!isRecord(urls)) wrong.push('urls');
  else {
    for (const k of ['master', 'opener', 'thumbnail']) if (!isUrlOrNone(urls[k])) wrong.push(`urls.${k}`);
    // Newer than the rest: a page's own block may leave it out.
    if (urls['storyboard'] !== undefined && !isUrlOrNone(urls['storyboard'])) wrong.push('urls.storyboard');
    if (typeof urls['master'] !== 'string' && typeof urls['opener'] !== 'string') wrong.push('urls.master or urls.opener');
  }
  const hints = b['prefetch'];
  if (!Array.isArray(hints) || !hints.every((u) => typeof u === 'string')) wrong.push('prefetch');
  const startup = b['startup_rendition'];
  if (startup !== undefined && startup !== null && typeof startup !== 'string') wrong.push('startup_rendition');
  const beacon = b['beacon'];
  if (beacon !== undefined && !(isRecord(beacon) && typeof beacon['url'] === 'string' && typeof beacon['token'] === 'string')) {
    wrong.push('beacon');
  }
  if (wrong.length) throw invalid(`missing or wrong: ${wrong.join(', ')}`);
  return b as unknown as Bootstrap;
}

function parseInline(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (err) {
    throw invalid(`this JSON does not parse (${err instanceof Error ? err.message : String(err)})`);
  }
}

/**
 * Fetches a bootstrap; a 404 ASSET_NOT_PLAYABLE means "not yet", anything else is a failure.
 * Every HTTP error answer says what it was (NOT_FOUND, UNAVAILABLE, with the server's
 * message); only a request that got no answer is NETWORK.
 * `untilPlayable` adds `wait=playable`: a server that knows it (Kino's player routes) holds
 * the answer until the asset is playable, within a bound; others ignore it.
 */
export async function fetchBootstrap(url: string, o: { untilPlayable?: boolean } = {}): Promise<Bootstrap> {
  let res: Response;
  try {
    const target = new URL(url);
    if (o.untilPlayable) target.searchParams.set('wait', 'playable');
    res = await fetch(target, { headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new PlayerError('NETWORK', 'The video could not be loaded; check the connection.');
  }
  if (res.ok) {
    let body: unknown;
    try {
      body = await res.json();
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw new PlayerError('NETWORK', 'The video could not be loaded; check the connection.');
      throw invalid(`${url} answered ${res.headers.get('content-type')?.split(';')[0] || 'something'} that is not JSON`);
    }
    return checkBootstrap(body);
  }
  const e = await errorOf(res);
  if (e.code === 'ASSET_NOT_PLAYABLE') throw new PlayerError('NOT_PLAYABLE', 'The video is not playable yet.');
  const message = e.message ?? `The video could not be loaded (HTTP ${res.status}).`;
  // A 400 from a bootstrap URL: a malformed id (or parameter) in the URL the page was given, which names no asset either.
  throw new PlayerError(res.status === 404 || res.status === 410 || res.status === 400 ? 'NOT_FOUND' : 'UNAVAILABLE', message);
}

/** The bootstrap `playback` stands for, checked; a wrong one rejects with INVALID_PLAYBACK. */
export async function resolveBootstrap(playback: string | Bootstrap, o: { untilPlayable?: boolean } = {}): Promise<Bootstrap> {
  if (typeof playback !== 'string') return checkBootstrap(playback);
  if (isInline(playback)) return checkBootstrap(parseInline(playback));
  const url = bootstrapUrl(playback);
  if (!url) throw invalid(`got ${JSON.stringify(playback.slice(0, 80))}, neither JSON nor a URL`);
  return fetchBootstrap(url, o);
}
