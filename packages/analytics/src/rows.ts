// The shapes of telemetry rows as they are inserted (JSONEachRow) and what the edge knows
// of an artifact from its path alone.

export const ARTIFACT_KINDS = ['opener', 'thumbnail', 'playlist', 'init', 'segment'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** One playback request an edge answered. Never a token, query string, address or header. */
export interface PlaybackRequestRow {
  event_id: string;
  /** Epoch milliseconds. */
  observed_at: number;
  /** '' when the request proved no account (no genuine token). */
  account_id: string;
  /** '' when the path named no asset. */
  asset_id: string;
  /** The artifact path within the asset ('hls/720p/3.m4s'), '' when the path was refused. */
  artifact_path: string;
  artifact_kind: ArtifactKind | '';
  rendition: string;
  edge_id: string;
  region: string;
  /** HIT, MISS, COALESCED, or NONE when refused before the cache. */
  cache_status: string;
  status_code: number;
  bytes_served: number;
  duration_ms: number;
  /** The error code of a refusal or failure ('TOKEN_EXPIRED'), '' on success. */
  error_code: string;
}

export const PLAYER_EVENT_TYPES = [
  'view_start', 'first_frame', 'rebuffer_start', 'rebuffer_end', 'rendition_switch', 'error', 'view_end',
] as const;
export type PlayerEventType = (typeof PLAYER_EVENT_TYPES)[number];

/** One QoE event a player reported through an edge's /beacon. */
export interface PlayerEventRow {
  event_id: string;
  /** When the edge received it, epoch milliseconds. */
  observed_at: number;
  /** When the player says it happened, epoch milliseconds. */
  client_at: number;
  account_id: string;
  asset_id: string;
  view_id: string;
  edge_id: string;
  region: string;
  type: PlayerEventType;
  position: number;
  value_ms: number;
  rendition: string;
  bitrate: number;
  error_code: string;
}

export type TelemetryTable = 'playback_requests' | 'player_events';

/** 'hls/720p/3.m4s' → segment of 720p; the path is one the edge already accepted. */
export function describeArtifact(path: string): { kind: ArtifactKind; rendition: string } {
  if (path === 'opener.mp4') return { kind: 'opener', rendition: '' };
  if (path === 'thumbnail.jpg') return { kind: 'thumbnail', rendition: '' };
  if (path === 'hls/master.m3u8') return { kind: 'playlist', rendition: '' };
  // hls/{rendition}/{index.m3u8 | init.mp4 | n.m4s}
  const slash = path.indexOf('/', 4);
  const rendition = path.slice(4, slash);
  const file = path.slice(slash + 1);
  const kind = file === 'index.m3u8' ? 'playlist' : file === 'init.mp4' ? 'init' : 'segment';
  return { kind, rendition };
}
