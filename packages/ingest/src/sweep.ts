import { assetIdOfSourceKey, SOURCES_PREFIX, sourcePrefix } from '@kino/artifacts';
import type { Sql } from '@kino/db';
import { abortMultipartUpload, deletePrefix, listMultipartUploads, type Storage } from '@kino/storage';

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
  const live = new Set(
    (
      await sql<{ id: string }[]>`
    select id from assets where id = any(${ids}::uuid[]) and source_state = 'uploading' and updated_at >= ${stalledBefore}`
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
