import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Sql } from '@kino/db';
import { JobFailure, LeaseLostError, createJobRunner, type JobContext, type MediaJob } from '../src/index.ts';
import { useQueueDb } from './queue-db.ts';

const q = useQueueDb();
const { newJob } = q;
let sql: Sql;
beforeAll(() => {
  sql = q.sql;
});

const quiet = { info() {}, warn() {}, error() {} };

/**
 * A TCP proxy to Postgres that can hold all traffic (both ways, buffered, in order) and
 * release it later: a worker partitioned from its database, not a mocked query.
 */
async function startHoldingProxy(target: URL) {
  let holding = false;
  let held = 0;
  const flushes: Array<() => void> = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      const queue: Buffer[] = [];
      from.on('data', (d: Buffer) => {
        if (holding || queue.length > 0) {
          held += d.length;
          queue.push(d);
        } else {
          to.write(d);
        }
      });
      flushes.push(() => {
        for (const d of queue.splice(0)) to.write(d);
      });
      from.on('error', () => to.destroy());
      from.on('close', () => to.destroy());
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(target);
  url.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: url.toString(),
    hold: () => (holding = true),
    heldBytes: () => held,
    release() {
      holding = false;
      for (const f of flushes) f();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
};
const jobState = async (id: number) => (await sql`select state, attempts, last_error from media_jobs where id = ${id}`)[0]!;

function runner(handler: (job: MediaJob, ctx: JobContext) => Promise<void>, leaseSeconds = 2) {
  return createJobRunner({
    sql,
    workerId: `w-${randomUUID().slice(0, 8)}`,
    concurrency: 1,
    leaseSeconds,
    pollIntervalMs: 50,
    shutdownGraceMs: 200,
    log: quiet,
    handler,
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
      committed = await sql
        .begin((tx) => ctx.holdLease(tx))
        .then(
          () => true,
          (err) => !(err instanceof LeaseLostError),
        );
      throw ctx.signal.reason;
    });
    await r.start();
    await until(async () => committed !== undefined);
    await r.stop();
    expect(aborted).toBe(true);
    expect(committed).toBe(false);
    expect((await jobState(job.id)).state).toBe('running'); // still the new owner's
  });

  it('loses a lease for real: renewals cut off, the reaper re-queues, a second worker claims, the first cannot publish', async () => {
    const job = await newJob();
    // Worker A reaches Postgres through a proxy the test can hold: a network partition.
    const proxy = await startHoldingProxy(new URL(q.db.url));
    const sqlA = createDb(proxy.url, { max: 4, applicationName: 'kino-lease-test-a' });
    let startedA!: () => void;
    const aStarted = new Promise<void>((r) => (startedA = r));
    let heal!: () => void;
    const healed = new Promise<void>((r) => (heal = r));
    let abortedA: unknown;
    let publishA: unknown;
    const a = createJobRunner({
      sql: sqlA,
      workerId: 'worker-a',
      concurrency: 1,
      leaseSeconds: 2,
      pollIntervalMs: 50,
      shutdownGraceMs: 200,
      log: quiet,
      handler: async (_job, ctx) => {
        startedA();
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
        abortedA = ctx.signal.reason;
        // A stubborn handler that finished its work anyway tries to publish once it can
        // reach Postgres again.
        await healed;
        publishA = await sqlA
          .begin((tx) => ctx.holdLease(tx))
          .then(
            () => 'committed',
            (err: unknown) => err,
          );
        throw ctx.signal.reason;
      },
    });
    await a.start();
    await aStarted;
    expect(await jobState(job.id)).toMatchObject({ state: 'running', attempts: 1 });
    expect((await sql`select locked_by from media_jobs where id = ${job.id}`)[0]!.locked_by).toBe('worker-a');

    proxy.hold();
    // Worker B, healthy, reaps the lapsed lease and takes the job over.
    let bPublished = false;
    const b = createJobRunner({
      sql,
      workerId: 'worker-b',
      concurrency: 1,
      leaseSeconds: 2,
      pollIntervalMs: 50,
      shutdownGraceMs: 200,
      log: quiet,
      handler: async (_job, ctx) => {
        await sql.begin((tx) => ctx.holdLease(tx));
        bPublished = true;
      },
    });
    await b.start();
    await expect.poll(() => jobState(job.id), { timeout: 60_000, interval: 100 }).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(bPublished).toBe(true);
    // A, cut off, gave up by itself once the lease it last secured ran out.
    await expect.poll(() => (abortedA as Error | undefined)?.message, { timeout: 60_000, interval: 50 }).toBe('lease expired');
    // The renewals A sent meanwhile never reached Postgres: nothing ever extended its lease.
    expect(proxy.heldBytes()).toBeGreaterThan(0);

    proxy.release();
    heal();
    await expect.poll(() => publishA, { timeout: 60_000, interval: 50 }).toBeInstanceOf(LeaseLostError);
    await Promise.all([a.stop(), b.stop()]);
    await sqlA.end();
    await proxy.close();
    const types = (await sql`select type from asset_events where asset_id = ${job.asset_id} order by seq`).map((r) => r.type);
    // Started by A, re-queued by the reaper, started by B; nothing of A's after.
    expect(types.filter((t) => t.startsWith('job.'))).toEqual(['job.started', 'job.queued', 'job.started']);
    expect(await jobState(job.id)).toMatchObject({ state: 'succeeded', attempts: 2 });
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

  it('shows the step a job failed in, even one the progress throttle held back', async () => {
    const job = await newJob();
    const r = runner(async (_job, ctx) => {
      ctx.progress({ step: 'download', fraction: 0 });
      // Within the same half second: only the next write or the outcome records it.
      ctx.progress({ step: 'probe', fraction: 0 });
      throw new JobFailure({ detail: 'cut short', retryable: false, error: { code: 'CORRUPT_SOURCE', message: 'bad' } });
    });
    await r.start();
    await until(async () => (await jobState(job.id)).state === 'failed');
    await r.stop();
    const [row] = await sql`select progress from media_jobs where id = ${job.id}`;
    expect(row!.progress).toMatchObject({ step: 'probe' });
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
