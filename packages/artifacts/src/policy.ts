import { classify, STARTUP_SEGMENTS, STORYBOARD_VTT_PATH, type ArtifactKind } from './paths.ts';

// How each kind is served: one table for the origin (set on upload) and the edge (set on
// every answer). Segments, init, opener, thumbnail, storyboard and images never change
// under their key (an image's key is its every parameter).
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
  /** The sprite sheet; its WebVTT file is served as such (see policyOf). */
  storyboard: { contentType: 'image/jpeg', originCacheControl: IMMUTABLE, edgeCacheControl: IMMUTABLE, ram: false },
  /** A JPEG still; the other formats by their extension (see policyOf). */
  image: { contentType: 'image/jpeg', originCacheControl: IMMUTABLE, edgeCacheControl: IMMUTABLE, ram: false },
};

const STORYBOARD_VTT: ArtifactPolicy = { ...POLICIES.storyboard, contentType: 'text/vtt' };
const IMAGE_BY_EXTENSION: Readonly<Record<string, ArtifactPolicy>> = {
  jpg: POLICIES.image,
  png: { ...POLICIES.image, contentType: 'image/png' },
  webp: { ...POLICIES.image, contentType: 'image/webp' },
  gif: { ...POLICIES.image, contentType: 'image/gif' },
};

const STARTUP_SEGMENT: ArtifactPolicy = { ...POLICIES.segment, ram: true };

/** The policy of a valid artifact path; the first segments of a rendition are startup files. */
export function policyOf(path: string): ArtifactPolicy {
  const info = classify(path);
  if (info.kind === 'segment' && info.segment! < STARTUP_SEGMENTS) return STARTUP_SEGMENT;
  if (path === STORYBOARD_VTT_PATH) return STORYBOARD_VTT;
  if (info.kind === 'image') return IMAGE_BY_EXTENSION[path.slice(path.lastIndexOf('.') + 1)]!;
  return POLICIES[info.kind];
}
