import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccount, createDb, insertAsset, type Sql } from '@kino/db';
import { createRedisBus, type RedisBus } from '@kino/events';
import { createTestDatabase, type TestDatabase } from '@kino/testkit';
import {
  announceSegmentJobs,
  announceSegmentWanted,
  cancelSegmentJobsOf,
  claimSegmentJob,
  createSegmentRunner,
  finishSegmentJob,
  leaveSegment,
  releaseSegmentJob,
  requestSegment,
  SEGMENT_DONE_CHANNEL,
  SEGMENT_HURRY_CHANNEL,
  SEGMENT_JOBS_CHANNEL,
  SEGMENT_PRIORITY,
  segmentPending,
  type SegmentJob,
  type SegmentRunner,
  type SegmentRunnerOptions,
} from '../src/index.ts';

// The just-in-time segment queue and its runner, against a real Postgres (this file's own
// database) and, where the runner listens or announces, a real Redis. Every test starts
// from an empty segment_jobs table and stops the runners it started.

const { viewer, readAhead } = SEGMENT_PRIORITY;
/** Bounds no test reaches unless it means to. */
const roomy = { limit: 1000, accountLimit: 1000 };
/** For expect.poll: long enough for a loaded machine, never a measure of speed. */
const soon = { timeout: 20_000, interval: 20 };

let db: TestDatabase;
let sql: Sql;
let accountA: string;
let accountB: string;
beforeAll(async () => {
  db = await createTestDatabase();
  sql = db.sql;
  accountA = (await createAccount(sql, 'segments-a')).id;
  accountB = (await createAccount(sql, 'segments-b')).id;
});
afterAll(() => db?.drop());
beforeEach(async () => {
  await sql`delete from segment_jobs`;
});

async function newAsset(accountId = accountA): Promise<string> {
  const id = randomUUID();
  await insertAsset(sql, { id, accountId, contentType: 'video/mp4' });
  return id;
}

const seg = (n: number) => `hls/360p/${n}.m4s`;

interface Ask {
  assetId: string;
  path: string;
  priority: number;
  accountId?: string;
  limit?: number;
  accountLimit?: number;
}
const ask = (a: Ask) => requestSegment(sql, { ...roomy, accountId: accountA, ...a });

type Row = Pick<SegmentJob, 'asset_id' | 'path' | 'account_id' | 'priority' | 'state' | 'locked_by' | 'locked_until'>;
const rows = () => sql<Row[]>`
  select asset_id, path, account_id, priority, state, locked_by, locked_until from segment_jobs order by asset_id, path`;
const row = async (assetId: string, path: string) =>
  (
    await sql<Row[]>`
    select asset_id, path, account_id, priority, state, locked_by, locked_until from segment_jobs
    where asset_id = ${assetId} and path = ${path}`
  )[0];

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('requestSegment', () => {
  it('joins a second request for the same segment, taking over a more urgent priority and never a less urgent one', async () => {
    const assetId = await newAsset();
    expect(await ask({ assetId, path: seg(7), priority: readAhead })).toBe('queued');
    expect(await ask({ assetId, path: seg(7), priority: viewer })).toBe('joined');
    expect(await rows()).toEqual([expect.objectContaining({ asset_id: assetId, path: seg(7), priority: viewer, state: 'queued' })]);
    expect(await ask({ assetId, path: seg(7), priority: readAhead })).toBe('joined');
    expect(await rows()).toEqual([expect.objectContaining({ path: seg(7), priority: viewer })]);
    // The same path of another asset is another segment.
    const other = await newAsset();
    expect(await ask({ assetId: other, path: seg(7), priority: readAhead })).toBe('queued');
    expect(await rows()).toHaveLength(2);
  });

  it('is full once viewer requests reach the limit; a pending segment can still be joined', async () => {
    const assetId = await newAsset();
    const bounds = { limit: 3, accountLimit: 3 };
    for (const n of [1, 2]) expect(await ask({ assetId, path: seg(n), priority: viewer, ...bounds })).toBe('queued');
    expect(await ask({ assetId, path: seg(3), priority: viewer, ...bounds, accountId: accountB })).toBe('queued');
    expect(await ask({ assetId, path: seg(4), priority: viewer, ...bounds })).toBe('full');
    expect(await ask({ assetId, path: seg(4), priority: viewer, ...bounds, accountId: accountB })).toBe('full');
    expect(await ask({ assetId, path: seg(2), priority: viewer, ...bounds, accountId: accountB })).toBe('joined');
    expect((await rows()).map((r) => r.path)).toEqual([seg(1), seg(2), seg(3)]);
    // A running row still holds its slot: it counts until its job ends.
    const job = (await claimSegmentJob(sql, 'w', 30))!;
    expect(await ask({ assetId, path: seg(4), priority: viewer, ...bounds })).toBe('full');
    expect(await finishSegmentJob(sql, job, 'w')).toBe(true);
    expect(await ask({ assetId, path: seg(4), priority: viewer, ...bounds })).toBe('queued');
  });

  it('is full for an account holding accountLimit requests while another account can still queue', async () => {
    const a = await newAsset(accountA);
    const b = await newAsset(accountB);
    const bounds = { limit: 10, accountLimit: 2 };
    for (const n of [1, 2]) expect(await ask({ assetId: a, path: seg(n), priority: viewer, ...bounds })).toBe('queued');
    expect(await ask({ assetId: a, path: seg(3), priority: viewer, ...bounds })).toBe('full');
    // Counted per account, not per asset.
    expect(await ask({ assetId: await newAsset(accountA), path: seg(3), priority: viewer, ...bounds })).toBe('full');
    expect(await ask({ assetId: b, path: seg(1), priority: viewer, ...bounds, accountId: accountB })).toBe('queued');
    expect(await ask({ assetId: b, path: seg(2), priority: viewer, ...bounds, accountId: accountB })).toBe('queued');
    expect(await ask({ assetId: b, path: seg(3), priority: viewer, ...bounds, accountId: accountB })).toBe('full');
    expect((await rows()).filter((r) => r.account_id === accountA)).toHaveLength(2);
    expect((await rows()).filter((r) => r.account_id === accountB)).toHaveLength(2);
  });

  it('counts every pending row against read-ahead, and only viewer rows against a viewer', async () => {
    const assetId = await newAsset();
    const bounds = { limit: 3, accountLimit: 2 };
    // Read-ahead fills the tier, and the account's share of it...
    expect(await ask({ assetId, path: seg(1), priority: readAhead, ...bounds })).toBe('queued');
    expect(await ask({ assetId, path: seg(2), priority: readAhead, ...bounds })).toBe('queued');
    expect(await ask({ assetId, path: seg(3), priority: readAhead, ...bounds })).toBe('full'); // the account's 2
    expect(await ask({ assetId, path: seg(3), priority: readAhead, ...bounds, accountId: accountB })).toBe('queued');
    expect(await ask({ assetId, path: seg(4), priority: readAhead, ...bounds, accountId: accountB })).toBe('full'); // the tier's 3
    // ...and never crowds out a viewer, of either account.
    expect(await ask({ assetId, path: seg(10), priority: viewer, ...bounds })).toBe('queued');
    expect(await ask({ assetId, path: seg(11), priority: viewer, ...bounds })).toBe('queued');
    expect(await ask({ assetId, path: seg(12), priority: viewer, ...bounds })).toBe('full'); // the account's 2 viewers
    expect(await ask({ assetId, path: seg(12), priority: viewer, ...bounds, accountId: accountB })).toBe('queued');
    expect(await ask({ assetId, path: seg(13), priority: viewer, ...bounds, accountId: accountB })).toBe('full'); // the tier's 3 viewers
    // Viewer rows count against read-ahead too.
    await sql`delete from segment_jobs where priority = ${readAhead}`;
    expect(await ask({ assetId, path: seg(20), priority: readAhead, ...bounds, accountId: accountB })).toBe('full');
    const counts = await sql<{ priority: number; n: number }[]>`
      select priority, count(*)::int as n from segment_jobs group by priority order by priority`;
    expect(counts).toEqual([{ priority: viewer, n: 3 }]);
  });

  it('leaves one row and one `queued` for concurrent requests of the same new segment', async () => {
    const assetId = await newAsset();
    const answers = await Promise.all(Array.from({ length: 20 }, () => ask({ assetId, path: seg(1), priority: readAhead })));
    expect(answers.filter((a) => a === 'queued')).toHaveLength(1);
    expect(answers.filter((a) => a === 'joined')).toHaveLength(19);
    expect(await rows()).toEqual([expect.objectContaining({ path: seg(1), priority: readAhead })]);

    // Mixed priorities end at the most urgent, whichever request came first.
    const mixed = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ask({ assetId, path: seg(2), priority: i % 2 === 0 ? readAhead : viewer })),
    );
    expect(mixed.filter((a) => a === 'queued')).toHaveLength(1);
    expect(mixed.filter((a) => a === 'joined')).toHaveLength(19);
    expect(await row(assetId, seg(2))).toMatchObject({ priority: viewer, state: 'queued' });
    expect(await rows()).toHaveLength(2);
  });
});

// Requests are serialised by an advisory lock: without it the bound was checked against a
// snapshot, so overlapping requests did not see each other (the tier went over its bound,
// and a request that missed a row just committed called a queued segment full).
describe('requestSegment under concurrency', () => {
  it('holds the viewer bound when many requests for different segments overlap', async () => {
    const assetId = await newAsset();
    const bounds = { limit: 5, accountLimit: 5 };
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        requestSegment(sql, { assetId, accountId: accountA, path: seg(n), priority: viewer, ...bounds }),
      ),
    );
    expect(answers.filter((x) => x === 'queued')).toHaveLength(5);
    expect(answers.filter((x) => x === 'full')).toHaveLength(15);
    expect(await rows()).toHaveLength(5);
  });

  it('answers `joined`, never `full`, to concurrent requests for one segment at a bound of one', async () => {
    const assetId = await newAsset();
    const bounds = { limit: 1, accountLimit: 1 };
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        requestSegment(sql, { assetId, accountId: n % 2 ? accountA : accountB, path: seg(1), priority: viewer, ...bounds }),
      ),
    );
    expect(answers.filter((x) => x === 'queued')).toHaveLength(1);
    expect(answers.filter((x) => x === 'joined')).toHaveLength(19);
    expect(await rows()).toHaveLength(1);
  });
});

describe('claimSegmentJob', () => {
  it('takes the most urgent segment first, then the oldest', async () => {
    const assetId = await newAsset();
    // Inserted in an order that is neither the claim order nor the age order.
    await ask({ assetId, path: seg(5), priority: readAhead });
    await ask({ assetId, path: seg(2), priority: viewer });
    await ask({ assetId, path: seg(9), priority: readAhead });
    await ask({ assetId, path: seg(1), priority: viewer });
    await sql`
      update segment_jobs set created_at = now() - case path
        when ${seg(9)} then interval '4 minutes'
        when ${seg(1)} then interval '3 minutes'
        when ${seg(5)} then interval '2 minutes'
        else interval '1 minute' end`;
    const order: string[] = [];
    for (let job = await claimSegmentJob(sql, 'w1', 30); job; job = await claimSegmentJob(sql, 'w1', 30)) {
      expect(job).toMatchObject({ asset_id: assetId, account_id: accountA, state: 'running', locked_by: 'w1' });
      expect(job.locked_until!.getTime()).toBeGreaterThan(job.created_at.getTime());
      order.push(job.path);
    }
    expect(order).toEqual([seg(1), seg(2), seg(9), seg(5)]);
    expect(await claimSegmentJob(sql, 'w2', 30)).toBeNull();
  });

  it('takes only the class asked for when told to', async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: viewer });
    await ask({ assetId, path: seg(2), priority: readAhead });
    await ask({ assetId, path: seg(3), priority: viewer });
    expect(await claimSegmentJob(sql, 'w', 30, { only: 'readAhead' })).toMatchObject({ path: seg(2) });
    expect(await claimSegmentJob(sql, 'w', 30, { only: 'readAhead' })).toBeNull();
    expect(await claimSegmentJob(sql, 'w', 30, { only: 'viewers' })).toMatchObject({ path: seg(1) });
    expect(await claimSegmentJob(sql, 'w', 30, { only: 'viewers' })).toMatchObject({ path: seg(3) });
    expect(await claimSegmentJob(sql, 'w', 30, { only: 'viewers' })).toBeNull();
  });

  it("leaves read-ahead queued while an upload's first job waits to be claimed, and viewers' segments not", async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(3), priority: readAhead });
    await ask({ assetId, path: seg(1), priority: viewer });
    const upload = await newAsset();
    const [first] = await sql`
      insert into media_jobs (asset_id, account_id, kind, priority, max_attempts)
      values (${upload}, ${accountA}, 'process_source', 1, 3) returning id`;
    try {
      expect((await claimSegmentJob(sql, 'w1', 30))?.path).toBe(seg(1));
      expect(await claimSegmentJob(sql, 'w1', 30)).toBeNull();
      await sql`update media_jobs set state = 'running' where id = ${first!['id']}`;
      expect((await claimSegmentJob(sql, 'w1', 30))?.path).toBe(seg(3));
    } finally {
      await sql`delete from media_jobs where id = ${first!['id']}`;
    }
  });

  it('skips a row another claimer holds locked instead of waiting for it or taking it too', async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: viewer });
    await ask({ assetId, path: seg(2), priority: viewer });
    await sql`update segment_jobs set created_at = now() - interval '1 minute' where path = ${seg(1)}`;
    // A claimer whose transaction has not committed yet: its row stays locked.
    const slow = await sql.reserve();
    try {
      await slow`begin`;
      const first = await claimSegmentJob(slow, 'slow', 30);
      expect(first?.path).toBe(seg(1));
      const second = await claimSegmentJob(sql, 'fast', 30);
      expect(second).toMatchObject({ path: seg(2), locked_by: 'fast' });
      expect(await claimSegmentJob(sql, 'third', 30)).toBeNull();
      await slow`commit`;
    } finally {
      slow.release();
    }
    expect((await rows()).map((r) => [r.path, r.state, r.locked_by])).toEqual([
      [seg(1), 'running', 'slow'],
      [seg(2), 'running', 'fast'],
    ]);
  });

  it('never gives one row to two concurrent claimers', async () => {
    const assetId = await newAsset();
    for (let n = 0; n < 10; n++) await ask({ assetId, path: seg(n), priority: n % 2 });
    const claims = await Promise.all(Array.from({ length: 30 }, (_, i) => claimSegmentJob(sql, `w${i}`, 30)));
    const got = claims.flatMap((j, i) => (j ? [{ path: j.path, worker: `w${i}`, lockedBy: j.locked_by }] : []));
    expect(got.every((g) => g.lockedBy === g.worker)).toBe(true);
    expect(new Set(got.map((g) => g.path)).size).toBe(got.length);
    expect(got).toHaveLength(10);
    // What each claimer was told is what the table says.
    const held = new Map((await rows()).map((r) => [r.path, r.locked_by]));
    for (const g of got) expect(held.get(g.path)).toBe(g.worker);

    // And two at a time over a single row: exactly one wins, round after round.
    for (let round = 0; round < 10; round++) {
      await sql`delete from segment_jobs`;
      await ask({ assetId, path: seg(round), priority: viewer });
      const pair = await Promise.all([claimSegmentJob(sql, 'left', 30), claimSegmentJob(sql, 'right', 30)]);
      expect(pair.filter((j) => j !== null)).toHaveLength(1);
    }
  });

  it('claims a running row again once its lease has lapsed, and not while it holds', async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: viewer });
    const dead = (await claimSegmentJob(sql, 'dead', 30))!;
    expect(await claimSegmentJob(sql, 'next', 30)).toBeNull();
    await sql`update segment_jobs set locked_until = now() + interval '1 second'`;
    expect(await claimSegmentJob(sql, 'next', 30)).toBeNull();
    await sql`update segment_jobs set locked_until = now() - interval '1 second'`;
    const again = await claimSegmentJob(sql, 'next', 30);
    expect(again).toMatchObject({ path: seg(1), state: 'running', locked_by: 'next' });
    expect(await claimSegmentJob(sql, 'third', 30)).toBeNull();
    // The worker that lost it can no longer end it; the new holder can.
    expect(await finishSegmentJob(sql, dead, 'dead')).toBe(false);
    expect(await segmentPending(sql, assetId, seg(1))).toBe(true);
    expect(await finishSegmentJob(sql, again!, 'next')).toBe(true);
    expect(await segmentPending(sql, assetId, seg(1))).toBe(false);
  });
});

describe('leaveSegment', () => {
  const waiters = async (assetId: string, path: string) =>
    (await sql<{ waiters: number }[]>`select waiters from segment_jobs where asset_id = ${assetId} and path = ${path}`)[0]?.waiters;

  it('counts the viewers waiting for a job, and not read-ahead', async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: readAhead });
    expect(await waiters(assetId, seg(1))).toBe(0);
    await ask({ assetId, path: seg(1), priority: viewer });
    await ask({ assetId, path: seg(1), priority: viewer });
    await ask({ assetId, path: seg(1), priority: readAhead });
    expect(await waiters(assetId, seg(1))).toBe(2);
  });

  it('drops a queued job once the last viewer waiting for it went away, and not before', async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: viewer });
    await ask({ assetId, path: seg(1), priority: viewer });
    expect(await leaveSegment(sql, assetId, seg(1), { gone: true })).toBe(false);
    expect(await waiters(assetId, seg(1))).toBe(1);
    expect(await leaveSegment(sql, assetId, seg(1), { gone: true })).toBe(true);
    expect(await rows()).toEqual([]);
  });

  it('keeps a job whose viewer only stopped waiting (it asks again), and one already being encoded', async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: viewer });
    expect(await leaveSegment(sql, assetId, seg(1), { gone: false })).toBe(false);
    expect(await row(assetId, seg(1))).toMatchObject({ state: 'queued', priority: viewer });
    expect(await waiters(assetId, seg(1))).toBe(0);
    // The viewer's next ask finds it in its place.
    expect(await ask({ assetId, path: seg(1), priority: viewer })).toBe('joined');

    await ask({ assetId, path: seg(2), priority: viewer });
    const running = (await claimSegmentJob(sql, 'w', 30))!;
    expect(running.path).toBe(seg(1));
    expect(await leaveSegment(sql, assetId, seg(1), { gone: true })).toBe(false);
    expect(await row(assetId, seg(1))).toMatchObject({ state: 'running', locked_by: 'w' });
    // The other, still queued, goes with its viewer.
    expect(await leaveSegment(sql, assetId, seg(2), { gone: true })).toBe(true);
    expect((await rows()).map((r) => r.path)).toEqual([seg(1)]);
  });

  it('frees the room a dropped job held under the bound', async () => {
    const assetId = await newAsset();
    const bounds = { limit: 1, accountLimit: 1 };
    expect(await ask({ assetId, path: seg(1), priority: viewer, ...bounds })).toBe('queued');
    expect(await ask({ assetId, path: seg(2), priority: viewer, ...bounds })).toBe('full');
    await leaveSegment(sql, assetId, seg(1), { gone: true });
    expect(await ask({ assetId, path: seg(2), priority: viewer, ...bounds })).toBe('queued');
  });
});

describe('finishing, releasing and cancelling', () => {
  it('lets only the holder finish a job, once', async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: viewer });
    const job = (await claimSegmentJob(sql, 'holder', 30))!;
    expect(await finishSegmentJob(sql, job, 'someone-else')).toBe(false);
    expect(await segmentPending(sql, assetId, seg(1))).toBe(true);
    expect(await finishSegmentJob(sql, job, 'holder')).toBe(true);
    expect(await rows()).toEqual([]);
    expect(await finishSegmentJob(sql, job, 'holder')).toBe(false);
  });

  it('hands a job back to the queue in its place, for the holder only', async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: viewer });
    await ask({ assetId, path: seg(2), priority: viewer });
    await sql`update segment_jobs set created_at = now() - interval '1 minute' where path = ${seg(1)}`;
    const job = (await claimSegmentJob(sql, 'holder', 30))!;
    expect(job.path).toBe(seg(1));
    await releaseSegmentJob(sql, job, 'someone-else');
    expect(await row(assetId, seg(1))).toMatchObject({ state: 'running', locked_by: 'holder' });
    await releaseSegmentJob(sql, job, 'holder');
    expect(await row(assetId, seg(1))).toMatchObject({ state: 'queued', locked_by: null, locked_until: null });
    // Still the oldest: the next claim takes it again.
    expect((await claimSegmentJob(sql, 'next', 30))?.path).toBe(seg(1));
  });

  it("cancels an asset's rows, says until when its running encodes may still write, and leaves their holders nothing to finish", async () => {
    const gone = await newAsset();
    const kept = await newAsset();
    await ask({ assetId: gone, path: seg(1), priority: viewer });
    await ask({ assetId: gone, path: seg(2), priority: viewer });
    await ask({ assetId: gone, path: seg(3), priority: readAhead });
    await ask({ assetId: kept, path: seg(1), priority: readAhead });
    await sql`update segment_jobs set created_at = now() - interval '1 minute' where asset_id = ${gone}`;
    const short = (await claimSegmentJob(sql, 'w-short', 30))!;
    const long = (await claimSegmentJob(sql, 'w-long', 600))!;
    expect([short.asset_id, long.asset_id]).toEqual([gone, gone]);
    const [agg] = await sql<{ latest: Date }[]>`select max(locked_until) as latest from segment_jobs where asset_id = ${gone}`;
    const latest = agg!.latest;
    expect(latest.getTime()).toBe(long.locked_until!.getTime());

    const quietAfter = await cancelSegmentJobsOf(sql, gone);
    expect(quietAfter.getTime()).toBeGreaterThanOrEqual(latest.getTime());
    expect(quietAfter.getTime()).toBeGreaterThanOrEqual(short.locked_until!.getTime());
    expect((await rows()).map((r) => [r.asset_id, r.path])).toEqual([[kept, seg(1)]]);
    expect(await finishSegmentJob(sql, short, 'w-short')).toBe(false);
    expect(await finishSegmentJob(sql, long, 'w-long')).toBe(false);

    // Nothing was running: nothing can still write after now.
    const before = Date.now();
    expect((await cancelSegmentJobsOf(sql, kept)).getTime()).toBeGreaterThanOrEqual(before);
    expect(await rows()).toEqual([]);
  });
});

const quiet = { info() {}, warn() {}, error() {} };
function recordingLog() {
  const lines: Array<{ level: string; msg: string | undefined; obj: object }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, msg, obj });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const live: SegmentRunner[] = [];
afterEach(async () => {
  await Promise.all(live.splice(0).map((r) => r.stop()));
});

function segmentRunner(o: Partial<SegmentRunnerOptions> & Pick<SegmentRunnerOptions, 'handler'>) {
  const workerId = o.workerId ?? `seg-${randomUUID().slice(0, 8)}`;
  const r = createSegmentRunner({
    sql,
    workerId,
    concurrency: 1,
    leaseSeconds: 30,
    pollIntervalMs: 50,
    shutdownGraceMs: 60_000,
    log: quiet,
    ...o,
  });
  live.push(r);
  return Object.assign(r, { workerId });
}

/**
 * Resolves once `bus` has delivered a message published through `via`. createRedisBus's
 * subscriber loses a SUBSCRIBE sent between its connection's connect and ready (ioredis
 * 5.11, redis/ioredis#2037: the ready check's INFO fails in subscriber mode, the connection
 * resets, nothing is subscribed again) while `ready` says true. After one round trip the
 * connection is past that window and later subscriptions hold. Each attempt uses a channel
 * of its own, so a lost one cannot answer late.
 */
async function subscriberSettled(bus: RedisBus, via: RedisBus): Promise<void> {
  const attempt = async () => {
    const channel = `kino:test:${randomUUID()}`;
    const heard = deferred();
    const s = bus.subscribe(channel, () => heard.resolve());
    try {
      if (!(await s.ready) || (await via.redis.publish(channel, 'ping')) !== 1) return false;
      // Delivered, unless the reset was already on its way: then the next attempt.
      return await Promise.race([heard.promise.then(() => true), sleep(1000, false)]);
    } finally {
      s.close();
    }
  };
  for (let tries = 0; tries < 30; tries++) if (await attempt()) return;
  throw new Error('the Redis bus never delivered a message');
}

describe('the segment runner', () => {
  it('runs jobs up to its concurrency, then the rest as slots free up', async () => {
    const assetId = await newAsset();
    for (let n = 0; n < 5; n++) await ask({ assetId, path: seg(n), priority: viewer });
    const gates = new Map<string, () => void>();
    const started: string[] = [];
    let inFlight = 0;
    let most = 0;
    const r = segmentRunner({
      concurrency: 2,
      handler: async (job, signal) => {
        started.push(job.path);
        most = Math.max(most, ++inFlight);
        const gate = deferred();
        gates.set(job.path, gate.resolve);
        await gate.promise;
        inFlight--;
        expect(signal.aborted).toBe(false);
      },
    });
    await r.start();
    await expect.poll(() => started.length, soon).toBe(2);
    expect(r.active).toBe(2);
    const held = await rows();
    const running = held.filter((x) => x.state === 'running');
    expect(running.map((x) => x.path).sort()).toEqual([...started].sort());
    expect(running.every((x) => x.locked_by === r.workerId)).toBe(true);
    expect(held.filter((x) => x.state === 'queued')).toHaveLength(3);
    expect(r.ran).toBe(0);

    for (let done = 1; done <= 5; done++) {
      gates.get(started[done - 1]!)!();
      await expect.poll(() => r.ran, soon).toBe(done);
      await expect.poll(() => started.length, soon).toBe(Math.min(5, done + 2));
    }
    expect(new Set(started).size).toBe(5);
    expect(most).toBe(2);
    expect(r.active).toBe(0);
    expect(await rows()).toEqual([]);
  });

  it('gives viewers and read-ahead slots of their own: neither class waits for the other to end', async () => {
    const assetId = await newAsset();
    for (let n = 0; n < 4; n++) await ask({ assetId, path: seg(n), priority: readAhead });
    const gates = new Map<string, () => void>();
    const started: string[] = [];
    const r = segmentRunner({
      concurrency: 3,
      handler: async (job) => {
        started.push(job.path);
        const gate = deferred();
        gates.set(job.path, gate.resolve);
        await gate.promise;
      },
    });
    await r.start();
    // Read-ahead takes its two slots, and no more however long they run.
    await expect.poll(() => started.length, soon).toBe(2);
    await sleep(300);
    expect(started).toEqual([seg(0), seg(1)]);
    // Viewers' misses start at once, three of them, beside the read-ahead.
    for (const n of [7, 8, 9, 10]) await ask({ assetId, path: seg(n), priority: viewer });
    await expect.poll(() => started.length, soon).toBe(5);
    expect(started.slice(2)).toEqual([seg(7), seg(8), seg(9)]);
    await sleep(300);
    expect(started).toHaveLength(5);
    // A viewer's end lets the next viewer in, never a read-ahead job.
    gates.get(seg(7))!();
    await expect.poll(() => started.length, soon).toBe(6);
    expect(started[5]).toBe(seg(10));
    // A read-ahead job's end lets the next read-ahead in.
    gates.get(seg(0))!();
    await expect.poll(() => started.length, soon).toBe(7);
    expect(started[6]).toBe(seg(2));
    for (const n of [1, 2, 8, 9, 10]) gates.get(seg(n))!();
    await expect.poll(() => started.length, soon).toBe(8);
    gates.get(seg(3))!();
    await expect.poll(() => r.ran, soon).toBe(8);
  });

  it("hurries a read-ahead job that a viewer came to wait for, at the lease's next renewal, and never a job nobody joined", async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: readAhead });
    await ask({ assetId, path: seg(2), priority: readAhead });
    const hurried = new Set<string>();
    const gates = new Map<string, () => void>();
    const r = segmentRunner({
      concurrency: 3,
      leaseSeconds: 2,
      handler: async (job, _signal, hurry) => {
        hurry.addEventListener('abort', () => hurried.add(job.path), { once: true });
        const gate = deferred();
        gates.set(job.path, gate.resolve);
        await gate.promise;
      },
    });
    await r.start();
    await expect.poll(() => gates.size, soon).toBe(2);
    expect(await ask({ assetId, path: seg(2), priority: viewer })).toBe('joined');
    await expect.poll(() => [...hurried], soon).toEqual([seg(2)]);
    // Renewals go by: the other stays as it was.
    await sleep(1500);
    expect([...hurried]).toEqual([seg(2)]);
    for (const gate of gates.values()) gate();
    await expect.poll(() => r.ran, soon).toBe(2);
  });

  it('ends the row of a handler that throws, and carries on with the next job', async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: viewer });
    await ask({ assetId, path: seg(2), priority: readAhead });
    const calls: string[] = [];
    const { lines, log } = recordingLog();
    const r = segmentRunner({
      log,
      handler: async (job) => {
        calls.push(job.path);
        if (job.path === seg(1)) throw new Error('ffmpeg exploded');
      },
    });
    await r.start();
    await expect.poll(() => r.ran, soon).toBe(2);
    expect(calls).toEqual([seg(1), seg(2)]);
    expect(await rows()).toEqual([]);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([
      { level: 'warn', msg: 'segment encode failed', obj: expect.objectContaining({ assetId, path: seg(1), err: 'ffmpeg exploded' }) },
    ]);

    // Still claiming: a later request is picked up by the poll.
    await ask({ assetId, path: seg(1), priority: viewer });
    await expect.poll(() => r.ran, soon).toBe(3);
    expect(calls).toEqual([seg(1), seg(2), seg(1)]);
    expect(await rows()).toEqual([]);
  });

  it('lets a handler end its own row in the transaction that records the segment', async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: viewer });
    const ended: boolean[] = [];
    const r = segmentRunner({
      handler: async (job) => {
        ended.push(await sql.begin((tx) => finishSegmentJob(tx, job, r.workerId)));
      },
    });
    await r.start();
    await expect.poll(() => r.ran, soon).toBe(1);
    expect(ended).toEqual([true]);
    expect(await rows()).toEqual([]);
  });

  it("aborts a handler whose row was cancelled under it, at the lease's next renewal", async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: viewer });
    const started = deferred<AbortSignal>();
    const r = segmentRunner({
      leaseSeconds: 1,
      handler: (_job, signal) => {
        started.resolve(signal);
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      },
    });
    await r.start();
    const signal = await started.promise;
    expect(signal.aborted).toBe(false);
    await cancelSegmentJobsOf(sql, assetId);
    await expect.poll(() => signal.aborted, soon).toBe(true);
    expect((signal.reason as Error).message).toBe('segment job lost');
    await expect.poll(() => r.ran, soon).toBe(1);
    expect(r.active).toBe(0);
    expect(await rows()).toEqual([]);
  });

  it('lets a handler that ends within the grace finish on stop', async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: viewer });
    const started = deferred<AbortSignal>();
    const gate = deferred();
    const r = segmentRunner({
      shutdownGraceMs: 60_000,
      handler: async (_job, signal) => {
        started.resolve(signal);
        await gate.promise;
      },
    });
    await r.start();
    const signal = await started.promise;
    const stopped = r.stop();
    gate.resolve();
    await stopped;
    expect(signal.aborted).toBe(false);
    expect(r.ran).toBe(1);
    expect(await rows()).toEqual([]);
  });

  it('aborts a handler still running past the grace on stop and hands its row back to the queue', async () => {
    const assetId = await newAsset();
    await ask({ assetId, path: seg(1), priority: viewer });
    const [before] = await sql<{ created_at: Date }[]>`select created_at from segment_jobs`;
    const started = deferred<AbortSignal>();
    const r = segmentRunner({
      shutdownGraceMs: 50,
      handler: (_job, signal) => {
        started.resolve(signal);
        // Ends only when told to: it outlives any grace.
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      },
    });
    await r.start();
    const signal = await started.promise;
    expect(await row(assetId, seg(1))).toMatchObject({ state: 'running', locked_by: r.workerId });
    await r.stop();
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('worker stopping');
    expect(r.active).toBe(0);
    expect(await row(assetId, seg(1))).toMatchObject({ state: 'queued', locked_by: null, locked_until: null, priority: viewer });
    const [after] = await sql<{ created_at: Date }[]>`select created_at from segment_jobs`;
    expect(after!.created_at).toEqual(before!.created_at);
    // Another worker takes it over at once.
    expect(await claimSegmentJob(sql, 'successor', 30)).toMatchObject({ path: seg(1), locked_by: 'successor' });
  });

  describe('with a Redis bus', () => {
    const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
    // Two processes' worth: messages cross real Redis.
    let here: RedisBus;
    let there: RedisBus;
    beforeAll(async () => {
      here = createRedisBus(url);
      there = createRedisBus(url);
      await subscriberSettled(here, there);
      await subscriberSettled(there, here);
    });
    afterAll(() => {
      here?.close();
      there?.close();
    });

    it('is woken by announceSegmentJobs long before its poll interval', async () => {
      // The runner gets a connection of its own, so Postgres can say when its first claim has run.
      const applicationName = `kino-seg-wake-${randomUUID().slice(0, 8)}`;
      const runnerSql = createDb(db.url, { max: 1, applicationName });
      try {
        // The bus subscribes once per channel: once this subscription is confirmed, so is the runner's.
        const confirmed = here.subscribe(SEGMENT_JOBS_CHANNEL, () => {});
        expect(await confirmed.ready).toBe(true);
        const calls: string[] = [];
        const r = segmentRunner({
          sql: runnerSql,
          bus: here,
          pollIntervalMs: 3_600_000,
          handler: async (job) => {
            calls.push(job.path);
          },
        });
        await r.start();
        // Its first claim has finished on the server and found nothing: whatever is queued
        // from now on, only a wake-up brings it back within the hour. (Other test files
        // announce on the same Redis channel; a stray wake-up could only make this pass
        // sooner, never fail.)
        const claimedOnce = async () =>
          (
            await sql`
            select 1 from pg_stat_activity
            where application_name = ${applicationName} and state = 'idle' and query ilike '%skip locked%'`
          ).length;
        await expect.poll(claimedOnce, soon).toBe(1);

        const assetId = await newAsset();
        expect(await ask({ assetId, path: seg(1), priority: viewer })).toBe('queued');
        await announceSegmentJobs(there.redis);
        await expect.poll(() => calls, soon).toEqual([seg(1)]);
        await expect.poll(() => r.ran, soon).toBe(1);
        expect(await rows()).toEqual([]);
        await r.stop();
        confirmed.close();
      } finally {
        await Promise.all(live.splice(0).map((x) => x.stop()));
        await runnerSql.end();
      }
    });

    it('hurries a running read-ahead job as soon as a viewer joining it is announced', async () => {
      // The bus subscribes once per channel: once this subscription is confirmed, so is the runner's.
      const confirmed = here.subscribe(SEGMENT_HURRY_CHANNEL, () => {});
      expect(await confirmed.ready).toBe(true);
      const assetId = await newAsset();
      await ask({ assetId, path: seg(3), priority: readAhead });
      const hurried = deferred();
      const running = deferred();
      const r = segmentRunner({
        bus: here,
        // No renewal within the test: only the announcement can hurry it.
        leaseSeconds: 3600,
        handler: async (_job, _signal, hurry) => {
          running.resolve();
          await new Promise((resolve) => hurry.addEventListener('abort', resolve, { once: true }));
          hurried.resolve();
        },
      });
      await r.start();
      await running.promise;
      expect(await ask({ assetId, path: seg(3), priority: viewer })).toBe('joined');
      await announceSegmentWanted(there.redis, assetId, seg(3));
      await hurried.promise;
      await expect.poll(() => r.ran, soon).toBe(1);
      confirmed.close();
    });

    it('tells waiters on SEGMENT_DONE_CHANNEL when a job ends, however it ended, after its row is gone', async () => {
      const assetId = await newAsset();
      const heard: Array<{ message: string; pending: Promise<boolean> }> = [];
      const waiter = there.subscribe(SEGMENT_DONE_CHANNEL, (message) => {
        // Other test files share this Redis: only this asset's notices are ours.
        const [asset, path] = message.split(' ');
        if (asset === assetId) heard.push({ message, pending: segmentPending(sql, asset, path!) });
      });
      expect(await waiter.ready).toBe(true);
      await ask({ assetId, path: seg(1), priority: viewer });
      await ask({ assetId, path: seg(2), priority: readAhead });
      const r = segmentRunner({
        bus: here,
        handler: async (job) => {
          if (job.path === seg(2)) throw new Error('encode failed');
        },
      });
      await r.start();
      await expect.poll(() => heard.map((h) => h.message), soon).toEqual([`${assetId} ${seg(1)}`, `${assetId} ${seg(2)}`]);
      expect(await Promise.all(heard.map((h) => h.pending))).toEqual([false, false]);
      expect(r.ran).toBe(2);
      waiter.close();
    });
  });
});
