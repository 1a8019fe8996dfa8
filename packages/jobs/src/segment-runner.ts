import type { Sql } from '@kino/db';
import type { RedisBus } from '@kino/events';
import { drain, IdleWait } from './idle.ts';
import type { Logger } from './runner.ts';
import {
  announceSegmentDone,
  claimSegmentJob,
  finishSegmentJob,
  releaseSegmentJob,
  SEGMENT_HURRY_CHANNEL,
  SEGMENT_JOBS_CHANNEL,
  SEGMENT_PRIORITY,
  type SegmentJob,
} from './segment-queue.ts';

export interface SegmentRunnerOptions {
  sql: Sql;
  /** For wake-ups and the "done" notices waiters listen for; without it, everyone polls. */
  bus?: RedisBus;
  workerId: string;
  /**
   * Segments viewers wait for encoded at once: the per-worker bound on just-in-time work.
   * Read-ahead has slots of its own besides, all but one as many, and runs niced: a
   * viewer's miss never waits for read-ahead to end, which on a busy machine can take
   * several times as long as the viewer's own encode.
   */
  concurrency: number;
  leaseSeconds: number;
  pollIntervalMs: number;
  shutdownGraceMs: number;
  /**
   * Produces the segment, ending its row with finishSegmentJob in the transaction that
   * records it (the row is ended here otherwise). A throw ends the row too: the segment
   * stays missing, nothing is cached, and a viewer who still wants it asks again. `hurry`
   * fires when a viewer comes to wait for a read-ahead job: its encode is raised to a
   * viewer's CPU priority.
   */
  handler: (job: SegmentJob, signal: AbortSignal, hurry: AbortSignal) => Promise<void>;
  log: Logger;
}

export interface SegmentRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly active: number;
  /** Jobs claimed and run to an end (encoded, found done already, or failed) since start. */
  readonly ran: number;
}

/**
 * Claims segment jobs beside the media-job runner, in slots of their own: a viewer's
 * segment never waits for a ladder to finish. Leases are renewed like media jobs', so a
 * slow encode keeps its row and a dead worker's row is claimed again once its lease lapses.
 */
export function createSegmentRunner(o: SegmentRunnerOptions): SegmentRunner {
  const running = new Map<string, { controller: AbortController; hurry: AbortController; done: Promise<void>; readAhead: boolean }>();
  const readAheadSlots = Math.max(1, o.concurrency - 1);
  let ran = 0;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  const idle = new IdleWait();
  const wake = () => idle.wake();

  function run(job: SegmentJob): void {
    const key = `${job.asset_id} ${job.path}`;
    const controller = new AbortController();
    const hurry = new AbortController();
    const log = { assetId: job.asset_id, path: job.path };
    const renew = setInterval(
      () => {
        o.sql`
          update segment_jobs set locked_until = now() + make_interval(secs => ${o.leaseSeconds})
          where asset_id = ${job.asset_id} and path = ${job.path} and locked_by = ${o.workerId}
          returning priority`
          .then((rows) => {
            if (rows.length === 0) controller.abort(new Error('segment job lost'));
            else if (rows[0]!['priority'] === SEGMENT_PRIORITY.viewer) hurry.abort();
          })
          .catch((err) => o.log.warn({ err, ...log }, 'segment lease renewal failed'));
      },
      (o.leaseSeconds * 1000) / 3,
    );
    const started = Date.now();
    let handedBack = false;
    const done = o
      .handler(job, controller.signal, hurry.signal)
      .then(
        async () => {
          // A handler that found nothing to do (the segment exists, the asset is gone) ends the row here.
          await finishSegmentJob(o.sql, job, o.workerId);
          o.log.info(
            {
              ...log,
              ms: Date.now() - started,
              queuedMs: started - job.created_at.getTime(),
              priority: job.priority,
              hurried: hurry.signal.aborted,
            },
            'segment job done',
          );
        },
        async (err) => {
          if (stopping && controller.signal.aborted) {
            handedBack = true;
            await releaseSegmentJob(o.sql, job, o.workerId);
            return;
          }
          await finishSegmentJob(o.sql, job, o.workerId);
          o.log.warn({ ...log, err: err instanceof Error ? err.message : String(err) }, 'segment encode failed');
        },
      )
      .catch((err) => o.log.error({ err, ...log }, 'recording a segment job outcome failed; its lease will lapse'))
      .finally(() => {
        clearInterval(renew);
        running.delete(key);
        if (!handedBack) ran += 1;
        if (o.bus) announceSegmentDone(o.bus.redis, job.asset_id, job.path).catch(() => {});
        wake();
      });
    running.set(key, { controller, hurry, done, readAhead: job.priority !== SEGMENT_PRIORITY.viewer });
  }

  async function claimLoop(): Promise<void> {
    while (!stopping) {
      const readAhead = [...running.values()].filter((r) => r.readAhead).length;
      const viewersFree = running.size - readAhead < o.concurrency;
      const readAheadFree = readAhead < readAheadSlots;
      if (viewersFree || readAheadFree) {
        const only = !readAheadFree ? 'viewers' : !viewersFree ? 'readAhead' : undefined;
        const job = await claimSegmentJob(o.sql, o.workerId, o.leaseSeconds, only ? { only } : {}).catch((err) => {
          o.log.error({ err }, 'claiming a segment job failed; retrying after the poll interval');
          return null;
        });
        if (job && stopping) await releaseSegmentJob(o.sql, job, o.workerId).catch(() => {});
        else if (job) {
          run(job);
          continue;
        }
      }
      await idle.wait(o.pollIntervalMs);
    }
  }

  return {
    get active() {
      return running.size;
    },
    get ran() {
      return ran;
    },
    async start() {
      if (o.bus) {
        const subs = [
          o.bus.subscribe(SEGMENT_JOBS_CHANNEL, () => wake()),
          o.bus.subscribe(SEGMENT_HURRY_CHANNEL, (message) => running.get(message)?.hurry.abort()),
        ];
        unsubscribe = () => {
          for (const sub of subs) sub.close();
        };
      }
      loop = claimLoop();
    },
    async stop() {
      stopping = true;
      wake();
      unsubscribe?.();
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
