import { artifactPrefix, sourcePrefix } from '@kino/artifacts';
import { getAssetById, type Sql } from '@kino/db';
import { appendEvent } from '@kino/events';
import type { JobContext, MediaJob } from '@kino/jobs';
import { deletePrefix, type Storage } from '@kino/storage';

export interface PurgeDeps {
  sql: Sql;
  storage: Storage;
  /** Tells the edges to drop and revoke the asset; reports which did. */
  purgeEdges: (assetId: string) => Promise<{ ok: string[]; failed: string[] }>;
  onEvents?: (accountId: string) => void;
}

/**
 * The second half of a delete, run as a job so it is retried until done: every origin
 * object of the asset goes, then the edges drop their cached files and revoke it. A failure here (S3 away)
 * throws, and the queue retries with backoff.
 */
export async function purgeAsset(deps: PurgeDeps, job: MediaJob, ctx: JobContext): Promise<void> {
  const asset = job.asset_id ? await getAssetById(deps.sql, job.asset_id) : null;
  if (!asset?.deleted_at) return;
  // The origin first: an edge that fills after its purge (a late warm) then finds nothing.
  const objects = (await deletePrefix(deps.storage, artifactPrefix(asset.id))) + (await deletePrefix(deps.storage, sourcePrefix(asset.id)));
  ctx.progress({ step: 'purge', fraction: 0.5 });
  const edges = await deps.purgeEdges(asset.id);
  await deps.sql.begin(async (tx) => {
    await ctx.holdLease(tx);
    // Usage's storage byte-hours still need what the rows said (migrations/019).
    await tx`
      update assets set purged_artifact_bytes = coalesce(purged_artifact_bytes, 0) + coalesce((select sum(bytes) from artifacts where asset_id = ${asset.id}), 0)
      where id = ${asset.id}`;
    await tx`delete from artifacts where asset_id = ${asset.id}`;
    await appendEvent(tx, { accountId: asset.account_id, assetId: asset.id, type: 'asset.purged', data: { objects, edges } });
  });
  deps.onEvents?.(asset.account_id);
}
