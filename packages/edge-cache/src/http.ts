import type { CachedObject } from './object.ts';

// HTTP semantics of artifact responses: headers, conditional requests and byte ranges.
// Header lists are flat [name, value, …] arrays, the form res.writeHead takes without
// building an object per response.

export type CacheStatus = 'HIT' | 'MISS' | 'COALESCED';

/** CORS for browser players; exposed so a player can read sizes, ranges and the cache outcome. */
export const CORS_HEADERS = [
  'access-control-allow-origin',
  '*',
  'access-control-expose-headers',
  'Content-Length, Content-Range, X-Kino-Cache, ETag',
];

export const PREFLIGHT_HEADERS = [
  ...CORS_HEADERS,
  'access-control-allow-methods',
  'GET, HEAD, OPTIONS',
  'access-control-allow-headers',
  'Range, If-None-Match, If-Modified-Since, If-Range',
  'access-control-max-age',
  '86400',
];

function validators(obj: CachedObject, cache: CacheStatus): string[] {
  const headers = [
    'etag',
    obj.etag,
    'last-modified',
    obj.lastModified,
    'cache-control',
    obj.type.edgeCacheControl,
    'x-kino-cache',
    cache,
    ...CORS_HEADERS,
  ];
  if (obj.disposition) headers.push('content-disposition', obj.disposition);
  return headers;
}

/** Headers of a 200 with the whole body. */
export function fullHeaders(obj: CachedObject, cache: CacheStatus): string[] {
  return ['content-type', obj.type.contentType, 'content-length', String(obj.size), 'accept-ranges', 'bytes', ...validators(obj, cache)];
}

/** A HIT's 200 headers, built once per cached object. */
export function hitHeaders(obj: CachedObject): string[] {
  return (obj.hitHeaders ??= fullHeaders(obj, 'HIT'));
}

export function partialHeaders(obj: CachedObject, range: ByteRange): string[] {
  return [
    'content-type',
    obj.type.contentType,
    'content-length',
    String(range.end - range.start + 1),
    'content-range',
    `bytes ${range.start}-${range.end}/${obj.size}`,
    'accept-ranges',
    'bytes',
    ...validators(obj, 'HIT'),
  ];
}

export function unsatisfiableHeaders(obj: CachedObject): string[] {
  return ['content-range', `bytes */${obj.size}`, 'content-length', '0', 'accept-ranges', 'bytes', ...validators(obj, 'HIT')];
}

export function notModifiedHeaders(obj: CachedObject, cache: CacheStatus): string[] {
  return validators(obj, cache);
}

interface ConditionalHeaders {
  'if-none-match'?: string | undefined;
  'if-modified-since'?: string | undefined;
}

/** Whether a GET or HEAD with these headers gets a 304 (RFC 9110 §13.2.2 order). */
export function isNotModified(h: ConditionalHeaders, obj: CachedObject): boolean {
  const inm = h['if-none-match'];
  if (inm !== undefined) {
    if (inm.trim() === '*') return true;
    // Weak comparison: W/"x" matches "x".
    for (const tag of inm.split(',')) {
      const t = tag.trim();
      if ((t.startsWith('W/') ? t.slice(2) : t) === obj.etag) return true;
    }
    return false;
  }
  const ims = h['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && obj.mtime * 1000 <= since;
}

export interface ByteRange {
  start: number;
  /** Inclusive, as in Content-Range. */
  end: number;
}

/**
 * One `bytes=` range resolved against `size`: a ByteRange, 'unsatisfiable' (416), or
 * undefined when the whole body should be sent: no Range, a malformed one (which RFC 9110
 * says to ignore), several ranges (we do not build multipart bodies), or an If-Range that
 * names another version.
 */
export function resolveRange(
  range: string | undefined,
  ifRange: string | undefined,
  obj: CachedObject,
): ByteRange | 'unsatisfiable' | undefined {
  if (range === undefined) return undefined;
  if (ifRange !== undefined && ifRange !== obj.etag && ifRange !== obj.lastModified) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const size = obj.size;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? Infinity : Number(m[2]);
  if (last < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(last, size - 1) };
}
