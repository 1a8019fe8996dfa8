import type { Queryable, Sql } from '@kino/db';
import { appendEvent, type RedisBus } from '@kino/events';
import {
  claimJob,
  completeJob,
  failJob,
  reapExpiredLeases,
  releaseJob,
  renewLease,
  setProgress,
  type FailureReport,
  type JobKind,
  type JobProgress,
  eventJobId,
  type MediaJob,
} from './queue.ts';
import { drain, IdleWait } from './idle.ts';
import { listenForJobs } from './wakeup.ts';

export interface JobContext {
  /** Aborted when the lease is lost or the worker stops; the handler must wind down. */
  signal: AbortSignal;
  /** Throttled: call as often as you like. */
  progress(p: JobProgress): void;
  /**
   * Call first inside a transaction that records results: locks the job row and throws
   * LeaseLostError unless this worker still holds it, so a worker that lost its lease
   * can never commit over the work of the one that took the job over.
   */
  holdLease(tx: Queryable): Promise<void>;
}

export class LeaseLostError extends Error {
  constructor() {
    super('this worker no longer holds the job');
  }
}

/** Thrown (or returned as a cause) by handlers to say how a failure should be treated. */
export class JobFailure extends Error {
  constructor(readonly report: FailureReport) {
    super(report.detail);
  }
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RunnerOptions {
  sql: Sql;
  /** The process's Redis, for wake-ups and cancellations; without it the runner only polls. */
  bus?: RedisBus;
  workerId: string;
  /** The kinds this runner claims (its lane); every kind when unset. */
  kinds?: readonly JobKind[];
  concurrency: number;
  leaseSeconds: number;
  pollIntervalMs: number;
  /** How long stop() lets running jobs finish before aborting and releasing them. */
  shutdownGraceMs: number;
  handler: (job: MediaJob, ctx: JobContext) => Promise<void>;
  log: Logger;
  /** Classifies an unexpected error thrown by the handler. */
  describeError?: (err: unknown) => FailureReport;
  /** Called after a commit that wrote events for an account, to wake their readers. */
  onEvents?: (accountId: string) => void;
}

export interface JobRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Jobs running right now. */
  readonly active: number;
}

const PROGRESS_EVERY_MS = 500;

export function createJobRunner(o: RunnerOptions): JobRunner {
  // `target`: the asset or user job a cancel announcement names.
  const running = new Map<number, { target: string; controller: AbortController; done: Promise<void> }>();
  let stopping = false;
  let loop: Promise<void> | undefined;
  let reaper: NodeJS.Timeout | undefined;
  let unlisten: (() => void) | undefined;
  // A wake-up (announcement, freed slot, stop) ends the current idle wait early.
  const idle = new IdleWait();
  const wake = () => idle.wake();

  const describe =
    o.describeError ??
    ((err: unknown): FailureReport => ({
      detail: err instanceof Error ? err.message : String(err),
      error: { code: 'PROCESSING_FAILED', message: 'Processing failed.' },
      retryable: true,
    }));

  async function runJob(job: MediaJob): Promise<void> {
    const controller = new AbortController();
    const log = { jobId: job.id, assetId: job.asset_id, userJobId: job.job_id, attempt: job.attempts };
    // A worker cut off from Postgres cannot hear that its lease was taken back, so it
    // gives up by itself once the lease it last secured has run out.
    let leaseUntil = Date.now() + o.leaseSeconds * 1000;
    const renew = setInterval(
      () => {
        if (Date.now() > leaseUntil) controller.abort(new Error('lease expired'));
        const asked = Date.now();
        renewLease(o.sql, job.id, o.workerId, o.leaseSeconds)
          .then((ok) => {
            if (ok) leaseUntil = asked + o.leaseSeconds * 1000;
            else controller.abort(new Error('lease lost'));
          })
          .catch((err) => o.log.warn({ err, ...log }, 'lease renewal failed'));
      },
      (o.leaseSeconds * 1000) / 3,
    );

    let lastProgressAt = 0;
    let pending: JobProgress | undefined;
    // The event log gets a step's start and each tenth of it, not every progress tick.
    // The writes are chained, and holdLease waits for the chain, so progress events never
    // land after the events of the step they led up to.
    let logged = '';
    let progressEvents: Promise<unknown> = Promise.resolve();
    const logProgress = (p: JobProgress) => {
      const mark = `${p.step}:${Math.floor((p.fraction ?? 0) * 10)}`;
      // A cancelled or lost job has nothing more to say.
      if (mark === logged || controller.signal.aborted) return;
      logged = mark;
      progressEvents = progressEvents
        .then(() =>
          appendEvent(o.sql, {
            accountId: job.account_id,
            assetId: job.asset_id,
            type: 'job.progress',
            data: { job_id: eventJobId(job), step: p.step ?? null, fraction: Math.round((p.fraction ?? 0) * 100) / 100 },
          }),
        )
        .then(
          () => o.onEvents?.(job.account_id),
          () => {},
        );
    };
    const ctx: JobContext = {
      signal: controller.signal,
      progress(p) {
        logProgress(p);
        pending = p;
        const now = Date.now();
        if (now - lastProgressAt < PROGRESS_EVERY_MS) return;
        lastProgressAt = now;
        setProgress(o.sql, job.id, o.workerId, p).catch(() => {});
        pending = undefined;
      },
      async holdLease(tx) {
        await progressEvents;
        const rows = await tx`
          select 1 from media_jobs
          where id = ${job.id} and locked_by = ${o.workerId} and state = 'running'
          for update`;
        if (rows.length === 0) {
          controller.abort(new Error('lease lost'));
          throw new LeaseLostError();
        }
      },
    };

    // What the throttle held back, written before the outcome so the job shows where it ended.
    const flushProgress = async () => {
      if (pending) await setProgress(o.sql, job.id, o.workerId, pending).catch(() => {});
    };
    const outcome = async () => {
      o.log.info(log, 'job started');
      try {
        await o.handler(job, ctx);
        await flushProgress();
        if (await completeJob(o.sql, job.id, o.workerId)) o.log.info(log, 'job succeeded');
        else o.log.warn(log, 'job finished after its lease was lost; left to its new owner');
      } catch (err) {
        if (controller.signal.aborted || err instanceof LeaseLostError) {
          // Lost lease: someone else owns the job now. Shutdown: hand it back unharmed.
          if (stopping && (await releaseJob(o.sql, job.id, o.workerId).catch(() => false))) {
            o.onEvents?.(job.account_id);
            o.log.info(log, 'job released on shutdown');
          } else {
            o.log.warn(log, 'job abandoned: lease lost');
          }
          return;
        }
        const report = err instanceof JobFailure ? err.report : describe(err);
        // The step it failed in, not the last one written before the throttle held it back.
        await flushProgress();
        const result = await failJob(o.sql, job, o.workerId, report);
        o.onEvents?.(job.account_id);
        o.log.warn({ ...log, outcome: result, detail: report.detail.slice(-2000) }, 'job failed');
      }
    };
    const done = outcome()
      // Postgres gone while recording the outcome: the lease will lapse and the reaper
      // re-queues the job, so log and carry on rather than take the process down.
      .catch((err) => o.log.error({ err, ...log }, 'recording the outcome of a job failed'))
      .finally(() => {
        clearInterval(renew);
        running.delete(job.id);
        wake();
      });
    running.set(job.id, { target: (job.asset_id ?? job.job_id)!, controller, done });
  }

  async function claimLoop(): Promise<void> {
    while (!stopping) {
      if (running.size < o.concurrency) {
        let job: MediaJob | null = null;
        try {
          job = await claimJob(o.sql, o.workerId, o.leaseSeconds, o.kinds);
        } catch (err) {
          o.log.error({ err }, 'claiming a job failed; retrying after the poll interval');
        }
        if (job) o.onEvents?.(job.account_id);
        if (job && !stopping) {
          void runJob(job);
          continue;
        }
        if (job) await releaseJob(o.sql, job.id, o.workerId).catch(() => {});
      }
      await idle.wait(o.pollIntervalMs);
    }
  }

  return {
    get active() {
      return running.size;
    },
    async start() {
      // A lane of no slots (WORKER_CONCURRENCY=0) claims nothing: a worker for segments only.
      if (o.concurrency === 0) return;
      if (o.bus) {
        unlisten = listenForJobs(
          o.bus,
          () => wake(),
          (target) => {
            for (const r of running.values()) if (r.target === target) r.controller.abort(new Error('job cancelled'));
          },
        );
      }
      const reap = () =>
        reapExpiredLeases(o.sql)
          .then((r) => {
            for (const account of r.accounts) o.onEvents?.(account);
            if (r.requeued + r.failed > 0) o.log.warn({ requeued: r.requeued, failed: r.failed }, 'reaped jobs with expired leases');
          })
          .catch((err) => o.log.error({ err }, 'reaping expired leases failed'));
      await reap();
      reaper = setInterval(reap, Math.max(1000, (o.leaseSeconds * 1000) / 2));
      loop = claimLoop();
    },
    async stop() {
      stopping = true;
      wake();
      clearInterval(reaper);
      unlisten?.();
      await loop;
      await drain(
        () => [...running.values()].map((r) => r.done),
        o.shutdownGraceMs,
        () => {
          for (const r of running.values()) r.controller.abort(new Error('worker stopping'));
        },
      );
    },
  };
}
