import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickHouseWriter, encodePlaybackRequest, openClickHouse, type PlaybackRequestRow } from '@kino/analytics';
import { createAccount, insertAsset, issueApiKey } from '@kino/db';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

// GET /v1/usage on a real (embedded) ClickHouse and an account's rows crafted in Postgres,
// on a fixed past day so every bucket is known: 2026-03-10.
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 10);
const at = (ms: number) => new Date(ms);

let h: ApiHarness;
let accountA: string;
let accountB: string;
let keyB: string;
let close: () => Promise<void>;

const json = async (path: string, key = h.keyA) => {
  const res = await fetch(`${h.api.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as any };
};

/** An asset created at `created`, with a probed source of `minutes` and `bytes`, deleted at `deleted`. */
async function asset(accountId: string, o: { created: number; minutes: number; bytes: number; deleted?: number }) {
  const id = randomUUID();
  await insertAsset(h.db.sql, { id, accountId, contentType: 'video/mp4' });
  await h.db.sql`
    update assets set source_state = 'uploaded', source_bytes = ${o.bytes}, created_at = ${at(o.created)},
      source_meta = ${h.db.sql.json({ duration_sec: o.minutes * 60 })}, deleted_at = ${o.deleted ? at(o.deleted) : null}
    where id = ${id}`;
  return id;
}

function request(accountId: string, assetId: string, observedAt: number, bytes: number): PlaybackRequestRow {
  return {
    event_id: randomUUID(),
    observed_at: observedAt,
    account_id: accountId,
    asset_id: assetId,
    artifact_path: 'hls/240p/1.m4s',
    artifact_kind: 'segment',
    rendition: '240p',
    edge_id: 'edge-1',
    region: 'eu',
    cache_status: 'HIT',
    status_code: 200,
    bytes_served: bytes,
    duration_ms: 1,
    error_code: '',
  };
}

beforeAll(async () => {
  h = await startApiHarness();
  accountA = (await h.db.sql<{ id: string }[]>`select id from accounts where name = 'a'`)[0]!.id;
  accountB = (await createAccount(h.db.sql, 'usage-b')).id;
  keyB = (await issueApiKey(h.db.sql, accountB)).key;

  // Account A: a 2-minute asset at 01:00 with a 240p and an audio rendition made at 02:00 and
  // a 1000-byte artifact stored at 02:00; a 3-minute asset at 10:00 deleted at 12:00.
  const a1 = await asset(accountA, { created: T0 + HOUR, minutes: 2, bytes: 3600 });
  await h.db.sql`
    insert into artifacts (asset_id, path, kind, key, content_type, bytes, created_at)
    values (${a1}, 'hls/240p/0.m4s', 'segment', 'k', 'video/mp4', 1000, ${at(T0 + 2 * HOUR)})`;
  for (const codecs of ['avc1.64000d', 'mp4a.40.2'])
    await h.db.sql`
      insert into asset_events (account_id, asset_id, type, data, created_at)
      values (${accountA}, ${a1}, 'asset.rendition_ready', ${h.db.sql.json({ codecs })}, ${at(T0 + 2 * HOUR)})`;
  await asset(accountA, { created: T0 + 10 * HOUR, minutes: 3, bytes: 7200, deleted: T0 + 12 * HOUR });
  // Its preset `hd`, and a 2-minute static rendition of it (h264 + aac) at 02:00.
  await h.db.sql`update assets set preset = ${h.db.sql.json({ name: 'hd' })} where id = ${a1}`;
  await h.db.sql`
    insert into asset_events (account_id, asset_id, type, data, created_at)
    values (${accountA}, ${a1}, 'asset.static_rendition_ready',
            ${h.db.sql.json({ name: 'highest', duration: 120, video_codec: 'h264', audio_codec: 'aac' })}, ${at(T0 + 2 * HOUR)})`;
  // A job of the jobs API (preset `small`) that finished at 03:00 keeping a 1-minute HEVC output of 500 B.
  const output = {
    name: 'o.mp4',
    bytes: 500,
    probe: {
      duration_sec: 60,
      streams: [
        { type: 'audio', codec: 'aac' },
        { type: 'video', codec: 'hevc' },
      ],
    },
  };
  await h.db.sql`
    insert into user_jobs (account_id, operation, state, request, outputs, created_at, finished_at)
    values (${accountA}, 'convert', 'succeeded', ${h.db.sql.json({ kind: 'typed', preset: 'small' })}, ${h.db.sql.json([output])},
            ${at(T0 + 3 * HOUR)}, ${at(T0 + 3 * HOUR)})`;
  // Account B's asset and traffic must not show in A's usage.
  const b1 = await asset(accountB, { created: T0 + HOUR, minutes: 50, bytes: 999_999 });

  const ch = await openClickHouse(h.config.clickhouse);
  close = ch.close;
  const rows = [
    request(accountA, a1, T0 + 3 * HOUR, 500),
    request(accountA, a1, T0 + 3 * HOUR + 60_000, 700),
    request(accountA, a1, T0 + 30 * HOUR, 100), // the next day
    request(accountB, b1, T0 + 3 * HOUR, 123_456),
  ];
  await clickHouseWriter(() => ch.client).insert('playback_requests', rows.map(encodePlaybackRequest).join('\n'), randomUUID());
});
afterAll(async () => {
  await close?.();
  await h?.close();
});

describe('GET /v1/usage', () => {
  it('counts ingest, encoding, storage and delivery of the account alone, per day', async () => {
    const res = await json('/v1/usage?from=2026-03-10T00:00:00Z&to=2026-03-12T00:00:00Z&interval=day');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [day1, day2] = res.body.series;
    expect(res.body.series).toHaveLength(2);
    expect(day1).toMatchObject({
      t: '2026-03-10T00:00:00.000Z',
      minutes_ingested: 5,
      minutes_encoded: { h264: 4, aac: 2, h265: 1 },
      minutes_encoded_by_preset: { hd: 6, small: 1 },
      delivered_requests: 2,
      delivered_bytes: 1200,
    });
    // Source 1: 3600 B × 23 h; its artifact 1000 B × 22 h; source 2: 7200 B × 2 h (deleted at 12:00); the job's output 500 B × 21 h.
    expect(day1.storage_byte_hours).toBeCloseTo(3600 * 23 + 1000 * 22 + 7200 * 2 + 500 * 21, 3);
    expect(day2).toMatchObject({ minutes_ingested: 0, minutes_encoded: {}, delivered_requests: 1, delivered_bytes: 100 });
    expect(day2.storage_byte_hours).toBeCloseTo((3600 + 1000 + 500) * 24, 3);
    expect(res.body.totals).toMatchObject({
      minutes_ingested: 5,
      minutes_encoded: { h264: 4, aac: 2, h265: 1 },
      minutes_encoded_by_preset: { hd: 6, small: 1 },
      delivered_requests: 3,
      delivered_bytes: 1300,
    });
  });

  it('agrees with the analytics route for the same window', async () => {
    const window = 'from=2026-03-10T00:00:00Z&to=2026-03-12T00:00:00Z';
    const usage = await json(`/v1/usage?${window}&interval=hour`);
    const analytics = await json(`/v1/analytics/playback?${window}&interval=hour`);
    expect(usage.status, JSON.stringify(usage.body)).toBe(200);
    expect(usage.body.series).toHaveLength(48);
    expect(usage.body.totals.delivered_bytes).toBe(analytics.body.totals.bytes);
    expect(usage.body.totals.delivered_requests).toBe(analytics.body.totals.requests);
    expect(usage.body.series.map((p: any) => p.delivered_bytes)).toEqual(analytics.body.series.map((p: any) => p.bytes));
  });

  it('shows another account only its own', async () => {
    const res = await json('/v1/usage?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z', keyB);
    expect(res.body.totals).toMatchObject({ minutes_ingested: 50, minutes_encoded: {}, delivered_requests: 1, delivered_bytes: 123_456 });
  });

  it('refuses a bad window with the one error shape', async () => {
    const backwards = await json('/v1/usage?from=2026-03-11T00:00:00Z&to=2026-03-10T00:00:00Z');
    expect([backwards.status, backwards.body.error?.code]).toEqual([400, 'INVALID_WINDOW']);
    const tooLong = await json('/v1/usage?from=2026-01-01T00:00:00Z&to=2026-03-10T00:00:00Z&interval=hour');
    expect([tooLong.status, tooLong.body.error?.code]).toEqual([400, 'WINDOW_TOO_LARGE']);
    const interval = await json('/v1/usage?interval=minute');
    expect(interval.status).toBe(400);
  });
});
