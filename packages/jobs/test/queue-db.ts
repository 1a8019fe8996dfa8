import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createAccount, insertAsset, type Sql } from '@kino/db';
import { createTestDatabase, type TestDatabase } from '@kino/testkit';
import { enqueueJob, type JobKind } from '../src/index.ts';

export interface QueueDb {
  db: TestDatabase;
  sql: Sql;
  accountId: string;
  /** A queued job for a fresh asset (process_source unless `kind` says otherwise), of `accountId` (else the file's account). */
  newJob(maxAttempts?: number, kind?: JobKind, accountId?: string): ReturnType<typeof enqueueJob>;
}

/**
 * A test file's own database with one account; every test starts from an empty queue,
 * so no runner or claim picks up another test's job.
 */
export function useQueueDb(): QueueDb {
  const q = {} as QueueDb;
  beforeAll(async () => {
    q.db = await createTestDatabase();
    q.sql = q.db.sql;
    q.accountId = (await createAccount(q.sql, 'jobs')).id;
  });
  afterAll(() => q.db?.drop());
  beforeEach(async () => {
    await q.sql`delete from media_jobs`;
  });
  q.newJob = async (maxAttempts = 3, kind?: JobKind, accountId = q.accountId) => {
    const id = randomUUID();
    await insertAsset(q.sql, { id, accountId, contentType: 'video/mp4' });
    return enqueueJob(q.sql, { assetId: id, accountId, maxAttempts, ...(kind ? { kind } : {}) });
  };
  return q;
}
