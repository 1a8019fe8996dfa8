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

// The outputs of a user's job (the jobs API): `jobs/{job_id}/{name}`, the name the caller
// chose (checked by JOB_OUTPUT_NAME). Not artifacts of an asset: never served by the edge,
// only streamed by the api behind a signed download URL.
const JOBS = 'jobs/';

/** The file names a job's outputs may have: a plain name and an extension of JOB_OUTPUT_EXTENSIONS. */
export const JOB_OUTPUT_EXTENSIONS = [
  'mp4',
  'm4a',
  'mov',
  'mkv',
  'webm',
  'mp3',
  'wav',
  'flac',
  'ogg',
  'opus',
  'gif',
  'jpg',
  'png',
  'webp',
] as const;
export type JobOutputExtension = (typeof JOB_OUTPUT_EXTENSIONS)[number];
export const JOB_OUTPUT_NAME = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_-]{0,62}\\.(?:${JOB_OUTPUT_EXTENSIONS.join('|')})$`);

/** Everything a job stored. */
export const jobPrefix = (jobId: string): string => `${JOBS}${jobId}/`;
export const jobOutputKey = (jobId: string, name: string): string => `${jobPrefix(jobId)}${name}`;

const OUTPUT_TYPES: Record<JobOutputExtension, string> = {
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  gif: 'image/gif',
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};
/** The Content-Type of a job output, by its name's extension. */
export const jobOutputContentType = (name: string): string =>
  OUTPUT_TYPES[name.slice(name.lastIndexOf('.') + 1) as JobOutputExtension] ?? 'application/octet-stream';
