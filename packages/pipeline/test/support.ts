import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createAccount, insertAsset, markSourceUploaded } from '@kino/db';
import { eventsAfter } from '@kino/events';
import { claimJob, enqueueJob, LeaseLostError, type JobContext, type JobKind, type JobProgress, type MediaJob } from '@kino/jobs';
import { putFile } from '@kino/storage';
import {
  createTestDatabase,
  createTestS3,
  makeFixture,
  scratchDir,
  type FixtureKind,
  type FixtureOptions,
  type TestDatabase,
  type TestS3,
} from '@kino/testkit';

export const WORKER = 'pipeline-test-worker';

/** A private database and bucket, one account, and a scratch root for jobs and fixtures. */
export interface PipelineBed {
  db: TestDatabase;
  s3: TestS3;
  accountId: string;
  tmpRoot: string;
  /** An asset whose source (a generated clip) is in the bucket, with its job claimed by WORKER. */
  uploaded(kind: FixtureKind, opts?: FixtureOptions): Promise<MediaJob>;
  /** Queues and claims another job of `kind` for an asset. */
  claim(assetId: string, kind?: JobKind): Promise<MediaJob>;
  /** Claims the job queued next (by the pipeline itself), which must be the asset's. */
  claimQueued(assetId: string): Promise<MediaJob>;
  /** The asset's events other than the queue's own (claiming a job logs job.started). */
  eventTypes(assetId: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function startBed(): Promise<PipelineBed> {
  const [db, s3] = await Promise.all([createTestDatabase(), createTestS3()]);
  const accountId = (await createAccount(db.sql, 'pipeline')).id;
  const tmpRoot = await scratchDir('kino-pipeline-');
  const bed: PipelineBed = {
    db,
    s3,
    accountId,
    tmpRoot,
    async uploaded(kind, opts) {
      const id = randomUUID();
      const asset = (await insertAsset(db.sql, { id, accountId, contentType: 'video/mp4' }))!;
      const file = await makeFixture(kind, join(tmpRoot, `${id}.source`), opts);
      await markSourceUploaded(db.sql, id, await putFile(s3.storage, asset.source_key, file, { contentType: 'video/mp4' }));
      return bed.claim(id);
    },
    async claim(assetId, kind) {
      await enqueueJob(db.sql, { assetId, accountId, maxAttempts: 3, ...(kind ? { kind } : {}) });
      return bed.claimQueued(assetId);
    },
    async claimQueued(assetId) {
      const job = await claimJob(db.sql, WORKER, 600);
      if (job?.asset_id !== assetId) throw new Error(`claimed ${job?.asset_id ?? 'nothing'} instead of ${assetId}`);
      return job;
    },
    async eventTypes(assetId) {
      return (await eventsAfter(db.sql, { accountId, assetId, afterSeq: 0, limit: 1000 }))
        .map((e) => e.type)
        .filter((t) => !t.startsWith('job.'));
    },
    async close() {
      await Promise.all([db.drop(), s3.close()]);
    },
  };
  return bed;
}

/**
 * A job context as the runner's contract has it: progress is recorded, and holdLease locks
 * the job row and throws LeaseLostError once WORKER no longer holds it.
 */
export function jobContext(job: MediaJob): JobContext & { reported: JobProgress[] } {
  const reported: JobProgress[] = [];
  return {
    reported,
    signal: new AbortController().signal,
    progress: (p) => void reported.push(p),
    async holdLease(tx) {
      const [row] = await tx<{ locked_by: string | null }[]>`select locked_by from media_jobs where id = ${job.id} for update`;
      if (row?.locked_by !== WORKER) throw new LeaseLostError();
    },
  };
}
