import { errorCodeOf } from './error-code.ts';
import { PlayerError, type Bootstrap } from './types.ts';

/** The `playback` attribute holds the bootstrap itself (JSON) or a URL that answers with it. */
export const isInline = (playback: string): boolean => playback.trimStart().startsWith('{');

/**
 * Fetches a bootstrap; a 404 ASSET_NOT_PLAYABLE means "not yet", anything else is a failure.
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
  if (res.ok) return (await res.json()) as Bootstrap;
  if ((await errorCodeOf(res)) === 'ASSET_NOT_PLAYABLE') throw new PlayerError('NOT_PLAYABLE', 'The video is not playable yet.');
  throw new PlayerError('NETWORK', `The video could not be loaded (HTTP ${res.status}).`);
}

export function resolveBootstrap(playback: string | Bootstrap, o: { untilPlayable?: boolean } = {}): Promise<Bootstrap> {
  if (typeof playback !== 'string') return Promise.resolve(playback);
  if (isInline(playback)) return Promise.resolve(JSON.parse(playback) as Bootstrap);
  return fetchBootstrap(new URL(playback, document.baseURI).toString(), o);
}
