import type { PlaybackBlock } from '@kino/artifacts';

/**
 * The api's playback block (`GET /v1/assets/{id}/playback`): everything a player needs to
 * start. A page may build one itself without a beacon, so that part is optional here.
 */
export type Bootstrap = Omit<PlaybackBlock, 'beacon'> & Partial<Pick<PlaybackBlock, 'beacon'>>;

/** Asks the page for a fresh bootstrap, typically from its own backend. */
export type RefreshBootstrap = () => Promise<Bootstrap>;

/**
 * What went wrong, as shown on screen, put in the `error` event and reported in beacons:
 * - `NOT_PLAYABLE`: the asset is not playable yet (a 404 `ASSET_NOT_PLAYABLE`; the player waits);
 * - `NOT_FOUND`: the playback URL names no asset it may play (a 404, e.g. unknown, deleted or
 *   not public, or a 400 for an id that is not one); the message is the server's;
 * - `UNAVAILABLE`: the playback URL answered another error (a 429 rate limit, a 5xx); the
 *   message is the server's, and a retry is offered;
 * - `INVALID_PLAYBACK`: `playback` is not a playback block (an asset, `{}`, JSON that does not
 *   parse, a URL answering something else); the message says what was expected;
 * - `TOKEN_EXPIRED`, `MEDIA`;
 * - `NETWORK`: no answer at all (offline, refused connection, an answer CORS hides); a retry
 *   is offered.
 */
export type PlayerErrorCode = 'NOT_PLAYABLE' | 'NOT_FOUND' | 'UNAVAILABLE' | 'INVALID_PLAYBACK' | 'TOKEN_EXPIRED' | 'NETWORK' | 'MEDIA';

export class PlayerError extends Error {
  constructor(
    readonly code: PlayerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface Rendition {
  name: string;
  height: number;
  bitrate: number;
}
