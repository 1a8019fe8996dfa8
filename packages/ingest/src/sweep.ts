import { assetIdOfSourceKey, SOURCES_PREFIX, sourcePrefix } from '@kino/artifacts';
import type { AssetRow, Sql } from '@kino/db';
import { abortMultipartUpload, deletePrefix, listMultipartUploads, type Storage } from '@kino/storage';
import { rejectSource } from './admit.ts';
import { IngestError } from './errors.ts';

/**
 * Clears uploads whose api process died mid-stream. A live upload touches its row every
 * few seconds (see ingestUpload), so a row still `uploading` but untouched since
 * `stalledBefore` has no one left to finish it: the row goes, with whatever reached S3 —
 * a completed source object, or a multipart upload with no live row behind it.
 */
export async function sweepAbandonedUploads(sql: Sql, storage: Storage, stalledBefore: Date): Promise<{ assets: number; uploads: number }> {
  const rows = await sql<{ id: string }[]>`
    with gone as (
      delete from assets
      where source_state = 'uploading' and updated_at < ${stalledBefore} and deleted_at is null
      returning id
    ),
         events as (delete from asset_events where asset_id in (select id from gone))
    select id from gone`;
  for (const { id } of rows) await deletePrefix(storage, sourcePrefix(id));

  const pending = (await listMultipartUploads(storage, SOURCES_PREFIX)).filter((u) => u.initiated && u.initiated < stalledBefore);
  const ids = pending.map((u) => assetIdOfSourceKey(u.key)).filter((id) => id !== undefined);
  // Direct and tus uploads keep their multipart upload until they expire (sweepExpiredUploads);
  // an import's is live while its job may still be writing it, however long the fetch takes.
  const live = new Set(
    (
      await sql<{ id: string }[]>`
    select id from assets
    where id = any(${ids}::uuid[])
      and (source_state = 'uploading' and updated_at >= ${stalledBefore}
           or source_state = 'awaiting_upload' and upload_expires_at > now()
           or source_state = 'importing' and deleted_at is null)`
    ).map((r) => r.id),
  );
  let uploads = 0;
  for (const u of pending) {
    if (live.has(assetIdOfSourceKey(u.key) ?? '')) continue;
    await abortMultipartUpload(storage, u.key, u.uploadId);
    uploads += 1;
  }
  return { assets: rows.length, uploads };
}

/**
 * Gives up direct and tus uploads that were not completed by their `upload_expires_at`: what
 * reached storage is removed and the asset fails with `UPLOAD_EXPIRED` (it stays listed, as
 * Mux keeps a timed-out upload, so a client holding its id learns what became of it).
 */
export async function sweepExpiredUploads(
  deps: { sql: Sql; storage: Storage; onEvents?: (accountId: string) => void },
  now = new Date(),
): Promise<number> {
  const rows = await deps.sql<AssetRow[]>`
    select * from assets
    where source_state = 'awaiting_upload' and upload_expires_at <= ${now} and deleted_at is null`;
  for (const asset of rows) await rejectSource(deps, asset, UPLOAD_EXPIRED_ERROR);
  return rows.length;
}

export const UPLOAD_EXPIRED_ERROR = {
  code: 'UPLOAD_EXPIRED',
  message: 'The upload was not completed before it expired; create a new one.',
} as const;

/** Past its deadline: a direct or tus upload may no longer be sent to or completed. */
export function uploadExpired(asset: Pick<AssetRow, 'upload_expires_at'>, now = new Date()): boolean {
  return asset.upload_expires_at !== null && asset.upload_expires_at <= now;
}

/** The answer to a client that sends to, or completes, an upload past its deadline. */
export const uploadExpiredRefusal = () => new IngestError(410, 'UPLOAD_EXPIRED', UPLOAD_EXPIRED_ERROR.message);
