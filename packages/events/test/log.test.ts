import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createDb } from '@kino/db';
import { createTestDatabase, type TestDatabase } from '@kino/testkit';
import { appendEvent, appendEvents, envelope, eventsAfter } from '../src/index.ts';

let db: TestDatabase;
let accountId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  accountId = (await createAccount(db.sql, 'events')).id;
});
afterAll(() => db?.drop());

describe('the event log', () => {
  it('pages an account or one asset in sequence order', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await appendEvents(db.sql, [
      { accountId, assetId: a, type: 'asset.created' },
      { accountId, assetId: b, type: 'asset.created' },
      { accountId, assetId: a, type: 'asset.source_uploaded', data: { bytes: 10 } },
    ]);
    const all = await eventsAfter(db.sql, { accountId, afterSeq: 0, limit: 10 });
    expect(all.map((e) => [e.asset_id, e.type])).toEqual([
      [a, 'asset.created'],
      [b, 'asset.created'],
      [a, 'asset.source_uploaded'],
    ]);
    const onlyA = await eventsAfter(db.sql, { accountId, assetId: a, afterSeq: all[0]!.seq, limit: 10 });
    expect(onlyA.map((e) => e.type)).toEqual(['asset.source_uploaded']);
    expect(envelope(onlyA[0]!)).toEqual({
      id: onlyA[0]!.seq,
      type: 'asset.source_uploaded',
      asset_id: a,
      created_at: expect.any(String),
      data: { bytes: 10 },
    });
  });

  it('makes sequence order commit order, so a reader never skips an event', async () => {
    // Transaction 1 takes a sequence number and holds on; transaction 2 must wait for it
    // instead of committing a later number first.
    const other = createDb(db.url, { max: 2 });
    const second = createDb(db.url, { max: 1, applicationName: 'kino-log-test-t2' });
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const t1Inserted = new Promise<void>((r) => (inserted = r));
    const t1 = other.begin(async (tx) => {
      await appendEvent(tx, { accountId, assetId: randomUUID(), type: 'job.queued' });
      order.push('t1 inserted');
      inserted();
      await held;
      order.push('t1 commits');
    });
    await t1Inserted;
    const t2 = second.begin(async (tx) => {
      await appendEvent(tx, { accountId, assetId: randomUUID(), type: 'job.queued' });
      order.push('t2 inserted');
    });
    // t2 is seen by Postgres waiting on the advisory lock t1 holds (not merely not yet run).
    await expect
      .poll(
        async () =>
          (
            await db.sql`
      select 1 from pg_stat_activity
      where application_name = 'kino-log-test-t2' and wait_event_type = 'Lock' and wait_event = 'advisory'`
          ).length,
        { timeout: 30_000, interval: 20 },
      )
      .toBe(1);
    expect(order).toEqual(['t1 inserted']);
    release();
    await Promise.all([t1, t2]);
    await Promise.all([other.end(), second.end()]);
    expect(order).toEqual(['t1 inserted', 't1 commits', 't2 inserted']);
  });
});
