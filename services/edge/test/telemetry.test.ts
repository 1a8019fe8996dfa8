import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouseHandle, type TelemetryWriter } from '@kino/analytics';
import { get, internal, sample, settled, startEdgeHarness, uploadAsset, type EdgeHarness } from '@kino/testkit-stack';

// Telemetry from the edge's point of view: every answer becomes a row, ClickHouse going
// away changes nothing for viewers, and the spool makes the counts whole again.

/** The real writer behind a switch: off is a ClickHouse that went away. */
const outage = { down: false, loseReplies: false, lostReplies: 0 };
const wrapWriter = (real: TelemetryWriter): TelemetryWriter => ({
  async insert(...args) {
    if (outage.down) throw new Error('connect ECONNREFUSED (ClickHouse is down in this test)');
    await real.insert(...args);
    // The batch landed but the reply was lost: the emitter spools it and replays it later.
    if (outage.loseReplies) {
      outage.lostReplies++;
      throw new Error('socket hang up');
    }
  },
});

const FAST = { EDGE_ID: 'edge-t', TELEMETRY_FLUSH_MS: '50', TELEMETRY_REPLAY_MS: '100', TELEMETRY_BATCH_ROWS: '5' };

describe('edge telemetry', () => {
  let h: EdgeHarness;
  let ch: ClickHouseHandle;
  let assetId: string;

  beforeAll(async () => {
    h = await startEdgeHarness(FAST, { wrapWriter });
    ch = await openClickHouse(h.config.clickhouse);
    assetId = await uploadAsset(h, { 'hls/master.m3u8': 300, 'hls/240p/index.m3u8': 200, 'hls/240p/0.m4s': 5000, 'opener.mp4': 2000 });
  });
  afterEach(() => {
    outage.down = false;
    outage.loseReplies = false;
  });
  afterAll(async () => {
    await h?.close();
    await ch?.close();
  });

  const rowsOf = async (asset: string) => {
    const rs = await ch.client.query({
      query: `SELECT artifact_kind, rendition, cache_status, status_code, bytes_served, error_code, account_id
              FROM playback_requests FINAL WHERE asset_id = {asset:String} ORDER BY observed_at`,
      query_params: { asset },
      format: 'JSONEachRow',
    });
    return rs.json<{
      artifact_kind: string;
      rendition: string;
      cache_status: string;
      status_code: number;
      bytes_served: number;
      error_code: string;
      account_id: string;
    }>();
  };

  const waitForRows = async (asset: string, n: number) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await rowsOf(asset);
      if (rows.length >= n || Date.now() > deadline) return rows;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  /** Until nothing is spooled or queued: every row recorded so far is in ClickHouse. */
  const drained = () =>
    expect
      .poll(
        async () => {
          const m = (await internal(h, '/metrics')).text;
          return sample(m, 'kino_edge_telemetry_spool_batches') + sample(m, 'kino_edge_telemetry_queued_rows');
        },
        { timeout: 30_000, interval: 50 },
      )
      .toBe(0);

  const signed = async (asset: string, path: string, o: { accountId?: string; ttlSeconds?: number; now?: number } = {}) => {
    const { token } = await h.signer.sign({ assetId: asset, accountId: 'acct-1', ...o });
    return { url: `${h.edge.url}/p/${token}/${asset}/${path}`, token };
  };

  it('records every answer, refusals included, with what it was and how it went', async () => {
    // The master first, as a player does (a segment's MISS would otherwise fetch it for the edge).
    expect((await get((await signed(assetId, 'hls/master.m3u8')).url)).status).toBe(200);
    const segment = await signed(assetId, 'hls/240p/0.m4s');
    expect((await get(segment.url)).status).toBe(200);
    await settled(h);
    expect((await get(segment.url)).headers['x-kino-cache']).toBe('HIT');
    const expired = await signed(assetId, 'opener.mp4', { ttlSeconds: 60, now: Date.now() - 3_600_000 });
    expect((await get(expired.url)).status).toBe(401);
    expect((await get(`${h.edge.url}/p/not-a-token/${assetId}/opener.mp4`)).status).toBe(401);

    const rows = await waitForRows(assetId, 5);
    expect(rows).toEqual([
      {
        artifact_kind: 'playlist',
        rendition: '',
        cache_status: 'MISS',
        status_code: 200,
        bytes_served: 300,
        error_code: '',
        account_id: 'acct-1',
      },
      {
        artifact_kind: 'segment',
        rendition: '240p',
        cache_status: 'MISS',
        status_code: 200,
        bytes_served: 5000,
        error_code: '',
        account_id: 'acct-1',
      },
      {
        artifact_kind: 'segment',
        rendition: '240p',
        cache_status: 'HIT',
        status_code: 200,
        bytes_served: 5000,
        error_code: '',
        account_id: 'acct-1',
      },
      // Expired but genuine: attributed to its account. A forged token proves no account.
      {
        artifact_kind: 'opener',
        rendition: '',
        cache_status: 'NONE',
        status_code: 401,
        bytes_served: 0,
        error_code: 'TOKEN_EXPIRED',
        account_id: 'acct-1',
      },
      {
        artifact_kind: 'opener',
        rendition: '',
        cache_status: 'NONE',
        status_code: 401,
        bytes_served: 0,
        error_code: 'TOKEN_MALFORMED',
        account_id: '',
      },
    ]);
  });

  it('never stores a token, a query string or a client address', async () => {
    const asset = await uploadAsset(h, { 'opener.mp4': 100 });
    const { url, token } = await signed(asset, 'opener.mp4');
    const headers = { 'x-forwarded-for': '203.0.113.9', cookie: 'sid=abc' };
    expect((await get(`${url}?secret=hunter2&utm_source=mail`, headers)).status).toBe(200);
    expect((await get(`${h.edge.url}/p/${token}/${asset}/nope.txt?secret=hunter2`)).status).toBe(404);
    const beacon = await fetch(`${h.edge.url}/beacon?secret=hunter2`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain' },
      body: JSON.stringify({ token, view_id: randomUUID(), events: [{ type: 'view_start', at: Date.now() }] }),
    });
    expect(beacon.status).toBe(204);
    await waitForRows(asset, 1);
    // Each row was queued as its response closed; once drained, all of them are in ClickHouse.
    await drained();
    const all = [
      await (await ch.client.query({ query: 'SELECT * FROM playback_requests', format: 'JSONEachRow' })).text(),
      await (await ch.client.query({ query: 'SELECT * FROM player_events', format: 'JSONEachRow' })).text(),
    ].join('\n');
    expect(all).toContain(asset);
    expect(all).toContain('view_start');
    for (const secret of [token, token.split('.')[2]!, 'hunter2', 'utm_source', '?', '127.0.0.1', '203.0.113.9', 'sid=abc']) {
      expect(all, secret).not.toContain(secret);
    }
  });

  it('while ClickHouse is away: same answers, a growing spool, then every row exactly once', async () => {
    const asset = await uploadAsset(h, { 'hls/240p/0.m4s': 1000, 'hls/240p/1.m4s': 1000 });
    const before = (await internal(h, '/metrics')).text;
    const spooled0 = sample(before, 'kino_edge_telemetry_spool_batches');

    outage.down = true;
    const answers: Array<[number, string | undefined, number]> = [];
    for (let i = 0; i < 20; i++) {
      const res = await get((await signed(asset, `hls/240p/${i % 2}.m4s`)).url);
      answers.push([res.status, res.headers['x-kino-cache'] as string | undefined, res.body.length]);
      if (i === 1) await settled(h);
    }
    expect(answers.slice(0, 2)).toEqual([
      [200, 'MISS', 1000],
      [200, 'MISS', 1000],
    ]);
    expect(answers.slice(2).every(([s, c, n]) => s === 200 && c === 'HIT' && n === 1000)).toBe(true);

    const deadline = Date.now() + 10_000;
    let metrics = '';
    while (Date.now() < deadline) {
      metrics = (await internal(h, '/metrics')).text;
      if (sample(metrics, 'kino_edge_telemetry_spool_batches') >= spooled0 + 4 && sample(metrics, 'kino_edge_telemetry_queued_rows') === 0)
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sample(metrics, 'kino_edge_telemetry_spool_batches')).toBeGreaterThanOrEqual(spooled0 + 4);
    expect(sample(metrics, 'kino_edge_telemetry_queued_rows')).toBe(0);
    expect(sample(metrics, 'kino_edge_telemetry_spool_bytes')).toBeGreaterThan(0);
    expect((await readdir(h.config.telemetry.spoolDir)).filter((f) => f.endsWith('.jsonl')).length).toBeGreaterThanOrEqual(spooled0 + 4);
    expect(await rowsOf(asset)).toEqual([]);

    // Back, but the first replayed batches land without their replies arriving: they are
    // replayed again, and the deduplication token keeps them from counting twice.
    outage.down = false;
    outage.lostReplies = 0;
    outage.loseReplies = true;
    // Until the replay loop has really landed a batch whose reply it then lost.
    await expect.poll(() => outage.lostReplies, { timeout: 30_000, interval: 20 }).toBeGreaterThan(0);
    outage.loseReplies = false;
    const rows = await waitForRows(asset, 20);
    // Drained: nothing spooled or queued is left that could still land twice.
    await drained();
    expect(await rowsOf(asset)).toHaveLength(20);
    expect(rows.filter((r) => r.cache_status === 'HIT')).toHaveLength(18);
    const unfinal = await (
      await ch.client.query({
        query: 'SELECT count() AS n FROM playback_requests WHERE asset_id = {asset:String}',
        query_params: { asset },
        format: 'JSONEachRow',
      })
    ).json<{ n: number }>();
    expect(Number(unfinal[0]!.n)).toBe(20);
    const rollup = await (
      await ch.client.query({
        query: "SELECT sum(requests) AS n FROM playback_hourly WHERE dim = 'asset' AND key = {asset:String}",
        query_params: { asset },
        format: 'JSONEachRow',
      })
    ).json<{ n: number }>();
    expect(Number(rollup[0]!.n)).toBe(20);
    // And what per-asset answers read.
    const hourly = await (
      await ch.client.query({
        query: 'SELECT sum(requests) AS n, sum(bytes) AS b FROM asset_hourly WHERE asset_id = {asset:String}',
        query_params: { asset },
        format: 'JSONEachRow',
      })
    ).json<{ n: number; b: number }>();
    expect([Number(hourly[0]!.n), Number(hourly[0]!.b)]).toEqual([20, 20_000]);
    expect(sample((await internal(h, '/metrics')).text, 'kino_edge_telemetry_dropped_rows_total{reason="spool_full"}')).toBe(0);
  });

  it('takes QoE beacons authorized by the playback token, and refuses bad ones clearly', async () => {
    const { token } = await signed(assetId, 'opener.mp4');
    const viewId = randomUUID();
    const beacon = (body: unknown, type = 'text/plain;charset=UTF-8') =>
      fetch(`${h.edge.url}/beacon`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const now = Date.now();
    const ok = await beacon({
      token,
      view_id: viewId,
      events: [
        { type: 'view_start', at: now, position: 0 },
        { type: 'first_frame', at: now + 90, position: 0, value_ms: 90 },
        { type: 'rendition_switch', at: now + 100, position: 0.1, rendition: '240p', bitrate: 400_000 },
      ],
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');

    const refusals: Array<[unknown, number, string]> = [
      ['{not json', 400, 'INVALID_JSON'],
      [{ token, view_id: viewId, events: [] }, 400, 'VALIDATION_ERROR'],
      [{ token, view_id: viewId, events: [{ type: 'made_up', at: now }] }, 400, 'VALIDATION_ERROR'],
      [{ token: 'nope', view_id: viewId, events: [{ type: 'view_start', at: now }] }, 401, 'TOKEN_MALFORMED'],
      [{ token, view_id: viewId, events: Array.from({ length: 65 }, () => ({ type: 'view_start', at: now })) }, 400, 'VALIDATION_ERROR'],
    ];
    for (const [body, status, code] of refusals) {
      const res = await beacon(body);
      expect([res.status, ((await res.json()) as { error: { code: string } }).error.code], JSON.stringify(body).slice(0, 60)).toEqual([
        status,
        code,
      ]);
    }
    expect((await beacon('x'.repeat(20_000))).status).toBe(413);

    const deadline = Date.now() + 10_000;
    let rows: Array<{ type: string; value_ms: number; account_id: string; asset_id: string; rendition: string }> = [];
    while (Date.now() < deadline && rows.length < 3) {
      rows = await (
        await ch.client.query({
          query: 'SELECT type, value_ms, account_id, asset_id, rendition FROM player_events WHERE view_id = {v:UUID} ORDER BY client_at',
          query_params: { v: viewId },
          format: 'JSONEachRow',
        })
      ).json();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows).toEqual([
      { type: 'view_start', value_ms: 0, account_id: 'acct-1', asset_id: assetId, rendition: '' },
      { type: 'first_frame', value_ms: 90, account_id: 'acct-1', asset_id: assetId, rendition: '' },
      { type: 'rendition_switch', value_ms: 0, account_id: 'acct-1', asset_id: assetId, rendition: '240p' },
    ]);
  });
});

describe('edge telemetry with a ClickHouse server that is not there', () => {
  let h: EdgeHarness;
  beforeAll(async () => {
    h = await startEdgeHarness({ ...FAST, CLICKHOUSE_URL: 'http://127.0.0.1:9' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serves as usual and spools what it would have written', async () => {
    const assetId = await uploadAsset(h, { 'opener.mp4': 1500 });
    for (let i = 0; i < 12; i++) {
      const res = await get(await h.url(assetId, 'opener.mp4'));
      expect([res.status, res.body.length]).toEqual([200, 1500]);
    }
    const deadline = Date.now() + 10_000;
    let metrics = '';
    do {
      metrics = (await internal(h, '/metrics')).text;
      await new Promise((r) => setTimeout(r, 50));
    } while (
      Date.now() < deadline &&
      sample(metrics, 'kino_edge_telemetry_queued_rows') + (sample(metrics, 'kino_edge_telemetry_spool_batches') === 0 ? 1 : 0) > 0
    );
    expect(sample(metrics, 'kino_edge_telemetry_connected')).toBe(0);
    expect(sample(metrics, 'kino_edge_telemetry_spool_batches')).toBeGreaterThanOrEqual(3);
    expect(sample(metrics, 'kino_edge_telemetry_written_rows_total')).toBe(0);
  });
});
