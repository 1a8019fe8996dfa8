import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, getAsset, insertAsset, type AssetRow } from '@kino/db';
import { eventsAfter } from '@kino/events';
import { claimJob, enqueueJob, type MediaJob } from '@kino/jobs';
import { createTestDatabase, type TestDatabase } from '@kino/testkit';
import { deleteAsset, PURGE_ATTEMPTS, type DeleteDeps } from '../src/index.ts';

const LEASE_SECONDS = 600;

describe('deleteAsset', () => {
  let db: TestDatabase;
  let accountId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    accountId = (await createAccount(db.sql, 'delete')).id;
  });
  afterAll(async () => {
    await db?.drop();
  });

  const newAsset = async (owner = accountId): Promise<AssetRow> =>
    (await insertAsset(db.sql, { id: randomUUID(), accountId: owner, contentType: 'video/mp4' }))!;
  const jobsOf = (assetId: string) => db.sql<MediaJob[]>`select * from media_jobs where asset_id = ${assetId} order by id`;
  const eventTypes = async (assetId: string) =>
    (await eventsAfter(db.sql, { accountId, assetId, afterSeq: 0, limit: 100 })).map((e) => e.type);
  /** Deps that record which wake-ups were asked for. */
  const recording = () => {
    const calls: string[] = [];
    const deps: DeleteDeps = {
      sql: db.sql,
      onJobsCancelled: (id) => calls.push(`cancelled ${id}`),
      onJobQueued: () => calls.push('job queued'),
      onEvents: (id) => calls.push(`events ${id}`),
    };
    return { deps, calls };
  };

  it('marks the asset deleted, cancels its jobs, queues the purge after their leases and logs asset.deleted', async () => {
    const asset = await newAsset();
    await enqueueJob(db.sql, { assetId: asset.id, accountId, maxAttempts: 3 });
    const claimed = (await claimJob(db.sql, 'worker-1', LEASE_SECONDS))!;
    expect(claimed.asset_id).toBe(asset.id);
    const before = await eventTypes(asset.id);
    const { deps, calls } = recording();

    const deleted = await deleteAsset(deps, accountId, asset.id);

    expect(deleted?.id).toBe(asset.id);
    expect(deleted?.deleted_at).toBeInstanceOf(Date);
    expect((await getAsset(db.sql, accountId, asset.id))?.deleted_at).toEqual(deleted?.deleted_at);
    const [processing, purge, ...more] = await jobsOf(asset.id);
    expect(more).toEqual([]);
    expect(processing).toMatchObject({ kind: 'process_source', state: 'cancelled' });
    // A cancelled worker may write to the origin until its lease ends: the purge waits for it.
    expect(purge).toMatchObject({ kind: 'purge_asset', state: 'queued', max_attempts: PURGE_ATTEMPTS });
    expect(purge!.run_at.getTime()).toBe(claimed.locked_until!.getTime());
    expect(await eventTypes(asset.id)).toEqual([...before, 'asset.deleted', 'job.queued']);
    expect(calls).toEqual([`cancelled ${asset.id}`, 'job queued', `events ${accountId}`]);
  });

  it('queues the purge at once when no job runs', async () => {
    const asset = await newAsset();
    const started = Date.now();
    await deleteAsset({ sql: db.sql }, accountId, asset.id);
    const [purge] = await jobsOf(asset.id);
    expect(purge).toMatchObject({ kind: 'purge_asset', state: 'queued' });
    expect(purge!.run_at.getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(purge!.run_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('is idempotent: a second delete returns the asset as it is and changes nothing', async () => {
    const asset = await newAsset();
    const first = await deleteAsset({ sql: db.sql }, accountId, asset.id);
    const jobs = await jobsOf(asset.id);
    const events = await eventTypes(asset.id);
    const { deps, calls } = recording();

    const again = await deleteAsset(deps, accountId, asset.id);

    expect(again).toEqual(first);
    expect(await jobsOf(asset.id)).toEqual(jobs);
    expect(await eventTypes(asset.id)).toEqual(events);
    expect(calls).toEqual([]);
  });

  it("is null for an unknown id and for another account's asset, which it leaves alone", async () => {
    const other = (await createAccount(db.sql, 'other')).id;
    const theirs = await newAsset(other);
    const { deps, calls } = recording();

    expect(await deleteAsset(deps, accountId, randomUUID())).toBeNull();
    expect(await deleteAsset(deps, accountId, theirs.id)).toBeNull();

    expect((await getAsset(db.sql, other, theirs.id))?.deleted_at).toBeNull();
    expect(await jobsOf(theirs.id)).toEqual([]);
    expect(calls).toEqual([]);
  });
});
