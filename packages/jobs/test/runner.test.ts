import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@kino/db';
import { JobFailure, LeaseLostError, createJobRunner, type JobContext, type MediaJob } from '../src/index.ts';
import { useQueueDb } from './queue-db.ts';

const q = useQueueDb();
const { newJob } = q;
let sql: Sql;
beforeAll(() => {
  sql = q.sql;
});

const quiet = { info() {}, warn() {}, error() {} };
const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
};
const jobState = async (id: number) => (await sql`select state, attempts, last_error from media_jobs where id = ${id}`)[0]!;

function runner(handler: (job: MediaJob, ctx: JobContext) => Promise<void>, leaseSeconds = 2) {
  return createJobRunner({
    sql, workerId: `w-${randomUUID().slice(0, 8)}`, concurrency: 1, leaseSeconds, pollIntervalMs: 50, shutdownGraceMs: 200,
    log: quiet, handler,
  });
}

describe('the job runner', () => {
  it('aborts the handler when its lease is taken away, and the handler cannot commit', async () => {
    const job = await newJob();
    let aborted = false;
    let committed: boolean | undefined;
    const r = runner(async (_job, ctx) => {
      // Someone else takes the job, as the reaper would after a long stall.
      await sql`update media_jobs set locked_by = 'someone-else' where id = ${job.id}`;
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      aborted = true;
      committed = await sql.begin((tx) => ctx.holdLease(tx)).then(() => true, (err) => !(err instanceof LeaseLostError));
      throw ctx.signal.reason;
    });
    await r.start();
    await until(async () => committed !== undefined);
    await r.stop();
    expect(aborted).toBe(true);
    expect(committed).toBe(false);
    expect((await jobState(job.id)).state).toBe('running'); // still the new owner's
  });

  it('records a failure the handler reports, with its detail', async () => {
    const job = await newJob();
    const r = runner(async () => {
      throw new JobFailure({ detail: 'stderr tail here', retryable: false, error: { code: 'CORRUPT_SOURCE', message: 'bad' } });
    });
    await r.start();
    await until(async () => (await jobState(job.id)).state === 'failed');
    await r.stop();
    expect(await jobState(job.id)).toMatchObject({ state: 'failed', last_error: 'stderr tail here' });
  });

  it('hands a running job back on stop once the grace period is over, without spending an attempt', async () => {
    const job = await newJob();
    let started = false;
    const r = runner(async (_job, ctx) => {
      started = true;
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      throw ctx.signal.reason;
    }, 30);
    await r.start();
    await until(async () => started);
    await r.stop();
    expect(await jobState(job.id)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('completes a job whose handler returns', async () => {
    const job = await newJob();
    const r = runner(async (_job, ctx) => {
      await sql.begin((tx) => ctx.holdLease(tx));
    });
    await r.start();
    await until(async () => (await jobState(job.id)).state === 'succeeded');
    await r.stop();
    expect((await jobState(job.id)).state).toBe('succeeded');
  });
});
