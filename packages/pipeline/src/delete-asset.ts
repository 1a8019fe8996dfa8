import { markAssetDeleted, type AssetRow, type Sql } from '@kino/db';
import { appendEvents } from '@kino/events';
import { cancelJobsOf, cancelSegmentJobsOf, enqueueJob } from '@kino/jobs';

// With the queue's backoff capped at 10 minutes, about 16 hours of retries: a purge must
// outlast an S3 outage, not give up during one.
export const PURGE_ATTEMPTS = 100;

export interface DeleteDeps {
  sql: Sql;
  /** Called once a first delete commits, to stop the asset's running jobs at once (their rows are cancelled already). */
  onJobsCancelled?: (assetId: string) => void;
  /** Called once the purge job is committed, to wake a worker without waiting for its poll. */
  onJobQueued?: () => void;
  /** Called after a commit that wrote events, to wake their readers. */
  onEvents?: (accountId: string) => void;
}

/**
 * The first half of a delete, in one transaction: the asset is marked deleted (playback
 * stops: edges learn it from the revocation list), its jobs are cancelled, `asset.deleted`
 * is logged, and the purge (purge-asset.ts) is queued for when no cancelled worker can
 * still be writing to the origin. Idempotent: deleting again changes nothing and returns
 * the asset as it is. Null when the account has no such asset.
 */
export async function deleteAsset(deps: DeleteDeps, accountId: string, assetId: string): Promise<AssetRow | null> {
  const result = await deps.sql.begin(async (tx) => {
    const marked = await markAssetDeleted(tx, accountId, assetId);
    if (!marked?.first) return marked;
    const { quietAfter } = await cancelJobsOf(tx, marked.asset.id);
    // A worker encoding one of its segments just in time finds its row gone when it records
    // the segment, and takes its upload back; the purge waits out its lease all the same.
    const segmentsQuietAfter = await cancelSegmentJobsOf(tx, marked.asset.id);
    const runAt = new Date(Math.max(quietAfter.getTime(), segmentsQuietAfter.getTime()));
    const purge = await enqueueJob(tx, { assetId: marked.asset.id, accountId, kind: 'purge_asset', maxAttempts: PURGE_ATTEMPTS, runAt });
    await appendEvents(tx, [
      { accountId, assetId: marked.asset.id, type: 'asset.deleted', data: {} },
      // Like every job, the purge is announced before it starts.
      { accountId, assetId: marked.asset.id, type: 'job.queued', data: { job_id: purge.id, reason: 'deleted' } },
    ]);
    return marked;
  });
  if (!result) return null;
  if (result.first) {
    deps.onJobsCancelled?.(result.asset.id);
    deps.onJobQueued?.();
    deps.onEvents?.(accountId);
  }
  return result.asset;
}
