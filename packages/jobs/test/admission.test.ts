import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '@kino/db';
import {
  assess,
  claimJob,
  completeJob,
  createAdmissionControl,
  estimateFrom,
  readQueueLoad,
  RECENT_SAMPLES,
  type JobKind,
  type LaneSlots,
} from '../src/index.ts';
import { useQueueDb } from './queue-db.ts';

// The estimator against a real Postgres: media_jobs and workers rows crafted to the state
// each test needs, then read back by the same queries the api runs.

const q = useQueueDb();
let sql: Sql;
beforeAll(() => {
  sql = q.sql;
});
beforeEach(async () => {
  await sql`delete from workers`;
});

const CONFIGURED: LaneSlots = { processSource: 2, encodeLadder: 1 };
const estimate = async (configured = CONFIGURED) => estimateFrom(await readQueueLoad(sql), configured);

/** A job of `kind` that succeeded `minutesAgo`, its attempt having taken `seconds`. */
async function succeeded(kind: JobKind, seconds: number, minutesAgo = 1) {
  const job = await q.newJob(3, kind);
  await sql`
    update media_jobs
    set state = 'succeeded',
        finished_at = now() - make_interval(mins => ${minutesAgo}),
        started_at = now() - make_interval(mins => ${minutesAgo}) - make_interval(secs => ${seconds})
    where id = ${job.id}`;
  return job;
}

async function queued(kind: JobKind, n: number, runAt = sql`now()`) {
  for (let i = 0; i < n; i++) {
    const job = await q.newJob(3, kind);
    await sql`update media_jobs set run_at = ${runAt} where id = ${job.id}`;
  }
}

async function running(kind: JobKind, n: number) {
  for (let i = 0; i < n; i++) {
    const job = await q.newJob(3, kind);
    await sql`update media_jobs set state = 'running', started_at = now(), locked_by = 'w', locked_until = now() + interval '30 seconds' where id = ${job.id}`;
  }
}

async function worker(id: string, slots: LaneSlots, seenSecondsAgo = 0) {
  await sql`
    insert into workers (id, concurrency, ladder_concurrency, seen_at)
    values (${id}, ${slots.processSource}, ${slots.encodeLadder}, now() - make_interval(secs => ${seenSecondsAgo}))`;
}

/** The queue of the worked example: 5 first jobs due, one running, a purge running, two ladders. */
async function busyQueue() {
  await succeeded('process_source', 10);
  await succeeded('encode_ladder', 30);
  await queued('process_source', 5);
  await running('process_source', 1);
  await running('purge_asset', 1);
  await queued('encode_ladder', 1);
  await running('encode_ladder', 1);
}

describe('reading the queue', () => {
  it('an idle system with no worker and no history waits for nothing, and says so', async () => {
    const e = await estimate();
    expect(e).toMatchObject({ waitSeconds: 0, hlsReadySeconds: null, assumesConfiguredWorkers: true, slots: CONFIGURED });
    expect(e.load.workers).toEqual({ alive: 0, slots: { processSource: 0, encodeLadder: 0 } });
    for (const kind of ['process_source', 'encode_ladder', 'purge_asset'] as const)
      expect(e.load.byKind[kind]).toEqual({ queued: 0, due: 0, running: 0, typicalSeconds: null });
  });

  it('counts queued, due and running jobs by kind; a retry waiting out its backoff is queued but not due', async () => {
    await queued('process_source', 3);
    await queued('process_source', 1, sql`now() + interval '5 minutes'`);
    await running('process_source', 2);
    await queued('encode_ladder', 1);
    await running('encode_ladder', 1);
    await running('purge_asset', 1);
    await succeeded('process_source', 1);
    const { byKind } = await readQueueLoad(sql);
    expect(byKind.process_source).toMatchObject({ queued: 4, due: 3, running: 2 });
    expect(byKind.encode_ladder).toMatchObject({ queued: 1, due: 1, running: 1 });
    expect(byKind.purge_asset).toMatchObject({ queued: 0, due: 0, running: 1 });
  });

  it("times a kind by the mean of its last successful attempts, from each attempt's claim", async () => {
    // Older successes were slow; only the latest RECENT_SAMPLES count.
    for (let i = 0; i < 5; i++) await succeeded('process_source', 100, 60 + i);
    for (let i = 0; i < RECENT_SAMPLES; i++) await succeeded('process_source', i % 2 === 0 ? 1 : 3, 1 + i);
    // A failed attempt and a job from before attempts were timed are not samples.
    const failed = await succeeded('process_source', 500, 0);
    await sql`update media_jobs set state = 'failed' where id = ${failed.id}`;
    const untimed = await succeeded('process_source', 500, 0);
    await sql`update media_jobs set started_at = null where id = ${untimed.id}`;
    await succeeded('encode_ladder', 30);
    const { byKind } = await readQueueLoad(sql);
    expect(byKind.process_source.typicalSeconds).toBeCloseTo(2, 6);
    expect(byKind.encode_ladder.typicalSeconds).toBeCloseTo(30, 6);
    expect(byKind.purge_asset.typicalSeconds).toBeNull();
  });

  it('a claim stamps the start of the attempt, so a completed job has a duration', async () => {
    const job = await q.newJob();
    await claimJob(sql, 'w1', 30);
    expect(await completeJob(sql, job.id, 'w1')).toBe(true);
    const [row] = await sql`select started_at, finished_at >= started_at as ordered from media_jobs where id = ${job.id}`;
    expect(row).toMatchObject({ started_at: expect.any(Date), ordered: true });
    expect((await readQueueLoad(sql)).byKind.process_source.typicalSeconds).toEqual(expect.any(Number));
  });

  it('counts workers heard from lately and their slots; a silent one is gone', async () => {
    await worker('w1', { processSource: 3, encodeLadder: 1 });
    await worker('w2', { processSource: 2, encodeLadder: 2 }, 5);
    await worker('dead', { processSource: 8, encodeLadder: 8 }, 60);
    expect((await readQueueLoad(sql)).workers).toEqual({ alive: 2, slots: { processSource: 5, encodeLadder: 3 } });
  });
});

describe('the estimate for a new upload', () => {
  it("waits for the jobs ahead of its first job ÷ the live slots × their typical duration, and one ladder after the ladders' backlog", async () => {
    await busyQueue();
    await worker('w1', { processSource: 2, encodeLadder: 1 });
    await worker('dead', { processSource: 50, encodeLadder: 50 }, 60);
    const e = await estimate({ processSource: 9, encodeLadder: 9 });
    // Ahead of the first job: 5 due + 1 running + the running purge = 7 in a lane of 2 slots:
    // it starts at the 6th completion, and 2 slots complete one job each 10 / 2 s.
    expect(e.waitSeconds).toBeCloseTo(30, 6);
    // Ladders ahead: 1 queued + 1 running + the 6 the first jobs ahead will queue = 8 in one
    // slot of 30 s each: 240 s, which outlasts the first job; then its own ladder.
    expect(e.hlsReadySeconds).toBeCloseTo(30 + 240 + 30, 6);
    expect(e).toMatchObject({ slots: { processSource: 2, encodeLadder: 1 }, assumesConfiguredWorkers: false });
  });

  it("counts the jobs API's jobs in the ladders' backlog (they share its lane), not in the first jobs' wait", async () => {
    await busyQueue();
    await worker('w1', { processSource: 2, encodeLadder: 1 });
    const load = await readQueueLoad(sql);
    const base = estimateFrom(load, CONFIGURED);
    const runJob = { ...load.byKind.run_job, queued: 2, due: 2, running: 1 };
    const busier = estimateFrom({ ...load, byKind: { ...load.byKind, run_job: runJob } }, CONFIGURED);
    expect(busier.waitSeconds).toBe(base.waitSeconds);
    expect(busier.hlsReadySeconds! - base.hlsReadySeconds!).toBeCloseTo(3 * 30, 6);
  });

  it('has no wait while a slot is free', async () => {
    await succeeded('process_source', 10);
    await succeeded('encode_ladder', 30);
    await running('process_source', 1);
    await worker('w1', { processSource: 2, encodeLadder: 1 });
    const e = await estimate();
    expect(e.waitSeconds).toBe(0);
    // The running first job queues its ladder before this one's: one ladder of backlog,
    // which outlasts this first job, then this ladder.
    expect(e.hlsReadySeconds).toBeCloseTo(30 + 30, 6);
  });

  it('with no live worker, assumes the configured slots are coming back', async () => {
    await busyQueue();
    await worker('dead', { processSource: 50, encodeLadder: 50 }, 60);
    const e = await estimate({ processSource: 4, encodeLadder: 2 });
    expect(e.load.workers.alive).toBe(0);
    expect(e).toMatchObject({ slots: { processSource: 4, encodeLadder: 2 }, assumesConfiguredWorkers: true });
    expect(e.waitSeconds).toBeCloseTo(((7 - 4 + 1) * 10) / 4, 6);
    expect(e.hlsReadySeconds).toBeCloseTo(10 + ((8 - 2 + 1) * 30) / 2 + 30, 6);
  });

  it('does not know the wait behind a full lane before any first job has succeeded, and refuses nothing for it', async () => {
    await queued('process_source', 3);
    const e = await estimate();
    expect(e.waitSeconds).toBeNull();
    expect(assess(e, 1, new Date())).toMatchObject({ accepting: true, retryAfterSeconds: null });
  });
});

describe('admission', () => {
  it('refuses while the wait is over the limit, with a Retry-After of the excess', async () => {
    await busyQueue();
    const e = await estimate(); // no worker: the configured 2 slots, a wait of 30 s
    expect(e.waitSeconds).toBeCloseTo(30, 6);
    const at = new Date();
    expect(assess(e, 30, at)).toMatchObject({ accepting: true, retryAfterSeconds: null, maxWaitSeconds: 30, at });
    expect(assess(e, 20, at)).toMatchObject({ accepting: false, retryAfterSeconds: 10 });
    expect(assess({ ...e, waitSeconds: 30.2 }, 30, at)).toMatchObject({ accepting: false, retryAfterSeconds: 1 });
  });

  it('answers from one reading for cacheMs, and reads afresh with a cache of 0', async () => {
    const options = { sql, configuredSlots: CONFIGURED, maxWaitSeconds: 20 };
    const cached = createAdmissionControl({ ...options, cacheMs: 60_000 });
    const fresh = createAdmissionControl({ ...options, cacheMs: 0 });
    const before = await cached.assess();
    expect(before.accepting).toBe(true);
    await busyQueue();
    expect(await cached.assess()).toBe(before);
    expect(await fresh.assess()).toMatchObject({ accepting: false, retryAfterSeconds: 10 });
  });
});
