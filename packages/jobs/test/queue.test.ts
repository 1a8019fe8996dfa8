import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { getAssetById, insertAsset, type Sql } from '@kino/db';
import { claimJob, completeJob, enqueueJob, failJob, reapExpiredLeases, releaseJob, renewLease, retryDelaySeconds } from '../src/index.ts';
import { useQueueDb } from './queue-db.ts';

const q = useQueueDb();
const { newJob } = q;
let sql: Sql;
beforeAll(() => {
  sql = q.sql;
});

describe('the media job queue', () => {
  it('leases a job to one claimer and counts the attempt', async () => {
    const job = await newJob();
    const claimed = await claimJob(sql, 'w1', 30);
    expect(claimed).toMatchObject({ id: job.id, state: 'running', attempts: 1, locked_by: 'w1' });
    expect(await claimJob(sql, 'w2', 30)).toBeNull();
    expect(await renewLease(sql, job.id, 'w2', 30)).toBe(false);
    expect(await renewLease(sql, job.id, 'w1', 30)).toBe(true);
    expect(await completeJob(sql, job.id, 'w1')).toBe(true);
    expect((await sql`select state from media_jobs where id = ${job.id}`)[0]!.state).toBe('succeeded');
  });

  it('retries with backoff, then fails for good and tells the asset why', async () => {
    const job = await newJob(2);
    const report = { detail: 'ffmpeg exploded', retryable: true, error: { code: 'ENCODING_FAILED', message: 'nope' } };
    const first = (await claimJob(sql, 'w1', 30))!;
    expect(await failJob(sql, first, 'w1', report)).toBe('retrying');
    const [queued] = await sql`select state, run_at > now() as later from media_jobs where id = ${job.id}`;
    expect(queued).toMatchObject({ state: 'queued', later: true });
    await sql`update media_jobs set run_at = now() where id = ${job.id}`;
    const second = (await claimJob(sql, 'w1', 30))!;
    expect(await failJob(sql, second, 'w1', report)).toBe('failed');
    expect((await getAssetById(sql, job.asset_id!))!.error).toEqual({ code: 'ENCODING_FAILED', message: 'nope' });
  });

  it('fails at once when the failure cannot be retried', async () => {
    await newJob(5);
    const job = (await claimJob(sql, 'w1', 30))!;
    expect(await failJob(sql, job, 'w1', { detail: 'x', retryable: false, error: { code: 'CORRUPT_SOURCE', message: 'bad' } })).toBe(
      'failed',
    );
  });

  it('reaps expired leases back to the queue, and fails jobs out of attempts', async () => {
    const a = await newJob(3);
    const b = await newJob(1);
    await claimJob(sql, 'dead', 30);
    await claimJob(sql, 'dead', 30);
    await sql`update media_jobs set locked_until = now() - interval '1 second'`;
    expect(await reapExpiredLeases(sql)).toMatchObject({ requeued: 1, failed: 1 });
    expect((await sql`select state, locked_by from media_jobs where id = ${a.id}`)[0]).toEqual({ state: 'queued', locked_by: null });
    expect((await getAssetById(sql, b.asset_id!))!.error?.code).toBe('PROCESSING_FAILED');
    // The dead worker cannot finish what it no longer owns.
    expect(await completeJob(sql, a.id, 'dead')).toBe(false);
  });

  it('fails a source still to come (a URL import) with its job, and forgets its URL; so does the reaper', async () => {
    const importing = async () => {
      const id = randomUUID();
      await insertAsset(sql, {
        id,
        accountId: q.accountId,
        contentType: null,
        state: 'importing',
        importUrl: 'https://example.com/a?sig=x',
      });
      return enqueueJob(sql, { assetId: id, accountId: q.accountId, maxAttempts: 1, kind: 'import_source' });
    };
    const failed = await importing();
    const error = { code: 'SOURCE_UNREACHABLE', message: 'The source could not be fetched: it answered HTTP 404.' };
    expect(await failJob(sql, (await claimJob(sql, 'w1', 30))!, 'w1', { detail: 'x', retryable: false, error })).toBe('failed');
    expect(await getAssetById(sql, failed.asset_id!)).toMatchObject({ source_state: 'failed', import_url: null, error });

    const reaped = await importing();
    await claimJob(sql, 'dead', 30);
    await sql`update media_jobs set locked_until = now() - interval '1 second' where id = ${reaped.id}`;
    expect(await reapExpiredLeases(sql)).toMatchObject({ failed: 1 });
    expect(await getAssetById(sql, reaped.asset_id!)).toMatchObject({
      source_state: 'failed',
      import_url: null,
      error: { code: 'PROCESSING_FAILED' },
    });
  });

  it("starts no ladder while an upload's first job waits to be claimed, and starts it once that one is", async () => {
    const ladder = await newJob(3, 'encode_ladder');
    const first = await newJob(3, 'process_source');
    expect(await claimJob(sql, 'ladders', 30, ['encode_ladder'])).toBeNull();
    expect((await claimJob(sql, 'openers', 30, ['process_source']))!.id).toBe(first.id);
    // Running, not waiting: the ladder's lane may go on (niced).
    expect((await claimJob(sql, 'ladders', 30, ['encode_ladder']))!.id).toBe(ladder.id);
  });

  it('releases a job on shutdown without spending an attempt', async () => {
    const job = await newJob();
    await claimJob(sql, 'w1', 30);
    expect(await releaseJob(sql, job.id, 'w1')).toBe(true);
    expect((await sql`select state, attempts from media_jobs where id = ${job.id}`)[0]).toEqual({ state: 'queued', attempts: 0 });
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(retryDelaySeconds(1, () => 0)).toBe(2.5);
    expect(retryDelaySeconds(1, () => 1)).toBe(5);
    expect(retryDelaySeconds(3, () => 1)).toBe(20);
    expect(retryDelaySeconds(50, () => 1)).toBe(600);
  });
});

describe('two worker processes', () => {
  it('never claim the same job', async () => {
    await sql`create table test_claims (job_id bigint not null, worker_id text not null)`;
    const ids: number[] = [];
    for (let i = 0; i < 300; i++) ids.push((await newJob()).id);
    const child = fileURLToPath(new URL('./claim-child.ts', import.meta.url));
    const workers = ['one', 'two'].map((id) =>
      fork(child, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, DATABASE_URL: q.db.url, WORKER_ID: id } }),
    );
    // Both loaded and connected before either claims: a worker slow to start must not find
    // the queue already emptied by the other.
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`unexpected message ${String(m)}`))));
            w.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
          }),
      ),
    );
    for (const w of workers) w.send('go');
    await expect
      .poll(async () => (await sql`select count(*)::int as n from media_jobs where state = 'succeeded'`)[0]!.n, {
        timeout: 100_000,
        interval: 100,
      })
      .toBe(ids.length);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise((r) => {
            w.once('exit', r);
            w.kill('SIGTERM');
          }),
      ),
    );

    const perJob = await sql<{ job_id: number; n: number }[]>`
      select job_id, count(*)::int as n from test_claims group by job_id`;
    expect(perJob).toHaveLength(ids.length);
    expect(perJob.filter((r) => r.n !== 1)).toEqual([]);
    const perWorker = await sql<{ worker_id: string; n: number }[]>`
      select worker_id, count(*)::int as n from test_claims group by worker_id order by worker_id`;
    expect(perWorker.map((r) => r.worker_id)).toEqual(['one', 'two']);
    expect(perWorker.every((r) => r.n > 0)).toBe(true);
  });
});
