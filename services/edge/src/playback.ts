import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import {
  Fill,
  FillError,
  fullHeaders,
  hitHeaders,
  isNotModified,
  notModifiedHeaders,
  partialHeaders,
  PREFLIGHT_HEADERS,
  resolveRange,
  sendFile,
  unsatisfiableHeaders,
  type CachedObject,
  type CacheStatus,
  type EdgeCache,
  type FillHolder,
  type FillRefusal,
} from '@kino/edge-cache';
import { parsePlaybackUrl } from '@kino/artifacts';
import { signedPart, TokenError, tokenErrorCode, type PlaybackVerifier } from '@kino/tokens';
import { ApiError, writeError } from './errors.ts';
import type { CacheLabel, EdgeMetrics } from './metrics.ts';
import type { Revocations } from './revocations.ts';
import { newExchange, type EdgeTelemetry, type Exchange } from './telemetry.ts';

/** The holder of a cold request, for the fill budget (see `signedPart`). */
function holderOf(token: string, assetId: string): FillHolder {
  return { token: signedPart(token), asset: assetId };
}

export interface PlaybackDeps {
  cache: EdgeCache;
  verifier: PlaybackVerifier;
  metrics: EdgeMetrics;
  revocations: Revocations;
  /** Off (undefined) when TELEMETRY_ENABLED=false. */
  telemetry: EdgeTelemetry | undefined;
  log: FastifyBaseLogger;
  closing(): boolean;
}

const METHOD_HEADERS = ['allow', 'GET, HEAD, OPTIONS'];
const CLOSING_HEADERS = ['connection', 'close', 'retry-after', '1'];
const BUSY_HEADERS = ['retry-after', '1'];
// Rounds of playlist learning a cold request may wait for: the master, then its rendition's
// media playlist (see EdgeCache.admit).
const DISCOVERY_ROUNDS = 2;

// Refusals of fills, made once: an attack sends these by the thousand, and an ApiError
// captures a stack when built. Over-budget answers are 503 + Retry-After, like
// TOO_MANY_FILLS: the condition is fill capacity and clears as soon as the holder's own
// fills finish, and players retry 5xx (hls.js's default policy) but treat 4xx as fatal, so a
// real viewer that briefly exceeds its share (a page load prefetching six cold files on a
// small edge) recovers instead of failing. The codes tell them apart from a full edge.
const REFUSALS: Record<FillRefusal, { error: ApiError; headers: string[] | undefined }> = {
  not_found: { error: new ApiError(404, 'ARTIFACT_NOT_FOUND', 'The artifact does not exist at the origin.'), headers: undefined },
  unpublished: {
    error: new ApiError(404, 'UNPUBLISHED_ARTIFACT', "The asset's published playlists do not list this artifact."),
    headers: undefined,
  },
  busy: {
    error: new ApiError(503, 'TOO_MANY_FILLS', 'The edge is filling as many artifacts as it may; try again shortly.'),
    headers: BUSY_HEADERS,
  },
  token_busy: {
    error: new ApiError(
      503,
      'TOO_MANY_FILLS_FOR_TOKEN',
      "This playback token is using its share of the edge's origin fills; try again shortly.",
    ),
    headers: BUSY_HEADERS,
  },
  asset_busy: {
    error: new ApiError(503, 'TOO_MANY_FILLS_FOR_ASSET', "This asset is using its share of the edge's origin fills; try again shortly."),
    headers: BUSY_HEADERS,
  },
};

// A planned segment the api is still making (or cannot make yet): players retry 5xx, after
// the api's own Retry-After.
const NOT_READY = new ApiError(503, 'SEGMENT_NOT_READY', 'The segment is being prepared; try again shortly.');
const IMAGE_LIMIT = new ApiError(
  403,
  'IMAGE_VARIANT_LIMIT',
  'This asset has as many image variants as it may have made; ask for one of those already made.',
);

/**
 * `GET|HEAD /p/{token}/{asset_id}/{artifact path}`: the hot path, on node:http directly
 * rather than through fastify's routing, hooks and reply objects. The raw path is judged
 * before anything is decoded, then the token (a map lookup once verified), then RAM, disk,
 * or a fill shared with everyone else asking for the same artifact.
 */
export function createPlaybackHandler(d: PlaybackDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { cache, verifier, metrics, telemetry } = d;

  // Every answer goes through here (counters) and, once sent, through `served` (bytes).
  function outcome(x: Exchange, label: CacheLabel, status: number): void {
    metrics.request(label, status);
    x.cache = label;
    x.status = status;
  }

  function served(x: Exchange, bytes: number): void {
    metrics.bytesServed += bytes;
    x.bytes = bytes;
  }

  function fail(res: ServerResponse, x: Exchange, e: ApiError, extra?: string[]): void {
    outcome(x, 'NONE', e.status);
    x.error = e.code;
    writeError(res, e, extra);
  }

  function serveHit(req: IncomingMessage, res: ServerResponse, x: Exchange, obj: CachedObject, token: string, retry: boolean): void {
    const h = req.headers;
    if ((h['if-none-match'] !== undefined || h['if-modified-since'] !== undefined) && isNotModified(h, obj)) {
      outcome(x, 'HIT', 304);
      res.writeHead(304, notModifiedHeaders(obj, 'HIT'));
      return void res.end();
    }
    const range = h.range === undefined ? undefined : resolveRange(h.range, h['if-range'] as string | undefined, obj);
    if (range === 'unsatisfiable') {
      outcome(x, 'HIT', 416);
      res.writeHead(416, unsatisfiableHeaders(obj));
      return void res.end();
    }
    const status = range ? 206 : 200;
    const headers = range ? partialHeaders(obj, range) : hitHeaders(obj);
    const start = range ? range.start : 0;
    const end = range ? range.end : obj.size - 1;
    if (req.method === 'HEAD') {
      outcome(x, 'HIT', status);
      res.writeHead(status, headers);
      return void res.end();
    }
    const body = obj.body;
    if (body !== undefined) {
      outcome(x, 'HIT', status);
      served(x, end - start + 1);
      res.writeHead(status, headers);
      return void res.end(range ? body.subarray(start, end + 1) : body);
    }
    cache.openFile(obj, (err, fd) => {
      if (err) {
        // Evicted or purged between the lookup and the open: it is a miss after all.
        cache.forget(obj);
        if (retry) return serve(req, res, x, obj.key, token, false, DISCOVERY_ROUNDS);
        return fail(res, x, new ApiError(500, 'INTERNAL_ERROR', 'The cached file could not be opened.'));
      }
      outcome(x, 'HIT', status);
      res.writeHead(status, headers);
      sendFile(res, fd, start, end, (sent) => {
        cache.closeFile(obj);
        if (sent) served(x, end - start + 1);
      });
    });
  }

  // On a MISS or COALESCED the bytes come from the fill in order, so a Range is ignored and
  // the whole body sent with 200, which RFC 9110 allows; ranges work once the object is cached.
  function serveFill(
    req: IncomingMessage,
    res: ServerResponse,
    x: Exchange,
    fill: Fill,
    obj: CachedObject,
    cacheStatus: CacheStatus,
  ): void {
    const h = req.headers;
    if ((h['if-none-match'] !== undefined || h['if-modified-since'] !== undefined) && isNotModified(h, obj)) {
      outcome(x, cacheStatus, 304);
      res.writeHead(304, notModifiedHeaders(obj, cacheStatus));
      return void res.end();
    }
    outcome(x, cacheStatus, 200);
    res.writeHead(200, fullHeaders(obj, cacheStatus));
    if (req.method === 'HEAD') return void res.end();
    send(res, x, fill.createReader(), obj.size);
  }

  // A source that fails after the headers went out destroys the response, so the client
  // sees a body shorter than its Content-Length, never a short 200 that looks complete.
  function send(res: ServerResponse, x: Exchange, source: Readable, bytes: number): void {
    // 'finish' (the whole body handed to the socket) comes before 'close', when the exchange
    // is recorded; pipeline's own callback may come after it.
    res.once('finish', () => served(x, bytes));
    pipeline(source, res, () => {});
  }

  // A viewer who leaves before the origin answers (a seek elsewhere) stops wanting the
  // fill; when the last one does, the fill, and a segment it asked to be made, is called off.
  function awaitFill(req: IncomingMessage, res: ServerResponse, x: Exchange, fill: Fill, cacheStatus: CacheStatus): void {
    const leave = fill.want();
    res.once('close', leave);
    fill.ready.then(
      (o) => {
        leave();
        serveFill(req, res, x, fill, o, cacheStatus);
      },
      (err) => {
        leave();
        fillFailed(res, x, err);
      },
    );
  }

  function fillFailed(res: ServerResponse, x: Exchange, err: unknown): void {
    // Gone already (recorded as 499 on close): its fill may have been called off for it.
    if (res.destroyed) return;
    if (err instanceof FillError) {
      if (err.kind === 'not_found')
        return fail(res, x, new ApiError(404, 'ARTIFACT_NOT_FOUND', 'The artifact does not exist at the origin.'));
      if (err.kind === 'not_ready') return fail(res, x, NOT_READY, ['retry-after', String(err.retryAfterSec ?? 1)]);
      if (err.kind === 'limited') return fail(res, x, IMAGE_LIMIT);
      if (err.kind === 'aborted') return fail(res, x, new ApiError(503, 'SHUTTING_DOWN', 'The edge is stopping.'), CLOSING_HEADERS);
      d.log.warn({ err: err.message }, 'origin fill failed');
      return fail(res, x, new ApiError(502, 'ORIGIN_UNAVAILABLE', 'The origin could not be reached; try again shortly.'));
    }
    d.log.error({ err }, 'fill failed');
    fail(res, x, new ApiError(500, 'INTERNAL_ERROR', 'Something went wrong on the edge.'));
  }

  // `token` is the one the request carried (verified): a cold request is budgeted against it.
  function serve(req: IncomingMessage, res: ServerResponse, x: Exchange, key: string, token: string, retry: boolean, rounds: number): void {
    const obj = cache.get(key);
    if (obj !== undefined) return serveHit(req, res, x, obj, token, retry);
    const joined = cache.filling(key);
    if (joined !== undefined) return awaitFill(req, res, x, joined, 'COALESCED');
    const admitted = cache.admit(key, holderOf(token, x.assetId), rounds > 0);
    if (admitted instanceof Fill) return awaitFill(req, res, x, admitted, 'MISS');
    if (typeof admitted === 'string') {
      const r = REFUSALS[admitted];
      return fail(res, x, r.error, r.headers);
    }
    // The edge is learning the asset's playlists; then look again (someone may have filled it).
    admitted
      .then(() => {
        // The viewer left while it waited (recorded as 499 on close): start no fill for nobody.
        if (res.destroyed) return;
        serve(req, res, x, key, token, retry, rounds - 1);
      })
      .catch((err) => {
        d.log.error({ err }, 'playback request failed');
        if (res.headersSent) res.destroy();
        else fail(res, x, new ApiError(500, 'INTERNAL_ERROR', 'Something went wrong on the edge.'));
      });
  }

  function tokenRefused(res: ServerResponse, x: Exchange, err: unknown): void {
    if (err instanceof TokenError) {
      metrics.tokenFailure(err.reason);
      // An expired but genuine token still names its account. A token for another asset is
      // not attributed: the account would see an asset id it does not own in its numbers.
      x.accountId = err.reason === 'expired' ? (err.claims?.accountId ?? '') : '';
      return fail(res, x, new ApiError(err.status, tokenErrorCode(err.reason), err.message));
    }
    d.log.error({ err }, 'token verification failed unexpectedly');
    fail(res, x, new ApiError(500, 'INTERNAL_ERROR', 'The token could not be checked.'));
  }

  return function playback(req, res) {
    const x = newExchange();
    if (telemetry !== undefined) res.once('close', () => telemetry.request(x, res.writableFinished));
    const method = req.method;
    if (d.closing()) return fail(res, x, new ApiError(503, 'SHUTTING_DOWN', 'The edge is stopping.'), CLOSING_HEADERS);
    if (method === 'OPTIONS') {
      // A CORS preflight carries no credentials; the token is checked on the request itself.
      outcome(x, 'NONE', 204);
      res.writeHead(204, PREFLIGHT_HEADERS);
      return void res.end();
    }
    if (method !== 'GET' && method !== 'HEAD') {
      return fail(res, x, new ApiError(405, 'METHOD_NOT_ALLOWED', 'Playback URLs answer GET, HEAD and OPTIONS.'), METHOD_HEADERS);
    }
    const target = parsePlaybackUrl(req.url!);
    if (!target.ok) {
      if (target.tokenReason) metrics.tokenFailure(target.tokenReason);
      return fail(res, x, new ApiError(target.status, target.code, target.message));
    }
    x.assetId = target.assetId;
    x.artifactPath = target.artifactPath;
    verifier
      .verify(target.token, target.assetId)
      .then(
        (claims) => {
          x.accountId = claims.accountId ?? '';
          // A deleted asset: its tokens are still valid JWTs, but they grant nothing any more.
          if (d.revocations.has(target.assetId)) return fail(res, x, new ApiError(410, 'ASSET_DELETED', 'The asset was deleted.'));
          serve(req, res, x, target.key, target.token, true, DISCOVERY_ROUNDS);
        },
        (err) => tokenRefused(res, x, err),
      )
      .catch((err) => {
        d.log.error({ err }, 'playback request failed');
        if (res.headersSent) res.destroy();
        else fail(res, x, new ApiError(500, 'INTERNAL_ERROR', 'Something went wrong on the edge.'));
      });
  };
}
