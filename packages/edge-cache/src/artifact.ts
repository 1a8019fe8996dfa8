// What the edge knows about an artifact from its path alone. Cache keys are
// `{asset_id}/{artifact path}`, the origin key minus its `videos/` prefix, so a key is also
// the file's path under the cache directory.

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ARTIFACT = 'opener\\.mp4|thumbnail\\.jpg|hls/master\\.m3u8|hls/[a-z0-9]{1,16}/(?:index\\.m3u8|init\\.mp4|(?:0|[1-9][0-9]{0,5})\\.m4s)';

/** Sources of the patterns, for parsers that embed them. */
export const ASSET_ID_PATTERN = UUID;
export const ARTIFACT_PATH_PATTERN = ARTIFACT;

const KEY = new RegExp(`^${UUID}/(?:${ARTIFACT})$`);

export const isArtifactKey = (key: string): boolean => KEY.test(key);
export const originKeyOf = (key: string): string => `videos/${key}`;

export interface ArtifactType {
  contentType: string;
  cacheControl: string;
  /** Startup artifacts (opener, playlists, init and first two segments) earn a RAM copy. */
  ram: boolean;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
// Short, so a re-published ladder reaches players within seconds of a purge.
const PLAYLIST = 'public, max-age=2';

const PLAYLIST_TYPE: ArtifactType = { contentType: 'application/vnd.apple.mpegurl', cacheControl: PLAYLIST, ram: true };
const MP4_RAM: ArtifactType = { contentType: 'video/mp4', cacheControl: IMMUTABLE, ram: true };
const JPEG: ArtifactType = { contentType: 'image/jpeg', cacheControl: IMMUTABLE, ram: false };
const FIRST_SEGMENT: ArtifactType = { contentType: 'video/iso.segment', cacheControl: IMMUTABLE, ram: true };
const SEGMENT: ArtifactType = { contentType: 'video/iso.segment', cacheControl: IMMUTABLE, ram: false };

/** The type of a path (or key) already known to be valid. */
export function artifactType(path: string): ArtifactType {
  if (path.endsWith('.m3u8')) return PLAYLIST_TYPE;
  if (path.endsWith('.mp4')) return MP4_RAM; // opener.mp4 or an init.mp4
  if (path.endsWith('.jpg')) return JPEG;
  return path.endsWith('/0.m4s') || path.endsWith('/1.m4s') ? FIRST_SEGMENT : SEGMENT;
}
