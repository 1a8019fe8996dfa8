import { ARTIFACT_PATH_PATTERN, ASSET_ID_PATTERN } from './paths.ts';

// Where things live in the origin bucket. Uploads under `sources/`, artifacts under
// `videos/`; the edge's cache key is an artifact's key without its `videos/` prefix, so it
// is also the file's path under the cache directory.

const SOURCES = 'sources/';
const VIDEOS = 'videos/';

/** Every upload, for sweeps of abandoned multipart uploads. */
export const SOURCES_PREFIX = SOURCES;
/** Everything an asset's upload left: the source object and any multipart parts. */
export const sourcePrefix = (assetId: string): string => `${SOURCES}${assetId}/`;
export const sourceKeyFor = (assetId: string): string => `${sourcePrefix(assetId)}original`;
const SOURCE_KEY = new RegExp(`^${SOURCES}(${ASSET_ID_PATTERN})/`);
/** The asset a key under `sources/` belongs to (a multipart upload's key, say). */
export const assetIdOfSourceKey = (key: string): string | undefined => SOURCE_KEY.exec(key)?.[1];

/** Everything an asset published, or (with `path`, e.g. `hls/`) the part under one directory. */
export const artifactPrefix = (assetId: string, path = ''): string => `${VIDEOS}${assetId}/${path}`;
export const artifactKeyFor = (assetId: string, path: string): string => artifactPrefix(assetId, path);

const ARTIFACT_KEY = new RegExp(`^${VIDEOS}(${ASSET_ID_PATTERN})/(${ARTIFACT_PATH_PATTERN})$`);
/** The asset and artifact path an artifact's origin key names; undefined for any other key. */
export function parseArtifactKey(key: string): { assetId: string; path: string } | undefined {
  const m = ARTIFACT_KEY.exec(key);
  return m ? { assetId: m[1]!, path: m[2]! } : undefined;
}

/** `{asset_id}/{artifact path}`: how the edge names an artifact in its cache. */
export const cacheKeyFor = (assetId: string, path: string): string => `${assetId}/${path}`;
/** The origin key of an edge cache key. */
export const originKeyOf = (cacheKey: string): string => `${VIDEOS}${cacheKey}`;
/** The artifact path of an edge cache key. */
export const pathOfCacheKey = (cacheKey: string): string => cacheKey.slice(cacheKey.indexOf('/') + 1);

const CACHE_KEY = new RegExp(`^${ASSET_ID_PATTERN}/(?:${ARTIFACT_PATH_PATTERN})$`);
/** Whether a string is a valid edge cache key (a file found on disk, a path in a warm request). */
export const isCacheKey = (key: string): boolean => CACHE_KEY.test(key);
