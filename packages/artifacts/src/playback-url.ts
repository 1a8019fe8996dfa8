import { cacheKeyFor } from './keys.ts';
import { ANIMATED_REQUEST, IMAGE_REQUEST_PATTERN, IMAGES_PREFIX, imageRequest, namesStillParams, STILL_REQUEST } from './images.ts';
import { ARTIFACT_PATH_PATTERN, ASSET_ID_PATTERN, THUMBNAIL_PATH } from './paths.ts';

// `{edge}/p/{token}/{asset_id}/{artifact path}`. The token lives in the path, so the
// relative URIs inside playlists carry it along and the playlists stay byte-identical.

export const PLAYBACK_PREFIX = '/p/';

export function playbackUrl(edgeUrl: string, token: string, assetId: string, path: string): string {
  return `${edgeUrl}${PLAYBACK_PREFIX}${token}/${assetId}/${path}`;
}

// The edge's parser judges the raw request target before anything is decoded: nothing is
// percent-decoded or normalised, so what is checked is what is served, and anything a
// decoder or normaliser could turn into something else is refused.

export const MAX_URL_LENGTH = 4096;
export const MAX_TOKEN_LENGTH = 2048;

const PLAYBACK = new RegExp(`^/p/([A-Za-z0-9_.-]+)/(${ASSET_ID_PATTERN})/(${ARTIFACT_PATH_PATTERN}|${IMAGE_REQUEST_PATTERN})$`);
// An artifact URL whose token segment is missing: someone put the token in the query string.
const TOKENLESS = new RegExp(`^/p/${ASSET_ID_PATTERN}/(?:${ARTIFACT_PATH_PATTERN}|${IMAGE_REQUEST_PATTERN})$`);
// Escapes (which would hide `..` or `/`), backslashes, empty segments and dot segments.
const SUSPICIOUS = /%|\\|\/\/|\/\.\.?(?:\/|$)/;

export interface PlaybackTarget {
  ok: true;
  token: string;
  assetId: string;
  artifactPath: string;
  /** `{asset_id}/{artifact path}`: the cache key. */
  key: string;
}

export interface PathRefusal {
  ok: false;
  status: 400 | 401 | 404 | 414;
  code: 'URI_TOO_LONG' | 'INVALID_PATH' | 'TOKEN_MALFORMED' | 'TOKEN_MISSING' | 'UNKNOWN_ARTIFACT' | 'INVALID_IMAGE_PARAMS';
  message: string;
  /** Set when the refusal is a token failure, for the failure counters. */
  tokenReason?: 'missing' | 'malformed';
}

/** `url` is the raw request target, query string included. The edge's hot path: keep it lean. */
export function parsePlaybackUrl(url: string): PlaybackTarget | PathRefusal {
  if (url.length > MAX_URL_LENGTH) {
    return { ok: false, status: 414, code: 'URI_TOO_LONG', message: `The URL is longer than ${MAX_URL_LENGTH} characters.` };
  }
  const q = url.indexOf('?');
  // A query string plays no part (never a token, never a cache key) except for an image
  // made on demand, whose query names the variant and becomes its canonical path.
  const path = q === -1 ? url : url.slice(0, q);
  if (SUSPICIOUS.test(path)) {
    return { ok: false, status: 400, code: 'INVALID_PATH', message: 'The path contains escapes, backslashes, empty or dot segments.' };
  }
  const m = PLAYBACK.exec(path);
  if (m) {
    const token = m[1]!;
    if (token.length > MAX_TOKEN_LENGTH) {
      return { ok: false, status: 401, code: 'TOKEN_MALFORMED', message: 'The playback token is too long.', tokenReason: 'malformed' };
    }
    const assetId = m[2]!;
    let artifactPath = m[3]!;
    const query = q === -1 ? '' : url.slice(q + 1);
    // Variants are asked for by their query, never by their canonical path: one URL form.
    if (artifactPath.startsWith(IMAGES_PREFIX)) return UNKNOWN;
    // `thumbnail.jpg` alone is the ladder's thumbnail, and so is it with a query naming no
    // image parameter (a cache-buster: the key ignores it); naming one, a still like the others.
    if (isImageRequest(artifactPath) && (artifactPath !== THUMBNAIL_PATH || namesStillParams(query))) {
      const image = imageRequest(artifactPath, query);
      if (!image.ok) return { ok: false, status: 400, code: 'INVALID_IMAGE_PARAMS', message: image.message };
      artifactPath = image.path;
    }
    return { ok: true, token, assetId, artifactPath, key: cacheKeyFor(assetId, artifactPath) };
  }
  if (TOKENLESS.test(path)) {
    return {
      ok: false,
      status: 401,
      code: 'TOKEN_MISSING',
      message: 'The URL has no token segment: playback URLs are /p/{token}/{asset_id}/{artifact path}.',
      tokenReason: 'missing',
    };
  }
  return UNKNOWN;
}

const isImageRequest = (path: string): boolean => path.startsWith(`${STILL_REQUEST}.`) || path.startsWith(`${ANIMATED_REQUEST}.`);

const UNKNOWN: PathRefusal = {
  ok: false,
  status: 404,
  code: 'UNKNOWN_ARTIFACT',
  message: 'No such artifact: the path names nothing the edge serves.',
};
