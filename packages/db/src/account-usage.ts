import type { Queryable } from './client.ts';

// The Postgres half of an account's usage (GET /v1/usage): what was ingested, encoded and
// stored, per bucket of a window. Delivery is the ClickHouse half (@kino/analytics).

export interface UsageBucket {
  /** Bucket start, epoch milliseconds. */
  t: number;
  /** Source durations of the assets created in the bucket (sources that were probed). */
  minutesIngested: number;
  /** Minutes of video or audio encoded per codec family (h264, aac, …): each rendition made counts its asset's duration. */
  minutesEncoded: Record<string, number>;
  /** Σ bytes × hours stored within the bucket: sources and artifacts, from their creation to the asset's deletion. */
  storageByteHours: number;
}

/** `rendition_ready` events name the rendition's RFC 6381 codecs; usage counts the family. */
const CODEC_FAMILY_SQL = `case
  when e.data->>'codecs' like 'avc1%' or e.data->>'codecs' like 'avc3%' then 'h264'
  when e.data->>'codecs' like 'hvc1%' or e.data->>'codecs' like 'hev1%' then 'h265'
  when e.data->>'codecs' like 'av01%' then 'av1'
  when e.data->>'codecs' like 'vp09%' then 'vp9'
  when e.data->>'codecs' like 'mp4a%' then 'aac'
  when e.data->>'codecs' like 'opus%' then 'opus'
  else coalesce(e.data->>'codecs', 'unknown') end`;

/**
 * Buckets of `stepMs` from `from` to `to` (both on bucket boundaries). Storage counts each
 * byte from when it was stored to when its asset was deleted (or now), clipped to each
 * bucket: sources from the asset's creation, artifacts from their row's creation, and the
 * artifacts a purge removed (their sum kept on the asset) from the asset's creation.
 */
export async function accountUsage(sql: Queryable, accountId: string, from: number, to: number, stepMs: number): Promise<UsageBucket[]> {
  const f = new Date(from);
  const t = new Date(to);
  const step = `${stepMs / 1000} seconds`;
  const [ingested, encoded, stored] = await Promise.all([
    sql<{ t: Date; minutes: number }[]>`
      select to_timestamp(floor(extract(epoch from created_at) * 1000 / ${stepMs}) * ${stepMs} / 1000) as t,
             sum((source_meta->>'duration_sec')::float8) / 60 as minutes
      from assets
      where account_id = ${accountId} and created_at >= ${f} and created_at < ${t} and source_meta ? 'duration_sec'
      group by 1`,
    sql<{ t: Date; codec: string; minutes: number }[]>`
      select to_timestamp(floor(extract(epoch from e.created_at) * 1000 / ${stepMs}) * ${stepMs} / 1000) as t,
             ${sql.unsafe(CODEC_FAMILY_SQL)} as codec,
             sum((a.source_meta->>'duration_sec')::float8) / 60 as minutes
      from asset_events e join assets a on a.id = e.asset_id
      where e.account_id = ${accountId} and e.type = 'asset.rendition_ready'
        and e.created_at >= ${f} and e.created_at < ${t} and a.source_meta ? 'duration_sec'
      group by 1, 2`,
    sql<{ t: Date; byte_hours: number }[]>`
      with buckets as (
        select b as start, b + ${step}::interval as stop from generate_series(${f}::timestamptz, ${t}::timestamptz - ${step}::interval, ${step}::interval) b
      ),
      owned as (
        select id, created_at, coalesce(deleted_at, 'infinity') as gone, source_bytes, purged_artifact_bytes
        from assets where account_id = ${accountId} and created_at < ${t} and coalesce(deleted_at, 'infinity') > ${f}
      ),
      items as (
        select created_at as born, gone, source_bytes as bytes from owned where source_bytes is not null
        union all
        select created_at, gone, purged_artifact_bytes from owned where purged_artifact_bytes is not null
        union all
        -- Artifacts made in the same minute are one item: a ladder's thousands of segments are a few rows.
        select date_trunc('minute', r.created_at), o.gone, sum(r.bytes)
        from artifacts r join owned o on o.id = r.asset_id group by o.id, o.gone, date_trunc('minute', r.created_at)
      )
      select b.start as t,
             sum(i.bytes * extract(epoch from least(i.gone, b.stop, now()) - greatest(i.born, b.start)) / 3600) as byte_hours
      from buckets b join items i on i.born < least(b.stop, now()) and i.gone > b.start
      group by b.start`,
  ]);

  const buckets = new Map<number, UsageBucket>();
  for (let at = from; at < to; at += stepMs) buckets.set(at, { t: at, minutesIngested: 0, minutesEncoded: {}, storageByteHours: 0 });
  for (const r of ingested) buckets.get(r.t.getTime())!.minutesIngested = Number(r.minutes);
  for (const r of encoded) buckets.get(r.t.getTime())!.minutesEncoded[r.codec] = Number(r.minutes);
  for (const r of stored) buckets.get(r.t.getTime())!.storageByteHours = Number(r.byte_hours);
  return [...buckets.values()];
}
