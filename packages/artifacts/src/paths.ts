// The artifact path grammar: what an asset publishes, relative to its own prefix, and what
// each path is. Everything that names, checks or classifies an artifact reads it here.

import { IMAGE_PATH_PATTERN, IMAGES_PREFIX } from './images.ts';

export type ArtifactKind = 'opener' | 'thumbnail' | 'master' | 'playlist' | 'init' | 'segment' | 'storyboard' | 'image';
export const ARTIFACT_KINDS: readonly ArtifactKind[] = [
  'opener',
  'thumbnail',
  'master',
  'playlist',
  'init',
  'segment',
  'storyboard',
  'image',
];

const SEGMENT_EXTENSION = '.m4s';

/** File names inside the HLS directory, as the ladder writes them. */
export const HLS_FILES = {
  master: 'master.m3u8',
  playlist: 'index.m3u8',
  init: 'init.mp4',
  segmentExtension: SEGMENT_EXTENSION,
  /** ffmpeg's `-hls_segment_filename` template. */
  segmentTemplate: `%d${SEGMENT_EXTENSION}`,
} as const;

export const OPENER_PATH = 'opener.mp4';
export const THUMBNAIL_PATH = 'thumbnail.jpg';
/** The storyboard: a sprite sheet of small frames, and the WebVTT file that says where each time's frame is in it. */
export const STORYBOARD_SPRITE_PATH = 'storyboard.jpg';
export const STORYBOARD_VTT_PATH = 'storyboard.vtt';
const HLS_DIR = 'hls';
export const HLS_PREFIX = `${HLS_DIR}/`;
export const MASTER_PATH = `${HLS_DIR}/${HLS_FILES.master}`;

/** A segment file name: `3.m4s`. */
export const segmentFile = (index: number): string => `${index}${SEGMENT_EXTENSION}`;
/** `hls/{rendition}/`: the rendition's directory, with its slash. */
export const renditionDir = (rendition: string): string => `${HLS_DIR}/${rendition}/`;
export const playlistPath = (rendition: string): string => `${renditionDir(rendition)}${HLS_FILES.playlist}`;
export const initPath = (rendition: string): string => `${renditionDir(rendition)}${HLS_FILES.init}`;
export const segmentPath = (rendition: string, index: number): string => `${renditionDir(rendition)}${segmentFile(index)}`;
/** A file of the HLS directory (`720p/init.mp4`, `master.m3u8`) as an artifact path. */
export const hlsPath = (relative: string): string => `${HLS_PREFIX}${relative}`;

/** Sources of the patterns, for parsers that embed them (the playback URL, route schemas). */
export const ASSET_ID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const RENDITION_PATTERN = '[a-z0-9]{1,16}';
export const ARTIFACT_PATH_PATTERN =
  `opener\\.mp4|thumbnail\\.jpg|storyboard\\.(?:jpg|vtt)|hls/master\\.m3u8|hls/${RENDITION_PATTERN}/(?:index\\.m3u8|init\\.mp4|(?:0|[1-9][0-9]{0,5})\\.m4s)` +
  // Capture groups of its own would shift those of the patterns that embed this one.
  `|${IMAGE_PATH_PATTERN.replace(/\((?!\?)/g, '(?:')}`;

const ARTIFACT_PATH = new RegExp(`^(?:${ARTIFACT_PATH_PATTERN})$`);
const SEGMENT_FILE = /^(0|[1-9][0-9]*)\.m4s$/;

export const isArtifactPath = (path: string): boolean => ARTIFACT_PATH.test(path);

export interface ArtifactInfo {
  kind: ArtifactKind;
  /** The rendition a ladder file belongs to; '' for everything else. */
  rendition: string;
  /** A segment's index in its rendition. */
  segment?: number;
}

/**
 * What a valid artifact path is: 'hls/720p/3.m4s' → segment 3 of 720p. Cheap enough for the
 * edge's telemetry of every request: no regular expression for the common paths.
 */
export function classify(path: string): ArtifactInfo {
  if (path === OPENER_PATH) return { kind: 'opener', rendition: '' };
  if (path === THUMBNAIL_PATH) return { kind: 'thumbnail', rendition: '' };
  if (path === MASTER_PATH) return { kind: 'master', rendition: '' };
  if (path === STORYBOARD_SPRITE_PATH || path === STORYBOARD_VTT_PATH) return { kind: 'storyboard', rendition: '' };
  if (path.startsWith(IMAGES_PREFIX)) return { kind: 'image', rendition: '' };
  // hls/{rendition}/{index.m3u8 | init.mp4 | n.m4s}
  const slash = path.indexOf('/', HLS_PREFIX.length);
  const rendition = path.slice(HLS_PREFIX.length, slash);
  const file = path.slice(slash + 1);
  if (file === HLS_FILES.playlist) return { kind: 'playlist', rendition };
  if (file === HLS_FILES.init) return { kind: 'init', rendition };
  return { kind: 'segment', rendition, segment: Number.parseInt(file, 10) };
}

/** The index of a segment file name (`12.m4s` → 12), or undefined for anything else. */
export function segmentIndexOf(file: string): number | undefined {
  const m = SEGMENT_FILE.exec(file);
  return m ? Number(m[1]) : undefined;
}

/** Whether a valid artifact path (or cache key) is a playlist, master or rendition. */
export const isPlaylist = (path: string): boolean => path.endsWith('.m3u8');

/** The rendition playlist that lists a path of that rendition's directory. */
export function playlistOf(path: string): string {
  return `${path.slice(0, path.lastIndexOf('/') + 1)}${HLS_FILES.playlist}`;
}

/** How many segments players fetch before the first frame: they are prefetched, warmed and kept in RAM. */
export const STARTUP_SEGMENTS = 2;

/**
 * What a player fetches first for a rendition, in order: the master playlist, the
 * rendition's playlist, its init segment and first segments.
 */
export function startupPathsOf(rendition: string): string[] {
  const segments = Array.from({ length: STARTUP_SEGMENTS }, (_, i) => segmentPath(rendition, i));
  return [MASTER_PATH, playlistPath(rendition), initPath(rendition), ...segments];
}
