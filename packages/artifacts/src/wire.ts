// What the api, the edge and the browser player say to each other. The player bundles this
// file (it has no dependencies), so the three cannot drift apart.

/** The api's playback block (`GET /v1/assets/{id}/playback`): everything a player needs to start. */
export interface PlaybackBlock {
  asset_id: string;
  playable_state: 'opener_ready' | 'hls_ready';
  expires_at: string;
  edge: { id: string | null; region: string | null; url: string };
  /** The rendition to start on; its first segments are in `prefetch`. */
  startup_rendition: string | null;
  /** `storyboard`: the WebVTT file whose cues point into the sprite sheet (`storyboard.jpg#xywh=…`, relative to it). */
  urls: { master: string | null; opener: string | null; thumbnail: string | null; storyboard: string | null };
  /** URLs worth fetching at page load, most important first. */
  prefetch: string[];
  /** Where the player posts QoE beacons, authorized by this block's token (see the edge's /beacon). */
  beacon: { url: string; token: string };
}

/** QoE events a player reports through an edge's `POST /beacon`. */
export const PLAYER_EVENT_TYPES = [
  'view_start',
  'first_frame',
  'rebuffer_start',
  'rebuffer_end',
  'rendition_switch',
  'error',
  'view_end',
] as const;
export type PlayerEventType = (typeof PLAYER_EVENT_TYPES)[number];

/** What one beacon may carry. */
export const BEACON_LIMITS = { maxEvents: 64, maxBytes: 16 * 1024 } as const;
