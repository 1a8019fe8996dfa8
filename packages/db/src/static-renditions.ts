import type { StaticRenditionName } from '@kino/artifacts';
import type { AssetError } from './assets.ts';
import type { Queryable } from './client.ts';

export type StaticRenditionStatus = 'preparing' | 'ready' | 'errored';

/** ffprobe's summary of a static rendition's file. */
export interface StaticRenditionMeta {
  duration: number;
  bytes: number;
  bitrate: number | null;
  container: string;
  video_codec: string | null;
  audio_codec: string | null;
  width: number | null;
  height: number | null;
}

export interface StaticRenditionRow {
  asset_id: string;
  name: StaticRenditionName;
  status: StaticRenditionStatus;
  meta: StaticRenditionMeta | null;
  error: AssetError | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * Asks for renditions of an asset: new names are added and errored ones asked for again go
 * back to `preparing`; the rest are left as they are. Returns the names that now need making.
 */
export async function insertStaticRenditions(
  sql: Queryable,
  assetId: string,
  names: readonly StaticRenditionName[],
): Promise<StaticRenditionName[]> {
  if (names.length === 0) return [];
  const wanted = names.map((name) => ({ asset_id: assetId, name }));
  const rows = await sql`
    insert into static_renditions ${sql(wanted, 'asset_id', 'name')}
    on conflict (asset_id, name) do update set status = 'preparing', error = null, updated_at = now()
      where static_renditions.status = 'errored'
    returning name`;
  return rows.map((r) => r.name as StaticRenditionName);
}

export async function listStaticRenditions(sql: Queryable, assetId: string): Promise<StaticRenditionRow[]> {
  return sql<StaticRenditionRow[]>`
    select * from static_renditions where asset_id = ${assetId} order by created_at, name`;
}

/** Ends a `preparing` rendition (ready with its meta, or errored); false when it was not preparing. */
export async function finishStaticRendition(
  sql: Queryable,
  assetId: string,
  name: StaticRenditionName,
  outcome: { meta: StaticRenditionMeta } | { error: AssetError },
): Promise<boolean> {
  const ready = 'meta' in outcome;
  const rows = await sql`
    update static_renditions set
      status = ${ready ? 'ready' : 'errored'},
      meta = ${ready ? sql.json(outcome.meta as never) : null},
      error = ${ready ? null : sql.json(outcome.error as never)},
      updated_at = now()
    where asset_id = ${assetId} and name = ${name} and status = 'preparing'
    returning 1`;
  return rows.length > 0;
}
