import type { Sql } from '@kino/db';
import { abortStaleMultipartUploads, type Storage } from '@kino/storage';

/**
 * Clears uploads that an api process abandoned by dying mid-stream: the asset rows still
 * `uploading` and the multipart parts under sources/. A live upload never gets this old:
 * `olderThan` must exceed the longest upload you accept.
 */
export async function sweepAbandonedUploads(sql: Sql, storage: Storage, olderThan: Date): Promise<{ assets: number; uploads: number }> {
  const rows = await sql`
    delete from assets where source_state = 'uploading' and created_at < ${olderThan} returning id`;
  const uploads = await abortStaleMultipartUploads(storage, 'sources/', olderThan);
  return { assets: rows.length, uploads };
}
