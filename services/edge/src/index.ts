import { createServer } from 'node:http';
import Fastify from 'fastify';
import { ConfigError, type Config } from '@kino/config';
import { PLAYBACK_PREFIX } from '@kino/artifacts';
import { createEdgeCache, createS3Origin, fillShare, withJustInTimeSegments } from '@kino/edge-cache';
import { createPlaybackVerifier, parsePublicKeys, type PlaybackVerifier } from '@kino/tokens';
import { roleLogging } from '@kino/http';
import { newRequestId, registerErrorHandling } from './errors.ts';
import { EdgeMetrics } from './metrics.ts';
import { createPlaybackHandler } from './playback.ts';
import { startHeartbeat } from './registration.ts';
import { Revocations, startRevocationSync, type RevocationSync } from './revocations.ts';
import { createSegmentAsk } from './segment-asks.ts';
import { beaconRoutes } from './routes/beacon.ts';
import { healthRoutes } from './routes/health.ts';
import { internalRoutes } from './routes/internal.ts';
import { EdgeTelemetry, type EdgeTelemetryOptions } from './telemetry.ts';

export interface EdgeOptions extends EdgeTelemetryOptions {
  /** Where the logs go instead of stdout, for the tests that read them. */
  logStream?: { write(line: string): void };
}

export interface Edge {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

// On stop, responses still streaming get this long before their fills are aborted.
const STOP_GRACE_MS = 5000;
const FIRST_REVOCATIONS_MS = 3000;
const KEYS_RETRY_MS = 5000;
// Players fetch a segment every few seconds; keep their connections across that gap.
const KEEP_ALIVE_MS = 30_000;

/**
 * The edge role: playback on `/p/…` (raw node:http, see playback.ts) and the control routes
 * on fastify, one server. It touches neither Postgres nor the api on the playback path (but
 * for a planned segment the origin lacks, see segment-asks.ts), and starts and serves
 * whether or not the api is up.
 */
export async function createEdge(config: Config, options: EdgeOptions = {}): Promise<Edge> {
  const endpoint = config.s3.endpoint;
  if (!endpoint) throw new ConfigError('S3_ENDPOINT is not set: the edge needs an S3 origin when run on its own.');
  const verifier = createVerifier(config);
  const metrics = new EdgeMetrics();
  // As long as a token can live, plus the clock tolerance, like the api's own list.
  const revocations = new Revocations((config.playback.maxTtlSeconds + 60) * 1000);
  let closing = false;
  let playback: ReturnType<typeof createPlaybackHandler>;

  const app = Fastify({
    ...roleLogging(config, options.logStream),
    genReqId: newRequestId,
    requestIdHeader: false,
    serverFactory: (fastifyHandler) => {
      const server = createServer((req, res) => (req.url!.startsWith(PLAYBACK_PREFIX) ? playback(req, res) : fastifyHandler(req, res)));
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      return server;
    },
  });
  // Playlists list every planned segment before it exists: one the origin lacks is asked
  // of the api, the only call the edge makes to it while serving (once per missing segment,
  // however many viewers wait for it).
  const origin = withJustInTimeSegments(
    createS3Origin({ ...config.s3, endpoint }, { maxSockets: config.edge.maxFills }),
    createSegmentAsk(config, metrics, app.log),
  );
  const cache = createEdgeCache({
    dir: config.edge.cacheDir,
    diskBytes: config.edge.cacheBytes,
    ramBytes: config.edge.ramCacheBytes,
    maxFills: config.edge.maxFills,
    // One token (one asset) may hold only a share of the fill slots: see fill-budget.ts.
    fillsPerToken: fillShare(config.edge.maxFills, config.edge.fillTokenPercent),
    fillsPerAsset: fillShare(config.edge.maxFills, config.edge.fillAssetPercent),
    negativeTtlMs: config.edge.negativeTtlSeconds * 1000,
    negativeMaxEntries: config.edge.negativeCacheEntries,
    origin,
    log: app.log,
  });
  const telemetry = config.telemetry.enabled ? new EdgeTelemetry(config, app.log, options) : undefined;
  playback = createPlaybackHandler({ cache, verifier, metrics, revocations, telemetry, log: app.log, closing: () => closing });
  registerErrorHandling(app);
  await app.register(async (scope) => healthRoutes(scope, { origin, verifier, internalToken: config.internalToken }));
  await app.register(async (scope) => beaconRoutes(scope, { verifier, revocations, telemetry, limits: config.edge }));
  await app.register(async (scope) =>
    internalRoutes(scope, { internalToken: config.internalToken, cache, metrics, revocations, telemetry }),
  );

  let stopHeartbeat = () => {};
  let revocationSync: RevocationSync | undefined;
  let keysRetry: NodeJS.Timeout | undefined;

  // Without keys every token is refused, but the edge still starts: fetched keys may only
  // be missing because the api is not up yet. Retry until they load.
  const loadKeys = async (): Promise<void> => {
    try {
      await verifier.start();
    } catch (err) {
      if (keysRetry === undefined) app.log.warn({ err: (err as Error).message }, 'playback keys not loaded; retrying');
      keysRetry = setTimeout(() => void loadKeys(), KEYS_RETRY_MS);
      keysRetry.unref();
      return;
    }
    if (keysRetry !== undefined) app.log.info('playback keys loaded');
    keysRetry = undefined;
  };

  const edge: Edge = {
    url: '',
    async start() {
      await cache.start();
      await telemetry?.start();
      // Configured keys load at once; fetched ones must not hold the start up while the
      // api is away (the first requests wait for the fetch in flight instead).
      if (config.edge.publicKeys !== undefined) await loadKeys();
      else void loadKeys();
      // A restarted edge must not serve a deleted asset from its disk before it has heard of
      // the deletion: the first revocation pull comes before listening, bounded in time so
      // an api that is away cannot keep the edge down.
      revocationSync = startRevocationSync(config, revocations, app.log, (assetId) => {
        cache.purge(assetId).catch((err) => app.log.warn({ err, assetId }, 'dropping a revoked asset from the cache failed'));
      });
      await Promise.race([revocationSync.first, new Promise((r) => setTimeout(r, FIRST_REVOCATIONS_MS).unref())]);
      edge.url = await app.listen({ host: config.edge.host, port: config.edge.port });
      // On port 0 (tests, benches) the default URLs name no real port: announce the bound one.
      const placeholder = `http://${config.edge.host}:0`;
      const announced = (u: string) => (u === placeholder ? edge.url : u);
      stopHeartbeat = startHeartbeat(
        config,
        { publicUrl: announced(config.edge.publicUrl), internalUrl: announced(config.edge.internalUrl) },
        app.log,
      );
    },
    async stop() {
      closing = true;
      stopHeartbeat();
      revocationSync?.stop();
      clearTimeout(keysRetry);
      const closed = app.close();
      // Idle keep-alive connections are closed once, when close starts; connections whose
      // response finishes later would otherwise linger until their keep-alive timeout.
      const reaper = setInterval(() => app.server.closeIdleConnections(), 100);
      // Past the grace period, responses still streaming (a stalled client) are cut off.
      const grace = setTimeout(() => {
        app.server.closeAllConnections();
        void cache.stop();
      }, STOP_GRACE_MS);
      try {
        await closed;
      } finally {
        clearInterval(reaper);
        clearTimeout(grace);
      }
      await cache.stop();
      // After the server closed: every response has been recorded.
      await telemetry?.stop();
      verifier.stop();
      origin.close();
    },
  };
  return edge;
}

function createVerifier(config: Config): PlaybackVerifier {
  let jwks: ReturnType<typeof parsePublicKeys> | undefined;
  if (config.edge.publicKeys !== undefined) {
    try {
      jwks = parsePublicKeys(config.edge.publicKeys, 'PLAYBACK_PUBLIC_KEYS');
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
  return createPlaybackVerifier({
    audience: config.playback.audience,
    jwks,
    jwksUrl: jwks ? undefined : config.edge.jwksUrl,
    refreshSeconds: config.edge.jwksRefreshSeconds,
  });
}
