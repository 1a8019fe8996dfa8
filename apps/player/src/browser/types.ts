import type { PlaybackBlock } from '@kino/artifacts';

/**
 * The api's playback block (`GET /v1/assets/{id}/playback`): everything a player needs to
 * start. A page may build one itself without a beacon, so that part is optional here.
 */
export type Bootstrap = Omit<PlaybackBlock, 'beacon'> & Partial<Pick<PlaybackBlock, 'beacon'>>;

/** Asks the page for a fresh bootstrap, typically from its own backend. */
export type RefreshBootstrap = () => Promise<Bootstrap>;

/** What went wrong, as shown on screen, put in the `error` event and reported in beacons. */
export type PlayerErrorCode = 'NOT_PLAYABLE' | 'TOKEN_EXPIRED' | 'NETWORK' | 'MEDIA';

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
