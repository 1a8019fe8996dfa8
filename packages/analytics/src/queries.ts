import type { ClickHouseClient } from '@clickhouse/client';
import { chTime, INTERVAL_MS, type Interval, type Window } from './window.ts';

// Every value a caller supplies is a bound {name:Type} parameter. The only SQL chosen per
// request is from the constant maps below, keyed by already validated enums.

export const GROUP_BYS = ['asset', 'region', 'edge', 'cache_status', 'status_code', 'artifact_kind'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

const RAW_KEY: Record<GroupBy | 'total', string> = {
  total: "''",
  asset: 'asset_id',
  region: 'region',
  edge: 'edge_id',
  cache_status: 'cache_status',
  status_code: 'toString(status_code)',
  artifact_kind: 'artifact_kind',
};

const BUCKET: Record<Interval, string> = {
  minute: 'toStartOfMinute(bucket)',
  hour: 'toStartOfHour(bucket)',
  day: 'toStartOfDay(bucket)',
};

export interface Counts {
  requests: number;
  bytes: number;
  /** HIT / (HIT + MISS + COALESCED); null when nothing reached the cache. */
  hit_ratio: number | null;
}

export interface AssetPlayback extends Counts {
  cache_status: Record<string, number>;
  status_codes: Record<string, number>;
  artifact_kinds: Record<string, number>;
  first_seen: string | null;
  last_seen: string | null;
}

export interface SeriesPoint {
  t: string;
  requests: number;
  bytes: number;
}

export interface PlaybackGroup extends Counts {
  key: string;
  series?: SeriesPoint[];
}

export interface AccountPlayback {
  totals: Counts & { hits: number; misses: number; coalesced: number };
  series?: SeriesPoint[];
  groups?: PlaybackGroup[];
}

export interface Qoe {
  views: number;
  startup_ms: { p50: number | null; p95: number | null };
  /** Stalled time over stalled plus played time; null before any view reported either. */
  rebuffer_ratio: number | null;
  /** Views that reported an error, over views. */
  error_rate: number | null;
  rebuffer_ms: number;
  watched_ms: number;
}

const hitRatio = (hits: number, misses: number, coalesced: number): number | null => {
  const n = hits + misses + coalesced;
  return n === 0 ? null : hits / n;
};

const isoOf = (chTimeText: string): string => `${chTimeText.replace(' ', 'T')}Z`;

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

const windowParams = (accountId: string, w: Window) => ({ account: accountId, from: chTime(w.from), to: chTime(w.to) });

/**
 * One asset's requests in the window: whole hours from `asset_hourly`, the partial hours at
 * either end from the raw rows, so the answer is to the millisecond and a 30-day window
 * reads about 720 rollup rows whatever the traffic. No FINAL: a replayed batch never lands
 * twice (insert deduplication tokens), and FINAL cost 2 to 5 times the query.
 */
export async function assetPlayback(client: ClickHouseClient, accountId: string, assetId: string, w: Window): Promise<AssetPlayback> {
  const HOUR = INTERVAL_MS.hour;
  let wholeFrom = Math.ceil(w.from / HOUR) * HOUR;
  let wholeTo = Math.floor(w.to / HOUR) * HOUR;
  // No whole hour inside: the raw rows answer it all.
  if (wholeFrom >= wholeTo) wholeFrom = wholeTo = w.to;
  const [r] = await rows<{
    n: number;
    bytes: number;
    cache: Record<string, number>;
    statuses: Record<string, number>;
    kinds: Record<string, number>;
    first: string;
    last: string;
  }>(
    client,
    `
    SELECT sum(requests) AS n, sum(b) AS bytes, sumMap(cache) AS cache, sumMap(statuses) AS statuses, sumMap(kinds) AS kinds,
           toString(min(first)) AS first, toString(max(last)) AS last
    FROM (
      SELECT requests, bytes AS b, cache_status AS cache, status_codes AS statuses, artifact_kinds AS kinds, first_seen AS first, last_seen AS last
      FROM asset_hourly
      WHERE account_id = {account:String} AND asset_id = {asset:String}
        AND hour >= {wholeFrom:DateTime64(3, 'UTC')} AND hour < {wholeTo:DateTime64(3, 'UTC')}
      UNION ALL
      SELECT toUInt64(1), bytes_served, map(cache_status, toUInt64(1)), map(toString(status_code), toUInt64(1)), map(artifact_kind, toUInt64(1)),
             observed_at, observed_at
      FROM playback_requests
      WHERE account_id = {account:String} AND asset_id = {asset:String}
        AND ((observed_at >= {from:DateTime64(3, 'UTC')} AND observed_at < {wholeFrom:DateTime64(3, 'UTC')})
          OR (observed_at >= {wholeTo:DateTime64(3, 'UTC')} AND observed_at < {to:DateTime64(3, 'UTC')}))
    )`,
    { ...windowParams(accountId, w), asset: assetId, wholeFrom: chTime(wholeFrom), wholeTo: chTime(wholeTo) },
  );
  const n = Number(r?.n ?? 0);
  const cache = numbers(r?.cache);
  return {
    requests: n,
    bytes: Number(r?.bytes ?? 0),
    hit_ratio: hitRatio(cache['HIT'] ?? 0, cache['MISS'] ?? 0, cache['COALESCED'] ?? 0),
    cache_status: cache,
    status_codes: numbers(r?.statuses),
    artifact_kinds: numbers(r?.kinds),
    first_seen: n > 0 ? isoOf(r!.first) : null,
    last_seen: n > 0 ? isoOf(r!.last) : null,
  };
}

/** A Map column as JSON, its counts as numbers, busiest first. */
function numbers(m: Record<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(
    Object.entries(m ?? {})
      .map(([k, v]) => [k, Number(v)] as const)
      .sort((a, b) => b[1] - a[1]),
  );
}

export interface AccountPlaybackQuery {
  window: Window;
  groupBy?: GroupBy | undefined;
  interval?: Interval | undefined;
  /** Groups returned, the busiest first. */
  limit: number;
}

interface Bucketed {
  key: string;
  t: number;
  requests: number;
  bytes: number;
  hits: number;
  misses: number;
  coalesced: number;
}

/**
 * Totals, breakdowns and time series for the whole account. Per-minute series read the raw
 * rows (windows of a day at most); everything else reads the hourly rollup, so the window
 * must be whole hours (the caller aligns it). Both are exact because a replayed batch is
 * dropped at insert by its deduplication token, rollup rows included.
 */
export async function accountPlayback(client: ClickHouseClient, accountId: string, q: AccountPlaybackQuery): Promise<AccountPlayback> {
  const raw = q.interval === 'minute';
  const source = (dim: GroupBy | 'total') =>
    raw
      ? `SELECT ${RAW_KEY[dim]} AS key, observed_at AS bucket, 1 AS requests, bytes_served AS bytes,
              cache_status = 'HIT' AS hits, cache_status = 'MISS' AS misses, cache_status = 'COALESCED' AS coalesced
       FROM playback_requests
       WHERE account_id = {account:String}
         AND observed_at >= {from:DateTime64(3, 'UTC')} AND observed_at < {to:DateTime64(3, 'UTC')}`
      : `SELECT key, hour AS bucket, requests, bytes, hits, misses, coalesced
       FROM playback_hourly
       WHERE account_id = {account:String} AND dim = {${dim === 'total' ? 'total' : 'dim'}:String}
         AND hour >= {from:DateTime64(3, 'UTC')} AND hour < {to:DateTime64(3, 'UTC')}`;
  const bucket = q.interval ? BUCKET[q.interval] : 'toDateTime(0)';
  const sums = 'sum(requests) AS requests, sum(bytes) AS bytes, sum(hits) AS hits, sum(misses) AS misses, sum(coalesced) AS coalesced';
  if (q.groupBy !== undefined && !GROUP_BYS.includes(q.groupBy)) throw new TypeError(`unknown group_by "${q.groupBy}"`);
  const params = { ...windowParams(accountId, q.window), total: 'total', dim: q.groupBy ?? 'total' };

  const totalsQuery = rows<Bucketed>(
    client,
    `
    SELECT '' AS key, toUnixTimestamp(${bucket}) * 1000 AS t, ${sums}
    FROM (${source('total')}) GROUP BY t ORDER BY t`,
    params,
  );
  const groupsQuery =
    q.groupBy === undefined
      ? Promise.resolve([])
      : rows<Bucketed>(
          client,
          `
    WITH top AS (
      SELECT key FROM (${source(q.groupBy)}) GROUP BY key ORDER BY sum(requests) DESC, key LIMIT {limit:UInt32}
    )
    SELECT key, toUnixTimestamp(${bucket}) * 1000 AS t, ${sums}
    FROM (${source(q.groupBy)}) WHERE key IN top
    GROUP BY key, t ORDER BY key, t`,
          { ...params, limit: q.limit },
        );
  const [totalRows, groupRows] = await Promise.all([totalsQuery, groupsQuery]);

  const totals = sum(totalRows);
  const result: AccountPlayback = {
    totals: {
      requests: totals.requests,
      bytes: totals.bytes,
      hits: totals.hits,
      misses: totals.misses,
      coalesced: totals.coalesced,
      hit_ratio: hitRatio(totals.hits, totals.misses, totals.coalesced),
    },
  };
  if (q.groupBy === undefined) {
    if (q.interval) result.series = fill(totalRows, q.window, q.interval);
    return result;
  }
  const byKey = new Map<string, Bucketed[]>();
  for (const r of groupRows) {
    let list = byKey.get(r.key);
    if (list === undefined) byKey.set(r.key, (list = []));
    list.push(r);
  }
  result.groups = [...byKey]
    .map(([key, list]) => {
      const s = sum(list);
      const group: PlaybackGroup = { key, requests: s.requests, bytes: s.bytes, hit_ratio: hitRatio(s.hits, s.misses, s.coalesced) };
      if (q.interval) group.series = fill(list, q.window, q.interval);
      return group;
    })
    .sort((a, b) => b.requests - a.requests || (a.key < b.key ? -1 : 1));
  return result;
}

function sum(list: Bucketed[]): Omit<Bucketed, 'key' | 't'> {
  const s = { requests: 0, bytes: 0, hits: 0, misses: 0, coalesced: 0 };
  for (const r of list) {
    s.requests += Number(r.requests);
    s.bytes += Number(r.bytes);
    s.hits += Number(r.hits);
    s.misses += Number(r.misses);
    s.coalesced += Number(r.coalesced);
  }
  return s;
}

/** Every bucket of the window, zero where nothing was served, oldest first. */
function fill(list: Bucketed[], w: Window, interval: Interval): SeriesPoint[] {
  const step = INTERVAL_MS[interval];
  const at = new Map(list.map((r) => [Number(r.t), r]));
  const out: SeriesPoint[] = [];
  for (let t = Math.floor(w.from / step) * step; t < w.to; t += step) {
    const r = at.get(t);
    out.push({ t: new Date(t).toISOString(), requests: r ? Number(r.requests) : 0, bytes: r ? Number(r.bytes) : 0 });
  }
  return out;
}

/** Views, startup time, rebuffering and errors of one asset's players, from their beacons. */
export async function assetQoe(client: ClickHouseClient, accountId: string, assetId: string, w: Window): Promise<Qoe> {
  const [r] = await rows<{
    views: number;
    p50: number;
    p95: number;
    startups: number;
    rebuffer_ms: number;
    watched_ms: number;
    errored: number;
  }>(
    client,
    `
    SELECT uniqExact(view_id) AS views,
           countIf(type = 'first_frame') AS startups,
           quantileExactIf(0.5)(value_ms, type = 'first_frame') AS p50,
           quantileExactIf(0.95)(value_ms, type = 'first_frame') AS p95,
           sumIf(value_ms, type = 'rebuffer_end') AS rebuffer_ms,
           sumIf(value_ms, type = 'view_end') AS watched_ms,
           uniqExactIf(view_id, type = 'error') AS errored
    FROM player_events
    WHERE account_id = {account:String} AND asset_id = {asset:String}
      AND observed_at >= {from:DateTime64(3, 'UTC')} AND observed_at < {to:DateTime64(3, 'UTC')}`,
    { ...windowParams(accountId, w), asset: assetId },
  );
  const views = Number(r?.views ?? 0);
  const rebuffer = Number(r?.rebuffer_ms ?? 0);
  const watched = Number(r?.watched_ms ?? 0);
  const started = Number(r?.startups ?? 0) > 0;
  return {
    views,
    startup_ms: { p50: started ? Number(r!.p50) : null, p95: started ? Number(r!.p95) : null },
    rebuffer_ratio: rebuffer + watched === 0 ? null : rebuffer / (rebuffer + watched),
    error_rate: views === 0 ? null : Number(r!.errored) / views,
    rebuffer_ms: rebuffer,
    watched_ms: watched,
  };
}
