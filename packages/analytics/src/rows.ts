import { classify, type ArtifactKind, type PlayerEventType } from '@kino/artifacts';

// The shapes of telemetry rows as they are inserted (JSONEachRow) and what the edge knows
// of an artifact from its path alone.

/**
 * Telemetry counts the master with the rendition playlists: analytics answer "playlist"
 * for both (the README and stored rows say so), so a master row is recorded as one.
 */
export type TelemetryArtifactKind = Exclude<ArtifactKind, 'master'>;

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
  artifact_kind: TelemetryArtifactKind | '';
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

/** Column order of the JSONCompactEachRow lines each table's rows are encoded to. */
export const COLUMNS: { readonly [T in TelemetryTable]: readonly string[] } = {
  playback_requests: [
    'event_id',
    'observed_at',
    'account_id',
    'asset_id',
    'artifact_path',
    'artifact_kind',
    'rendition',
    'edge_id',
    'region',
    'cache_status',
    'status_code',
    'bytes_served',
    'duration_ms',
    'error_code',
  ],
  player_events: [
    'event_id',
    'observed_at',
    'client_at',
    'account_id',
    'asset_id',
    'view_id',
    'edge_id',
    'region',
    'type',
    'position',
    'value_ms',
    'rendition',
    'bitrate',
    'error_code',
  ],
};

/**
 * A row as the one JSON line it is stored, sent and spooled as. Encoding when the row is
 * recorded means a queued row is one flat string rather than an object graph the GC must
 * trace until its batch leaves, and the client has nothing left to serialise.
 */
export function encodePlaybackRequest(r: PlaybackRequestRow): string {
  return JSON.stringify([
    r.event_id,
    r.observed_at,
    r.account_id,
    r.asset_id,
    r.artifact_path,
    r.artifact_kind,
    r.rendition,
    r.edge_id,
    r.region,
    r.cache_status,
    r.status_code,
    r.bytes_served,
    r.duration_ms,
    r.error_code,
  ]);
}

export function encodePlayerEvent(r: PlayerEventRow): string {
  return JSON.stringify([
    r.event_id,
    r.observed_at,
    r.client_at,
    r.account_id,
    r.asset_id,
    r.view_id,
    r.edge_id,
    r.region,
    r.type,
    r.position,
    r.value_ms,
    r.rendition,
    r.bitrate,
    r.error_code,
  ]);
}

/** 'hls/720p/3.m4s' → segment of 720p; the path is one the edge already accepted. */
export function describeArtifact(path: string): { kind: TelemetryArtifactKind; rendition: string } {
  const { kind, rendition } = classify(path);
  return { kind: kind === 'master' ? 'playlist' : kind, rendition };
}
