import { classify, STARTUP_SEGMENTS, type ArtifactKind } from './paths.ts';

// How each kind is served: one table for the origin (set on upload) and the edge (set on
// every answer). Segments, init, opener and thumbnail never change under their key.
// Playlists do when a retried job re-publishes a ladder: the origin lets them be reused for
// a minute, the edge for two seconds so a re-published ladder reaches players quickly
// after a purge.

export interface ArtifactPolicy {
  contentType: string;
  /** Cache-Control stored with the object at the origin. */
  originCacheControl: string;
  /** Cache-Control the edge answers with. */
  edgeCacheControl: string;
  /** Startup artifacts (opener, playlists, init and first segments) earn an edge RAM copy. */
  ram: boolean;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const HLS_PLAYLIST = 'application/vnd.apple.mpegurl';
const playlist: ArtifactPolicy = {
  contentType: HLS_PLAYLIST,
  originCacheControl: 'public, max-age=60',
  edgeCacheControl: 'public, max-age=2',
  ram: true,
};

export const POLICIES: Readonly<Record<ArtifactKind, ArtifactPolicy>> = {
  opener: { contentType: 'video/mp4', originCacheControl: IMMUTABLE, edgeCacheControl: IMMUTABLE, ram: true },
  thumbnail: { contentType: 'image/jpeg', originCacheControl: IMMUTABLE, edgeCacheControl: IMMUTABLE, ram: false },
  master: playlist,
  playlist,
  init: { contentType: 'video/mp4', originCacheControl: IMMUTABLE, edgeCacheControl: IMMUTABLE, ram: true },
  segment: { contentType: 'video/iso.segment', originCacheControl: IMMUTABLE, edgeCacheControl: IMMUTABLE, ram: false },
};

const STARTUP_SEGMENT: ArtifactPolicy = { ...POLICIES.segment, ram: true };

/** The policy of a valid artifact path; the first segments of a rendition are startup files. */
export function policyOf(path: string): ArtifactPolicy {
  const info = classify(path);
  if (info.kind === 'segment' && info.segment! < STARTUP_SEGMENTS) return STARTUP_SEGMENT;
  return POLICIES[info.kind];
}
