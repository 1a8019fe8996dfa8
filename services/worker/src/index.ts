import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { ConfigError, type Config } from '@kino/config';
import { createDb, healthyEdges, migrate } from '@kino/db';
import { announceEvents, appendEvent, createRedisBus, type RedisBus } from '@kino/events';
import { purgeEdges, warmEdges } from '@kino/playback';
import {
  announceJobs,
  createJobRunner,
  createSegmentRunner,
  recordWorkerCapabilities,
  startHeartbeat,
  type Heartbeat,
  type JobKind,
  type JobRunner,
  type SegmentRunner,
} from '@kino/jobs';
import {
  describeFailure,
  encodeLadder,
  importSource,
  processSource,
  produceOnDemandJob,
  purgeAsset,
  queueReadAhead,
  runUserJob,
  cutClip,
  encodeStatic,
  expireJobOutputs,
  sweepDeadScratch,
} from '@kino/pipeline';
import { QUIET_ROUTE, roleLogging, readinessRoute } from '@kino/http';
import { readFfmpegCapabilities } from '@kino/media';
import { createStorage } from '@kino/storage';
import { storageLeft } from '@kino/tenancy';
import { MAX_JOB_OUTPUTS } from '@kino/media';

/** How often a worker looks for job outputs past JOBS_OUTPUT_RETENTION_DAYS. */
const EXPIRY_SWEEP_MS = 10 * 60_000;

export interface Worker {
  id: string;
  runner: JobRunner;
  /** Just-in-time segments, beside the media jobs. */
  segments: SegmentRunner;
  /** The health server's address, once started. */
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Claims media jobs and runs the pipeline on them; serves /healthz and /readyz. `bus`: the
 * process's Redis connections, when it runs other roles too; else the worker opens its own.
 */
export async function createWorker(config: Config, shared: { bus?: RedisBus } = {}): Promise<Worker> {
  const endpoint = config.s3.endpoint;
  if (!endpoint) throw new ConfigError('S3_ENDPOINT is not set: the worker needs an S3 endpoint when run on its own.');
  const sql = createDb(config.databaseUrl, {
    max: config.worker.concurrency + config.worker.ladderConcurrency + config.segments.concurrency + 4,
    applicationName: 'kino-worker',
  });
  const storage = createStorage({ ...config.s3, endpoint });
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const health: FastifyInstance = Fastify(roleLogging(config));
  const log = health.log.child({ role: 'worker', workerId: id });

  const bus = shared.bus ?? createRedisBus(config.redisUrl);
  const onEvents = (accountId: string) => announceEvents(bus.redis, accountId);
  // Warming is an optimisation: its outcome is logged and recorded, never a failure.
  const warm = (asset: { id: string; accountId: string }, paths: string[]) => {
    healthyEdges(sql, config.playback.edgeHealthySeconds)
      .then(async (edges) => {
        if (edges.length === 0) return;
        const outcomes = await warmEdges(edges, asset.id, paths, { internalToken: config.internalToken });
        for (const o of outcomes.filter((x) => !x.ok))
          log.warn({ assetId: asset.id, edge: o.edge, detail: o.detail }, 'warming an edge failed');
        await appendEvent(sql, {
          accountId: asset.accountId,
          assetId: asset.id,
          type: 'asset.edges_warmed',
          data: { paths, ok: outcomes.filter((x) => x.ok).map((x) => x.edge), failed: outcomes.filter((x) => !x.ok).map((x) => x.edge) },
        });
        onEvents(asset.accountId);
      })
      .catch((err) => log.warn({ err, assetId: asset.id }, 'warming edges failed'));
  };

  const purge = async (assetId: string) => {
    const outcomes = await purgeEdges(await healthyEdges(sql, config.playback.edgeHealthySeconds), assetId, {
      internalToken: config.internalToken,
    });
    for (const o of outcomes.filter((x) => !x.ok))
      log.warn({ assetId, edge: o.edge, detail: o.detail }, 'purging an edge failed; it catches up from the revocation list');
    return { ok: outcomes.filter((x) => x.ok).map((x) => x.edge), failed: outcomes.filter((x) => !x.ok).map((x) => x.edge) };
  };

  const bounds = { limit: config.segments.queueLimit, accountLimit: config.segments.accountLimit };
  const prepareSegments = (asset: { id: string; accountId: string }, paths: string[]) =>
    void queueReadAhead({ sql, bus, bounds }, asset, paths).catch((err) =>
      log.warn({ err: err instanceof Error ? err.message : String(err), assetId: asset.id }, 'queuing startup segments failed'),
    );

  const pipeline = {
    sql,
    storage,
    tmpRoot: config.worker.tmpDir,
    ffmpegTimeoutMs: config.worker.ffmpegTimeoutSeconds * 1000,
    log,
    warm,
    onEvents,
    onJobQueued: () => void announceJobs(bus.redis).catch((err) => log.warn({ err }, 'could not announce a job')),
    prepareSegments,
  };
  // URL imports: the same byte limit as uploads, fetched through the SSRF guard.
  const imports = {
    sql,
    storage,
    maxAttempts: config.worker.maxAttempts,
    maxBytes: config.api.maxUploadBytes,
    storageLeft: (accountId: string) => storageLeft(sql, config.tenancy.plans, accountId),
    timeoutMs: config.ingest.importTimeoutSeconds * 1000,
    deadlineMs: config.ingest.importMaxSeconds * 1000,
    egress: { allowPrivate: config.ingest.importAllowPrivate },
    onJobQueued: pipeline.onJobQueued,
    onEvents,
  };
  // Jobs of the jobs API: bounded as configured, URL inputs fetched as imports are.
  const userJobs = {
    sql,
    workerId: id,
    storage,
    tmpRoot: config.worker.tmpDir,
    limits: {
      maxOutputs: MAX_JOB_OUTPUTS,
      maxOutputBytes: config.jobs.maxOutputBytes,
      maxTotalOutputBytes: config.jobs.maxTotalOutputBytes,
      maxSeconds: config.jobs.maxOutputSeconds,
      maxInputBytes: config.jobs.maxInputBytes,
      maxTotalInputBytes: config.jobs.maxTotalInputBytes,
      timeoutMs: config.jobs.timeoutSeconds * 1000,
    },
    rlimits: { memoryBytes: config.jobs.maxMemoryBytes, cpuSeconds: config.jobs.maxCpuSeconds },
    fetch: imports,
    onEvents,
  };
  const lane = (kinds: JobKind[], concurrency: number) =>
    createJobRunner({
      sql,
      bus,
      workerId: id,
      kinds,
      concurrency,
      leaseSeconds: config.worker.leaseSeconds,
      pollIntervalMs: config.worker.pollIntervalMs,
      shutdownGraceMs: config.worker.shutdownGraceSeconds * 1000,
      log,
      describeError: describeFailure,
      onEvents,
      handler: (job, ctx) => {
        switch (job.kind) {
          case 'import_source':
            return importSource(imports, job, ctx);
          case 'process_source':
            return processSource(pipeline, job, ctx);
          case 'cut_clip':
            return cutClip({ ...pipeline, admit: imports }, job, ctx);
          case 'encode_ladder':
            return encodeLadder(pipeline, job, ctx);
          case 'encode_static':
            return encodeStatic(pipeline, job, ctx);
          case 'purge_asset':
            return purgeAsset({ sql, storage, purgeEdges: purge, onEvents }, job, ctx);
          case 'run_job':
            return runUserJob(userJobs, job, ctx);
        }
      },
    });
  // Two lanes, so that a burst of uploads never makes first frames wait behind ladders:
  // imports, clips' cuts, probes, playlists, openers (and purges) in one, ladders and
  // static renditions (niced) in the other.
  const lanes = [
    lane(['import_source', 'cut_clip', 'process_source', 'purge_asset'], config.worker.concurrency),
    // The jobs API's jobs beside the ladders: background work, niced, fair across accounts.
    lane(['encode_ladder', 'encode_static', 'run_job'], config.worker.ladderConcurrency),
  ];
  const runner: JobRunner = {
    get active() {
      return lanes.reduce((n, l) => n + l.active, 0);
    },
    async start() {
      await Promise.all(lanes.map((l) => l.start()));
    },
    async stop() {
      await Promise.all(lanes.map((l) => l.stop()));
    },
  };

  // Just-in-time segments, in slots of their own beside the media jobs.
  const segmentRunner = createSegmentRunner({
    sql,
    bus,
    workerId: id,
    concurrency: config.segments.concurrency,
    leaseSeconds: config.worker.leaseSeconds,
    pollIntervalMs: config.worker.pollIntervalMs,
    shutdownGraceMs: config.worker.shutdownGraceSeconds * 1000,
    log,
    handler: (job, signal, hurry) =>
      produceOnDemandJob(
        {
          sql,
          storage,
          bus,
          tmpRoot: config.worker.tmpDir,
          timeoutMs: config.segments.timeoutSeconds * 1000,
          workerId: id,
          bounds,
          readAhead: config.segments.readAhead,
        },
        job,
        signal,
        hurry,
      ),
  });

  health.get('/healthz', QUIET_ROUTE, async () => ({
    status: 'ok',
    active_jobs: runner.active,
    active_segments: segmentRunner.active,
    segment_jobs_run: segmentRunner.ran,
  }));
  readinessRoute(health, { internalToken: config.internalToken, checks: { postgres: () => sql`select 1` } });

  // Every worker sweeps expired job outputs; the sweep is idempotent, so several at once do no harm.
  const expire = () => {
    expireJobOutputs({ sql, storage }, config.jobs.outputRetentionDays)
      .then((n) => n > 0 && log.info({ jobs: n }, 'deleted the expired outputs of jobs'))
      .catch((err) => log.warn({ err }, 'expiring job outputs failed'));
  };
  let expiry: NodeJS.Timeout | undefined;
  let heartbeat: Heartbeat | undefined;
  const worker: Worker = {
    id,
    runner,
    segments: segmentRunner,
    url: '',
    async start() {
      await migrate(sql);
      // ffmpeg's own listings, read beside the rest of the start: what GET /v1/capabilities answers from.
      const capabilities = readFfmpegCapabilities({ scratchRoot: config.worker.tmpDir })
        .then((c) => recordWorkerCapabilities(sql, id, c))
        .catch((err) => log.warn({ err }, 'could not read or record ffmpeg capabilities'));
      const swept = await sweepDeadScratch(config.worker.tmpDir);
      if (swept > 0) log.warn({ swept }, 'removed scratch directories of dead workers');
      worker.url = await health.listen({ host: config.worker.host, port: config.worker.port });
      await runner.start();
      await segmentRunner.start();
      await capabilities;
      expire();
      expiry = setInterval(expire, EXPIRY_SWEEP_MS).unref();
      // In the registry once it claims: the api's admission control counts its slots.
      heartbeat = await startHeartbeat(
        sql,
        id,
        { processSource: config.worker.concurrency, encodeLadder: config.worker.ladderConcurrency },
        log,
      );
      log.info({ concurrency: config.worker.concurrency }, 'worker started');
    },
    async stop() {
      // Out of the registry first: a stopping worker claims nothing more, whatever it still finishes.
      await heartbeat?.stop();
      clearInterval(expiry);
      await Promise.all([runner.stop(), segmentRunner.stop()]);
      await health.close();
      if (!shared.bus) bus.close();
      storage.s3.destroy();
      await sql.end({ timeout: 5 });
    },
  };
  return worker;
}
