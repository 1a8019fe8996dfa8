import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, issueApiKey } from '@kino/db';
import { createEdge, type Edge } from '@kino/edge';
import { createTestConfig, makeFixture } from '@kino/testkit';
import { createPlaybackSigner, loadOrCreateSigningKeys } from '@kino/tokens';
import { startStack, type Stack } from '@kino/testkit-stack';

// Analytics end to end: real uploads through the pipeline, real playback through an edge,
// the edge's rows in (embedded) ClickHouse, and the api's answers over them.

let s: Stack;
let edge: Edge;
let keyB: string;
let assetA: any;
let assetB: any;

const get = (key: string, path: string) => fetch(`${s.api.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
const json = async (key: string, path: string) => {
  const res = await get(key, path);
  return { status: res.status, body: (await res.json()) as any };
};

async function upload(key: string): Promise<any> {
  const file = await makeFixture('standard', join(s.work, `${randomUUID()}.mp4`), { width: 320, height: 240, seconds: 3 });
  const res = await fetch(`${s.api.url}/v1/videos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'video/mp4' },
    body: await readFile(file),
  });
  return res.json();
}

async function waitHls(key: string, id: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await json(key, `/v1/assets/${id}`)).body.playable_state === 'hls_ready') return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`asset ${id} never became hls_ready`);
}

beforeAll(async () => {
  s = await startStack();
  edge = await createEdge(
    await createTestConfig(s.db, s.s3, {
      KINO_API_URL: s.api.url,
      EDGE_ID: 'edge-an',
      EDGE_REGION: 'eu-test',
      TELEMETRY_FLUSH_MS: '100',
    }),
  );
  await edge.start();
  for (let i = 0; i < 100 && (await s.db.sql`select 1 from edges`).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  await s.startWorker();
  keyB = (await issueApiKey(s.db.sql, (await createAccount(s.db.sql, 'other')).id)).key;
  [assetA, assetB] = await Promise.all([upload(s.key), upload(keyB)]);
  await Promise.all([waitHls(s.key, assetA.id), waitHls(keyB, assetB.id)]);
});
afterAll(async () => {
  await edge?.stop();
  await s?.close();
});

interface Tally {
  requests: number;
  bytes: number;
  cache_status: Record<string, number>;
  status_codes: Record<string, number>;
  artifact_kinds: Record<string, number>;
}

/** Fetches `url` as a player would and adds what the edge answered to `t`. */
async function play(t: Tally, url: string, kind: string): Promise<Response> {
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  const cache = res.headers.get('x-kino-cache') ?? 'NONE';
  t.requests++;
  if (res.ok) t.bytes += body.length;
  t.cache_status[cache] = (t.cache_status[cache] ?? 0) + 1;
  t.status_codes[res.status] = (t.status_codes[res.status] ?? 0) + 1;
  t.artifact_kinds[kind] = (t.artifact_kinds[kind] ?? 0) + 1;
  (res as Response & { text_: string }).text_ = body.toString();
  return res;
}

const newTally = (): Tally => ({ requests: 0, bytes: 0, cache_status: {}, status_codes: {}, artifact_kinds: {} });

const playbackOf = async (key: string, id: string): Promise<any> => (await json(key, `/v1/assets/${id}/analytics/playback`)).body;

/**
 * Polls until the api counts `marker`, a request sent after every counted one. The edge
 * writes its rows in the order their requests closed, one batch at a time, so once the
 * marker is counted every earlier row is too: a row missing or counted twice shows in the
 * totals read after it, and none can arrive later.
 */
async function untilMarkerCounted(key: string, id: string, counted: (analytics: any) => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (counted(await playbackOf(key, id))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the marker request for ${id} was never counted`);
}

/** What the api says of one asset, in the shape of a tally, to compare exactly. */
const tallyOf = (a: any): Tally => ({
  requests: a.requests,
  bytes: a.bytes,
  cache_status: a.cache_status,
  status_codes: a.status_codes,
  artifact_kinds: a.artifact_kinds,
});

describe('playback analytics', () => {
  const tallyA = newTally();
  const tallyB = newTally();

  it('counts requests, bytes, cache outcomes and status codes of one asset, refusals included', async () => {
    const block = (await json(s.key, `/v1/assets/${assetA.id}/playback`)).body;
    const master = await play(tallyA, block.urls.master, 'playlist');
    const text = (master as Response & { text_: string }).text_;
    const mediaUri = text.split('\n').find((l) => l && !l.startsWith('#'))!;
    const mediaUrl = new URL(mediaUri, block.urls.master).href;
    const media = ((await play(tallyA, mediaUrl, 'playlist')) as Response & { text_: string }).text_;
    const init = new URL(/#EXT-X-MAP:URI="([^"]+)"/.exec(media)![1]!, mediaUrl).href;
    const first = new URL(media.split('\n').find((l) => l && !l.startsWith('#'))!, mediaUrl).href;
    await play(tallyA, init, 'init');
    for (let i = 0; i < 3; i++) await play(tallyA, first, 'segment');
    await play(tallyA, block.urls.master, 'playlist');
    await play(tallyA, block.urls.thumbnail, 'thumbnail');

    // A genuine token of this account, expired: refused, and still counted for the asset.
    const signer = createPlaybackSigner(await loadOrCreateSigningKeys(s.config.playback.signingKeysFile), {
      audience: s.config.playback.audience,
      defaultTtlSeconds: 60,
      maxTtlSeconds: 3600,
    });
    const [{ account_id: accountId }] = await s.db.sql<[{ account_id: string }]>`select account_id from assets where id = ${assetA.id}`;
    const { token } = await signer.sign({ assetId: assetA.id, accountId, now: Date.now() - 3_600_000 });
    const refused = await play(tallyA, block.urls.opener.replace(/\/p\/[^/]+\//, `/p/${token}/`), 'opener');
    expect(refused.status).toBe(401);

    // Another account's viewer of its own asset.
    const blockB = (await json(keyB, `/v1/assets/${assetB.id}/playback`)).body;
    await play(tallyB, blockB.urls.opener, 'opener');
    await play(tallyB, blockB.urls.opener, 'opener');

    // The marker, after every other request: B's thumbnail, the only thumbnail B's viewer asks for.
    await play(tallyB, blockB.urls.thumbnail, 'thumbnail');
    await untilMarkerCounted(keyB, assetB.id, (b) => (b.artifact_kinds?.thumbnail ?? 0) > 0);

    const got = await playbackOf(s.key, assetA.id);
    expect(got.asset_id).toBe(assetA.id);
    expect(tallyOf(got)).toEqual(tallyA);
    const cached = tallyA.cache_status['HIT'] ?? 0;
    const filled = (tallyA.cache_status['MISS'] ?? 0) + (tallyA.cache_status['COALESCED'] ?? 0);
    expect(got.hit_ratio).toBeCloseTo(cached / (cached + filled), 10);
    expect(Date.parse(got.first_seen)).toBeLessThanOrEqual(Date.parse(got.last_seen));

    // Any spelling of the id answers for the stored one.
    expect((await json(s.key, `/v1/assets/${assetA.id.toUpperCase()}/analytics/playback`)).body).toMatchObject({
      asset_id: assetA.id,
      requests: tallyA.requests,
    });

    const gotB = await playbackOf(keyB, assetB.id);
    expect(tallyOf(gotB)).toEqual(tallyB);
    expect(gotB).toMatchObject({ requests: 3, status_codes: { 200: 3 }, artifact_kinds: { opener: 2, thumbnail: 1 } });
  });

  it('keeps accounts apart', async () => {
    expect((await json(keyB, `/v1/assets/${assetA.id}/analytics/playback`)).status).toBe(404);
    expect((await json(keyB, `/v1/assets/${assetA.id}/analytics/qoe`)).status).toBe(404);
    const wide = (await json(keyB, '/v1/analytics/playback?group_by=asset')).body;
    expect(wide.totals.requests).toBe(tallyB.requests);
    expect(wide.groups.map((g: any) => g.key)).toEqual([assetB.id]);
  });

  it('answers account-wide breakdowns and time series, sorted, with totals', async () => {
    const byStatus = (await json(s.key, '/v1/analytics/playback?group_by=status_code')).body;
    expect(byStatus.totals.requests).toBe(tallyA.requests);
    expect(Object.fromEntries(byStatus.groups.map((g: any) => [g.key, g.requests]))).toEqual(tallyA.status_codes);
    expect(byStatus.groups[0].requests).toBeGreaterThanOrEqual(byStatus.groups.at(-1).requests);

    const byEdge = (await json(s.key, '/v1/analytics/playback?group_by=edge&interval=hour')).body;
    expect(byEdge.groups).toHaveLength(1);
    expect(byEdge.groups[0]).toMatchObject({ key: 'edge-an', requests: tallyA.requests, bytes: tallyA.bytes });
    expect(byEdge.groups[0].series.reduce((n: number, p: any) => n + p.requests, 0)).toBe(tallyA.requests);
    // A day of whole hours: 24 buckets, or 25 when `to` is not on the hour.
    expect(byEdge.groups[0].series.length).toBeGreaterThanOrEqual(24);

    const minutes = (await json(s.key, `/v1/analytics/playback?interval=minute&from=${new Date(Date.now() - 3_600_000).toISOString()}`))
      .body;
    expect(minutes.series.reduce((n: number, p: any) => n + p.requests, 0)).toBe(tallyA.requests);
    expect(minutes.series.length).toBeGreaterThanOrEqual(60);
    expect(minutes.totals).toMatchObject({ requests: tallyA.requests, bytes: tallyA.bytes });

    const regions = (await json(s.key, '/v1/analytics/playback?group_by=region&limit=1')).body;
    expect(regions.groups).toEqual([expect.objectContaining({ key: 'eu-test', requests: tallyA.requests })]);
  });

  it('refuses bad query parameters with a clear code', async () => {
    const cases: Array<[string, string]> = [
      ['/v1/analytics/playback?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'INVALID_WINDOW'],
      ['/v1/analytics/playback?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'WINDOW_TOO_LARGE'],
      ['/v1/analytics/playback?interval=minute&from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z', 'WINDOW_TOO_LARGE'],
      ['/v1/analytics/playback?group_by=planet', 'VALIDATION_ERROR'],
      ['/v1/analytics/playback?interval=fortnight', 'VALIDATION_ERROR'],
      ['/v1/analytics/playback?limit=0', 'VALIDATION_ERROR'],
      ['/v1/analytics/playback?from=yesterday', 'INVALID_TIMESTAMP'],
      ['/v1/analytics/playback?to=2026-13-01T00:00:00Z', 'INVALID_TIMESTAMP'],
      [`/v1/assets/${'x'.repeat(5)}/analytics/playback`, 'VALIDATION_ERROR'],
      [`/v1/assets/{id}/analytics/playback?from=1700000000`, 'INVALID_TIMESTAMP'],
    ];
    for (const [path, code] of cases) {
      const res = await json(s.key, path.replace('{id}', assetA.id));
      expect([res.status, res.body.error?.code], path).toEqual([400, code]);
      expect(res.body.error.message.length, path).toBeGreaterThan(10);
    }
    expect((await get('wrong', '/v1/analytics/playback')).status).toBe(401);
  });

  it('counts a view from its beacons in the QoE answer', async () => {
    const block = (await json(s.key, `/v1/assets/${assetA.id}/playback`)).body;
    const viewId = randomUUID();
    const now = Date.now();
    const beacon = (events: object[]) =>
      fetch(block.beacon.url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ token: block.beacon.token, view_id: viewId, events }),
      });
    expect(
      (
        await beacon([
          { type: 'view_start', at: now, position: 0 },
          { type: 'first_frame', at: now + 120, position: 0, value_ms: 120 },
          { type: 'rebuffer_start', at: now + 2000, position: 1.9 },
          { type: 'rebuffer_end', at: now + 2500, position: 1.9, value_ms: 500 },
        ])
      ).status,
    ).toBe(204);
    expect((await beacon([{ type: 'view_end', at: now + 10_000, position: 9.5, value_ms: 9500 }])).status).toBe(204);

    let qoe: any;
    for (let i = 0; i < 100; i++) {
      qoe = (await json(s.key, `/v1/assets/${assetA.id}/analytics/qoe`)).body;
      if (qoe.watched_ms > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(qoe).toMatchObject({
      asset_id: assetA.id,
      views: 1,
      startup_ms: { p50: 120, p95: 120 },
      rebuffer_ms: 500,
      watched_ms: 9500,
      rebuffer_ratio: 0.05,
      error_rate: 0,
    });
    expect((await json(keyB, `/v1/assets/${assetB.id}/analytics/qoe`)).body).toMatchObject({
      views: 0,
      startup_ms: { p50: null },
      rebuffer_ratio: null,
      error_rate: null,
    });
  });
});
