import { errorCodeOf } from './error-code.ts';
import { PlayerError, type Bootstrap } from './types.ts';

/** The `playback` attribute holds the bootstrap itself (JSON) or a URL that answers with it. */
export const isInline = (playback: string): boolean => playback.trimStart().startsWith('{');

/** Fetches a bootstrap; a 404 ASSET_NOT_PLAYABLE means "not yet", anything else is a failure. */
export async function fetchBootstrap(url: string): Promise<Bootstrap> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new PlayerError('NETWORK', 'The video could not be loaded; check the connection.');
  }
  if (res.ok) return (await res.json()) as Bootstrap;
  if ((await errorCodeOf(res)) === 'ASSET_NOT_PLAYABLE') throw new PlayerError('NOT_PLAYABLE', 'The video is not playable yet.');
  throw new PlayerError('NETWORK', `The video could not be loaded (HTTP ${res.status}).`);
}

export function resolveBootstrap(playback: string | Bootstrap): Promise<Bootstrap> {
  if (typeof playback !== 'string') return Promise.resolve(playback);
  if (isInline(playback)) return Promise.resolve(JSON.parse(playback) as Bootstrap);
  return fetchBootstrap(new URL(playback, document.baseURI).toString());
}
