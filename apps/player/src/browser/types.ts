/** The api's playback block (`GET /v1/assets/{id}/playback`): everything a player needs to start. */
export interface Bootstrap {
  asset_id: string;
  playable_state: 'opener_ready' | 'hls_ready';
  expires_at: string;
  edge: { id: string | null; region: string | null; url: string };
  startup_rendition: string | null;
  urls: { master: string | null; opener: string | null; thumbnail: string | null };
  prefetch: string[];
  beacon?: { url: string; token: string };
}

/** Asks the page for a fresh bootstrap, typically from its own backend. */
export type RefreshBootstrap = () => Promise<Bootstrap>;

/** What went wrong, as shown on screen, put in the `error` event and reported in beacons. */
export type PlayerErrorCode = 'NOT_PLAYABLE' | 'TOKEN_EXPIRED' | 'NETWORK' | 'MEDIA';

export class PlayerError extends Error {
  constructor(readonly code: PlayerErrorCode, message: string) {
    super(message);
  }
}

export interface Rendition {
  name: string;
  height: number;
  bitrate: number;
}
