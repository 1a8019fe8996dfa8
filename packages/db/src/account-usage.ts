import type { Queryable } from './client.ts';

// The Postgres half of an account's usage (GET /v1/usage): what was ingested, encoded and
// stored, per bucket of a window. Delivery is the ClickHouse half (@kino/analytics).

export interface UsageBucket {
  /** Bucket start, epoch milliseconds. */
  t: number;
  /** Source durations of the assets created in the bucket (sources that were probed). */
  minutesIngested: number;
  /**
   * Minutes of video or audio encoded per codec family (h264, aac, …): each ladder rendition
   * counts its asset's duration, each static rendition and each output of a job of the jobs
   * API its own (by its video codec, else its audio codec).
   */
  minutesEncoded: Record<string, number>;
  /** The same minutes per preset: the asset's (ladders, static renditions), a convert job's; `none` without one. */
  minutesEncodedByPreset: Record<string, number>;
  /**
   * Σ bytes × hours stored within the bucket: sources and artifacts, from their creation to
   * the asset's deletion, and the outputs jobs keep, from the job's end.
   */
  storageByteHours: number;
}

/**
 * `rendition_ready` events name the rendition's RFC 6381 codecs, static renditions and job
 * outputs ffprobe's codec names; usage counts the family.
 */
const CODEC_FAMILY_SQL = `case
  when codec like 'avc1%' or codec like 'avc3%' or codec = 'h264' then 'h264'
  when codec like 'hvc1%' or codec like 'hev1%' or codec = 'hevc' then 'h265'
  when codec like 'av01%' or codec = 'av1' then 'av1'
  when codec like 'vp09%' or codec = 'vp9' then 'vp9'
  when codec like 'mp4a%' or codec = 'aac' then 'aac'
  when codec like 'opus%' or codec = 'opus' then 'opus'
  else coalesce(codec, 'unknown') end`;

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
    sql<{ t: Date; codec: string; preset: string | null; minutes: number }[]>`
      with encodes as (
        select e.created_at as at, e.data->>'codecs' as codec, a.preset->>'name' as preset,
               (a.source_meta->>'duration_sec')::float8 as seconds
        from asset_events e join assets a on a.id = e.asset_id
        where e.account_id = ${accountId} and e.type = 'asset.rendition_ready'
          and e.created_at >= ${f} and e.created_at < ${t} and a.source_meta ? 'duration_sec'
        union all
        select e.created_at, coalesce(e.data->>'video_codec', e.data->>'audio_codec'), a.preset->>'name',
               (e.data->>'duration')::float8
        from asset_events e join assets a on a.id = e.asset_id
        where e.account_id = ${accountId} and e.type = 'asset.static_rendition_ready'
          and e.created_at >= ${f} and e.created_at < ${t}
        union all
        -- A job's outputs count while it keeps them (they are its only record of what it made).
        select j.finished_at,
               (select s->>'codec' from jsonb_array_elements(o->'probe'->'streams') s order by s->>'type' <> 'video' limit 1),
               j.request->>'preset', (o->'probe'->>'duration_sec')::float8
        from user_jobs j cross join jsonb_array_elements(j.outputs) o
        where j.account_id = ${accountId} and j.state = 'succeeded'
          and j.finished_at >= ${f} and j.finished_at < ${t} and o->'probe' ? 'duration_sec'
      )
      select to_timestamp(floor(extract(epoch from at) * 1000 / ${stepMs}) * ${stepMs} / 1000) as t,
             ${sql.unsafe(CODEC_FAMILY_SQL)} as codec, preset, sum(seconds) / 60 as minutes
      from encodes where seconds is not null
      group by 1, 2, 3`,
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
        union all
        select j.finished_at, 'infinity'::timestamptz, (select sum((o->>'bytes')::bigint) from jsonb_array_elements(j.outputs) o)
        from user_jobs j where j.account_id = ${accountId} and j.finished_at < ${t} and j.outputs <> '[]'::jsonb
      )
      select b.start as t,
             sum(i.bytes * extract(epoch from least(i.gone, b.stop, now()) - greatest(i.born, b.start)) / 3600) as byte_hours
      from buckets b join items i on i.born < least(b.stop, now()) and i.gone > b.start
      group by b.start`,
  ]);

  const buckets = new Map<number, UsageBucket>();
  for (let at = from; at < to; at += stepMs)
    buckets.set(at, { t: at, minutesIngested: 0, minutesEncoded: {}, minutesEncodedByPreset: {}, storageByteHours: 0 });
  for (const r of ingested) buckets.get(r.t.getTime())!.minutesIngested = Number(r.minutes);
  for (const r of encoded) {
    const b = buckets.get(r.t.getTime())!;
    const preset = r.preset ?? 'none';
    b.minutesEncoded[r.codec] = (b.minutesEncoded[r.codec] ?? 0) + Number(r.minutes);
    b.minutesEncodedByPreset[preset] = (b.minutesEncodedByPreset[preset] ?? 0) + Number(r.minutes);
  }
  for (const r of stored) buckets.get(r.t.getTime())!.storageByteHours = Number(r.byte_hours);
  return [...buckets.values()];
}
