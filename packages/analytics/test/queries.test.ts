import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import {
  accountPlayback,
  AnalyticsQueryError,
  assetPlayback,
  CLICKHOUSE_DIR,
  migrateClickHouse,
  parseWindow,
  splitStatements,
  type PlaybackRequestRow,
} from '../src/index.ts';
import { openTestClickHouse, requestRow } from './helpers.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A fixed day, so buckets are known: 2026-03-10T00:00:00Z.
const T0 = Date.UTC(2026, 2, 10);
const A1 = '11111111-1111-4111-8111-111111111111';
const A2 = '22222222-2222-4222-8222-222222222222';

let ch: Awaited<ReturnType<typeof openTestClickHouse>>;

// acct-a: A1 gets 3 HIT + 1 MISS at 01:10, and 2 segment 404s at 05:30; A2 gets 2 HITs at
// 05:45 from another edge and region. acct-b has one request on A1's id (a stray token).
const rows: PlaybackRequestRow[] = [
  ...Array.from({ length: 3 }, () => requestRow({ asset_id: A1, observed_at: T0 + HOUR + 10 * 60_000, bytes_served: 100 })),
  requestRow({ asset_id: A1, observed_at: T0 + HOUR + 10 * 60_000, cache_status: 'MISS', bytes_served: 100 }),
  ...Array.from({ length: 2 }, () =>
    requestRow({
      asset_id: A1,
      observed_at: T0 + 5.5 * HOUR,
      cache_status: 'NONE',
      status_code: 404,
      bytes_served: 0,
      error_code: 'ARTIFACT_NOT_FOUND',
    }),
  ),
  ...Array.from({ length: 2 }, () =>
    requestRow({
      asset_id: A2,
      observed_at: T0 + 5.75 * HOUR,
      edge_id: 'edge-2',
      region: 'us',
      artifact_kind: 'opener',
      artifact_path: 'opener.mp4',
      rendition: '',
      bytes_served: 50,
    }),
  ),
  requestRow({ account_id: 'acct-b', asset_id: A1, observed_at: T0 + HOUR }),
];

beforeAll(async () => {
  ch = await openTestClickHouse();
  await ch.client.insert({
    table: 'playback_requests',
    values: rows,
    format: 'JSONEachRow',
    clickhouse_settings: { insert_deduplication_token: 'fixture' },
  });
});
afterAll(() => ch.drop());

const day = { from: T0, to: T0 + DAY };

describe('assetPlayback', () => {
  it('totals one asset of one account from the raw rows', async () => {
    expect(await assetPlayback(ch.client, 'acct-a', A1, day)).toEqual({
      requests: 6,
      bytes: 400,
      hit_ratio: 0.75,
      cache_status: { HIT: 3, MISS: 1, NONE: 2 },
      status_codes: { 200: 4, 404: 2 },
      artifact_kinds: { segment: 6 },
      first_seen: '2026-03-10T01:10:00.000Z',
      last_seen: '2026-03-10T05:30:00.000Z',
    });
  });

  it('adds the partial hours at either end to the whole hours in between', async () => {
    // 01:10 (4 requests) is in the partial first hour, 05:30 (2) in a whole hour.
    const r = await assetPlayback(ch.client, 'acct-a', A1, { from: T0 + HOUR + 5 * 60_000, to: T0 + 5.75 * HOUR });
    expect(r).toMatchObject({
      requests: 6,
      bytes: 400,
      cache_status: { HIT: 3, MISS: 1, NONE: 2 },
      first_seen: '2026-03-10T01:10:00.000Z',
      last_seen: '2026-03-10T05:30:00.000Z',
    });
    // And from the other end: the whole hour 01:00–02:00, then a partial one up to 05:31.
    expect((await assetPlayback(ch.client, 'acct-a', A1, { from: T0 + HOUR, to: T0 + 5.5 * HOUR + 60_000 })).requests).toBe(6);
    expect((await assetPlayback(ch.client, 'acct-a', A1, { from: T0 + HOUR, to: T0 + 5.5 * HOUR })).requests).toBe(4);
  });

  it('honours the window to the millisecond and answers zeros for nothing', async () => {
    const r = await assetPlayback(ch.client, 'acct-a', A1, { from: T0 + 5.5 * HOUR + 1, to: T0 + DAY });
    expect(r).toMatchObject({ requests: 0, bytes: 0, hit_ratio: null, cache_status: {}, first_seen: null });
    expect((await assetPlayback(ch.client, 'acct-a', A1, { from: T0 + 5.5 * HOUR, to: T0 + 5.5 * HOUR + 1 })).requests).toBe(2);
  });
});

describe('accountPlayback', () => {
  it('breaks the account down by a dimension, busiest first, from the hourly rollup', async () => {
    const r = await accountPlayback(ch.client, 'acct-a', { window: day, groupBy: 'asset', limit: 10 });
    expect(r.totals).toEqual({ requests: 8, bytes: 500, hits: 5, misses: 1, coalesced: 0, hit_ratio: 5 / 6 });
    expect(r.groups).toEqual([
      { key: A1, requests: 6, bytes: 400, hit_ratio: 0.75 },
      { key: A2, requests: 2, bytes: 100, hit_ratio: 1 },
    ]);
    expect(r.series).toBeUndefined();
    const top = await accountPlayback(ch.client, 'acct-a', { window: day, groupBy: 'region', limit: 1 });
    expect(top.groups).toEqual([{ key: 'eu', requests: 6, bytes: 400, hit_ratio: 0.75 }]);
    expect(top.totals.requests).toBe(8);
  });

  it('gives every bucket of the window, zeros included, per group', async () => {
    const r = await accountPlayback(ch.client, 'acct-a', {
      window: { from: T0, to: T0 + 6 * HOUR },
      groupBy: 'status_code',
      interval: 'hour',
      limit: 10,
    });
    const s200 = r.groups!.find((g) => g.key === '200')!.series!;
    expect(s200.map((p) => p.requests)).toEqual([0, 4, 0, 0, 0, 2]);
    expect(s200[0]!.t).toBe('2026-03-10T00:00:00.000Z');
    expect(r.groups!.find((g) => g.key === '404')!.series!.map((p) => p.requests)).toEqual([0, 0, 0, 0, 0, 2]);
    const daily = await accountPlayback(ch.client, 'acct-a', { window: { from: T0 - DAY, to: T0 + DAY }, interval: 'day', limit: 10 });
    expect(daily.series).toEqual([
      { t: '2026-03-09T00:00:00.000Z', requests: 0, bytes: 0 },
      { t: '2026-03-10T00:00:00.000Z', requests: 8, bytes: 500 },
    ]);
  });

  it('reads per-minute series from the raw rows and agrees with the rollup', async () => {
    const r = await accountPlayback(ch.client, 'acct-a', {
      window: { from: T0 + HOUR, to: T0 + 2 * HOUR },
      groupBy: 'cache_status',
      interval: 'minute',
      limit: 10,
    });
    expect(Object.fromEntries(r.groups!.map((g) => [g.key, g.requests]))).toEqual({ HIT: 3, MISS: 1 });
    const hit = r.groups!.find((g) => g.key === 'HIT')!.series!;
    expect(hit).toHaveLength(60);
    expect(hit[10]).toEqual({ t: '2026-03-10T01:10:00.000Z', requests: 3, bytes: 300 });
  });

  it('sees only the asking account', async () => {
    const b = await accountPlayback(ch.client, 'acct-b', { window: day, groupBy: 'asset', limit: 10 });
    expect(b.totals.requests).toBe(1);
    expect(b.groups).toEqual([{ key: A1, requests: 1, bytes: 1000, hit_ratio: 1 }]);
    expect((await accountPlayback(ch.client, 'acct-c', { window: day, limit: 10 })).totals.requests).toBe(0);
  });
});

describe('parseWindow', () => {
  const now = Date.UTC(2026, 5, 1, 12, 34, 56, 789);
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err instanceof AnalyticsQueryError ? err.code : String(err);
    }
    return 'no error';
  };

  it('defaults to the last day and parses RFC 3339 with offsets', () => {
    expect(parseWindow({}, { now })).toEqual({ from: now - DAY, to: now });
    expect(parseWindow({ from: '2026-06-01T00:00:00+02:00', to: '2026-06-01' }, { now })).toEqual({
      from: Date.UTC(2026, 4, 31, 22),
      to: Date.UTC(2026, 5, 1),
    });
  });

  it('aligns to whole buckets when asked', () => {
    expect(parseWindow({ to: '2026-06-01T12:34:56Z' }, { now, alignTo: HOUR })).toEqual({
      from: Date.UTC(2026, 4, 31, 12),
      to: Date.UTC(2026, 5, 1, 13),
    });
  });

  it('refuses what it cannot answer, each with its code', () => {
    expect(code(() => parseWindow({ from: 'last tuesday' }, { now }))).toBe('INVALID_TIMESTAMP');
    expect(code(() => parseWindow({ from: '1700000000' }, { now }))).toBe('INVALID_TIMESTAMP');
    expect(code(() => parseWindow({ to: '2026-02-30T00:00:00Z' }, { now }))).toBe('INVALID_TIMESTAMP');
    expect(code(() => parseWindow({ to: '2026-13-01T00:00:00Z' }, { now }))).toBe('INVALID_TIMESTAMP');
    expect(code(() => parseWindow({ from: '2026-06-02T00:00:00Z', to: '2026-06-01T00:00:00Z' }, { now }))).toBe('INVALID_WINDOW');
    expect(code(() => parseWindow({ from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }, { now }))).toBe('WINDOW_TOO_LARGE');
    expect(code(() => parseWindow({ from: '2026-05-31T00:00:00Z', to: '2026-06-01T00:00:01Z' }, { now, maxMs: DAY }))).toBe(
      'WINDOW_TOO_LARGE',
    );
  });

  const MINUTE = 60_000;
  const minute = { now, alignTo: MINUTE, maxMs: DAY };
  const message = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return (err as Error).message;
    }
    return 'no error';
  };

  it('chooses a default window that fits the interval, widening included', () => {
    // The 1,440 whole minutes up to now (12:34:56.789 is in the minute ending 12:35).
    expect(parseWindow({}, minute)).toEqual({ from: Date.UTC(2026, 4, 31, 12, 35), to: Date.UTC(2026, 5, 1, 12, 35) });
    expect(parseWindow({ to: '2026-06-01T12:00:00Z' }, minute)).toEqual({ from: Date.UTC(2026, 4, 31, 12), to: Date.UTC(2026, 5, 1, 12) });
    // Wider limits keep the whole last day.
    expect(parseWindow({}, { now, alignTo: HOUR, maxMs: 31 * DAY })).toEqual({
      from: Date.UTC(2026, 4, 31, 12),
      to: Date.UTC(2026, 5, 1, 13),
    });
  });

  it('bounds the window as asked: the widening may add one bucket', () => {
    expect(parseWindow({ from: '2026-05-31T12:00:30Z', to: '2026-06-01T12:00:30Z' }, minute)).toEqual({
      from: Date.UTC(2026, 4, 31, 12),
      to: Date.UTC(2026, 5, 1, 12, 1),
    });
    expect(code(() => parseWindow({ from: '2026-05-31T12:00:30Z', to: '2026-06-01T12:00:31Z' }, minute))).toBe('WINDOW_TOO_LARGE');
  });

  it('says exactly how long a refused window is', () => {
    expect(message(() => parseWindow({ from: '2026-05-31T00:00:00Z', to: '2026-06-01T00:01:00Z' }, minute))).toBe(
      'The window may span at most 1 day; this one spans 1 day 1 minute.',
    );
    expect(message(() => parseWindow({ from: '2026-05-31T00:00:00Z', to: '2026-06-01T00:00:00.001Z' }, minute))).toBe(
      'The window may span at most 1 day; this one spans 1 day 1 millisecond.',
    );
    expect(message(() => parseWindow({ from: '2026-04-01T00:00:00Z', to: '2026-05-02T02:00:30Z' }, { now, maxMs: 31 * DAY }))).toBe(
      'The window may span at most 31 days; this one spans 31 days 2 hours 30 seconds.',
    );
  });

  it("hints at an unescaped '+' read as a space, and only then", () => {
    const hint = "a '+' in a URL query string is read as a space: write %2B, or use Z (UTC)";
    expect(message(() => parseWindow({ from: '2026-11-20T00:00:00 01:00' }, { now }))).toContain(hint);
    expect(message(() => parseWindow({ to: '2026-11-20T00:00 05:30' }, { now }))).toContain(hint);
    expect(code(() => parseWindow({ to: '2026-11-20T00:00:00 01:00' }, { now }))).toBe('INVALID_TIMESTAMP');
    expect(message(() => parseWindow({ from: 'last tuesday' }, { now }))).not.toContain('%2B');
    expect(message(() => parseWindow({ from: '2026-11-20 00:00:00' }, { now }))).not.toContain('%2B');
  });
});

describe('schema', () => {
  it('applies each file once and can be run again', async () => {
    expect(await migrateClickHouse(ch.client, { retentionDays: 400 })).toEqual([]);
  });

  it('leaves the TTL alone when the days did not change (MODIFY TTL rewrites every part)', async () => {
    const commands: string[] = [];
    const watched = new Proxy(ch.client, {
      get(target, key) {
        if (key === 'command')
          return (p: { query: string }) => {
            commands.push(p.query);
            return target.command(p);
          };
        const v = Reflect.get(target, key) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    await migrateClickHouse(watched, { retentionDays: 400 });
    expect(commands.filter((q) => q.includes('ALTER'))).toEqual([]);
    await migrateClickHouse(watched, { retentionDays: 401 });
    expect(commands.filter((q) => q.includes('MODIFY TTL'))).toHaveLength(4);
    await migrateClickHouse(ch.client, { retentionDays: 400 });
  });

  it('moves the retention TTL to the configured days', async () => {
    await migrateClickHouse(ch.client, { retentionDays: 30 });
    const [t] = await (
      await ch.client.query({
        query: "SELECT create_table_query AS q FROM system.tables WHERE database = currentDatabase() AND name = 'playback_hourly'",
        format: 'JSONEachRow',
      })
    ).json<{ q: string }>();
    expect(t!.q).toMatch(/TTL hour \+ (toIntervalDay\(30\)|INTERVAL 30 DAY)/);
    await migrateClickHouse(ch.client, { retentionDays: 400 });
  });

  it('fills a rollup added later from the rows already there, once', async () => {
    const other = await openTestClickHouse({ upTo: '002' });
    try {
      const insert = (token: string) =>
        other.client.insert({
          table: 'playback_requests',
          values: rows,
          format: 'JSONEachRow',
          clickhouse_settings: { insert_deduplication_token: token },
        });
      await insert('before');
      expect(await migrateClickHouse(other.client, { retentionDays: 400 })).toEqual(['003_asset_hourly.sql']);
      // A file cut off before it was recorded runs again: the backfill must not count twice.
      for (const statement of splitStatements(await readFile(`${CLICKHOUSE_DIR}/003_asset_hourly.sql`, 'utf8')))
        await other.client.command({ query: statement });
      await insert('after');
      expect((await assetPlayback(other.client, 'acct-a', A1, day)).requests).toBe(12);
    } finally {
      await other.drop();
    }
  });

  it('splits files into statements, dropping comment lines', () => {
    expect(splitStatements('-- a; comment\nCREATE TABLE a (x UInt8)\nENGINE = Memory;\n\nSELECT 1;  \n')).toEqual([
      'CREATE TABLE a (x UInt8)\nENGINE = Memory',
      'SELECT 1',
    ]);
  });
});
