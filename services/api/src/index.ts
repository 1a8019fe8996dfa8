import type { FastifyInstance } from 'fastify';
import { ConfigError, signingKeysSource, type Config } from '@kino/config';
import { createDb, migrate } from '@kino/db';
import { announceJobs, createAdmissionControl } from '@kino/jobs';
import { announceEvents, createEventFeed, createRedisBus, type RedisBus } from '@kino/events';
import { sweepAbandonedUploads, sweepExpiredUploads } from '@kino/ingest';
import { createStorage, ensureBucket } from '@kino/storage';
import { createWebhookDispatcher } from '@kino/webhooks';
import { AnalyticsStore } from '@kino/analytics';
import { createPlaybackSigner, loadOrCreateSigningKeys, parseSigningKeys, SigningKeysError } from '@kino/tokens';
import { createSharedLimiter } from '@kino/limits';
import { createKeyAuthenticator, createKeyWatch, storageLeft } from '@kino/tenancy';
import { buildApp } from './app.ts';
import { createKeyGuard } from './auth.ts';
import type { LogDestination } from '@kino/http';

const STOP_GRACE_MS = 10_000;

export interface Api {
  app: FastifyInstance;
  /** The address it listens on, once started. */
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `bus`: the process's Redis connections, when it runs other roles too; else the api opens its own.
 * `logStream`: where the log goes instead of stdout (the tests that read it).
 */
export async function createApi(config: Config, shared: { bus?: RedisBus; logStream?: LogDestination } = {}): Promise<Api> {
  const endpoint = config.s3.endpoint;
  if (!endpoint) throw new ConfigError('S3_ENDPOINT is not set: the api needs an S3 endpoint when run on its own.');
  // Before anything is opened: in production a missing PLAYBACK_SIGNING_KEYS stops here.
  const keySource = signingKeysSource(config);
  const keys =
    'json' in keySource
      ? await parseSigningKeys(keySource.json).catch((err: unknown) => {
          throw err instanceof SigningKeysError ? new ConfigError(`PLAYBACK_SIGNING_KEYS: ${err.message}`) : err;
        })
      : await loadOrCreateSigningKeys(keySource.file);
  // Connections open only once the configuration has proved whole: a refusal leaves none behind.
  const sql = createDb(config.databaseUrl, { applicationName: 'kino-api' });
  const bus = shared.bus ?? createRedisBus(config.redisUrl);
  const { redis } = bus;
  const storage = createStorage({ ...config.s3, endpoint });
  const signer = createPlaybackSigner(keys, {
    audience: config.playback.audience,
    defaultTtlSeconds: config.playback.ttlSeconds,
    maxTtlSeconds: config.playback.maxTtlSeconds,
  });
  const eventFeed = createEventFeed(bus);
  const analytics = new AnalyticsStore(config.clickhouse);
  const apiKeys = createKeyAuthenticator({ sql, bus, keyCacheMs: config.tenancy.keyCacheMs });
  // Its outage and recovery are logged once each, by the app's logger once there is one.
  const limiter = config.tenancy.rateLimits
    ? createSharedLimiter({ redis, log: { warn: (o, m) => app.log.warn(o, m), info: (o, m) => app.log.info(o, m) } })
    : undefined;
  const keyWatch = createKeyWatch({ sql, bus, log: { warn: (o, m) => app.log.warn(o, m) } });
  const app: FastifyInstance = await buildApp(
    {
      keys: apiKeys,
      keyWatch,
      storageLeft: (accountId) => storageLeft(sql, config.tenancy.plans, accountId),
      limiter,
      keyGuard: createKeyGuard({ config, keys: apiKeys, limiter }),
      config,
      sql,
      redis,
      bus,
      storage,
      signer,
      eventFeed,
      analytics,
      admission: createAdmissionControl({
        sql,
        configuredSlots: { processSource: config.worker.concurrency, encodeLadder: config.worker.ladderConcurrency },
        maxWaitSeconds: config.ingest.admissionMaxWaitSeconds,
        cacheMs: config.ingest.admissionCacheMs,
      }),
      announceEvents: (accountId) => announceEvents(redis, accountId),
      // A lost wake-up only delays the job until a worker polls.
      announceJobs: () => void announceJobs(redis).catch((err) => app.log.warn({ err }, 'could not announce a job')),
    },
    shared.logStream,
  );
  analytics.log = app.log;
  apiKeys.log = app.log;
  // Every api process sends the webhook outbox; claims keep them from sending a delivery twice.
  const webhooks = createWebhookDispatcher({ sql, bus, ...config.webhooks, log: app.log });

  // Every api process sweeps; the sweep is idempotent, so several at once do no harm.
  const sweep = () => {
    const cutoff = new Date(Date.now() - config.api.uploadStallSeconds * 1000);
    sweepAbandonedUploads(sql, storage, cutoff)
      .then((r) => {
        if (r.assets + r.uploads > 0) app.log.warn(r, 'swept abandoned uploads');
      })
      .catch((err) => app.log.warn({ err }, 'sweeping abandoned uploads failed'));
    sweepExpiredUploads({ sql, storage, onEvents: (accountId) => announceEvents(redis, accountId) })
      .then((n) => {
        if (n > 0) app.log.info({ assets: n }, 'expired direct uploads');
      })
      .catch((err) => app.log.warn({ err }, 'sweeping expired uploads failed'));
  };
  let sweeper: NodeJS.Timeout | undefined;

  const api: Api = {
    app,
    url: '',
    async start() {
      await migrate(sql);
      await ensureBucket(storage);
      await redis.ping().catch((err) => app.log.warn({ err }, 'redis is not reachable yet; job wake-ups fall back to polling'));
      // Migrates the ClickHouse schema; when ClickHouse is away it keeps trying in the background.
      await analytics.start();
      api.url = await app.listen({ host: config.api.host, port: config.api.port });
      sweep();
      sweeper = setInterval(sweep, 60_000).unref();
      await webhooks.start();
    },
    async stop() {
      clearInterval(sweeper);
      // Requests finish on their own for a while; then uploads still streaming are cut
      // off, which runs their cleanup (multipart aborted, row removed) before we go.
      const closing = app.close();
      // Sends in flight finish (each bounded by WEBHOOK_TIMEOUT_MS) and are recorded.
      const webhooksStopped = webhooks.stop();
      const deadline = setTimeout(() => app.server.closeAllConnections(), STOP_GRACE_MS);
      await closing;
      clearTimeout(deadline);
      await webhooksStopped;
      keyWatch.close();
      await apiKeys.close();
      eventFeed.close();
      if (!shared.bus) bus.close();
      await analytics.close();
      storage.s3.destroy();
      await sql.end({ timeout: 5 });
    },
  };
  return api;
}
