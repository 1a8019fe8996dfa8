import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouseHandle } from '@kino/analytics';
import { get, settled, startEdgeHarness, uploadAsset, type EdgeHarness } from '@kino/testkit-stack';

// HTTP behaviours at the edges of a request: Range on a cold MISS, If-Range against the
// cached version, and what telemetry records when a viewer leaves before or during an answer.

const FAST = { EDGE_ID: 'edge-http', TELEMETRY_FLUSH_MS: '50', TELEMETRY_REPLAY_MS: '100', TELEMETRY_BATCH_ROWS: '5' };

let h: EdgeHarness;
let ch: ClickHouseHandle;
beforeAll(async () => {
  h = await startEdgeHarness(FAST);
  ch = await openClickHouse(h.config.clickhouse);
});
afterAll(async () => {
  await h?.close();
  await ch?.close();
});

/** Sends a GET and hands back the request and its response as soon as headers arrive. */
function open(url: string): { req: ClientRequest; response: Promise<IncomingMessage> } {
  const req = httpRequest(url, { agent: false });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  response.catch(() => {});
  req.end();
  return { req, response };
}

async function rowsFor(assetId: string) {
  const rs = await ch.client.query({
    query: `SELECT artifact_path, cache_status, status_code, bytes_served, error_code FROM playback_requests
            WHERE asset_id = {a:String} ORDER BY observed_at`,
    query_params: { a: assetId },
    format: 'JSONEachRow',
  });
  return rs.json<{ artifact_path: string; cache_status: string; status_code: number; bytes_served: number; error_code: string }>();
}

describe('edge HTTP', () => {
  it('answers Range on a MISS with the whole object (200), and with 206 once cached', async () => {
    const id = await uploadAsset(h, { 'opener.mp4': 50_000 });
    const origin = await h.originBytes(id, 'opener.mp4');
    const url = await h.url(id, 'opener.mp4');
    const miss = await get(url, { range: 'bytes=100-199' });
    expect([miss.status, miss.headers['x-kino-cache'], miss.headers['content-range']]).toEqual([200, 'MISS', undefined]);
    expect(miss.body.equals(origin)).toBe(true);
    await settled(h);
    const hit = await get(url, { range: 'bytes=100-199' });
    expect([hit.status, hit.headers['x-kino-cache'], hit.headers['content-range']]).toEqual([206, 'HIT', `bytes 100-199/${origin.length}`]);
    expect(hit.body.equals(origin.subarray(100, 200))).toBe(true);
  });

  it("honours If-Range end to end: the cached version's ETag or date gives 206, another version the whole object", async () => {
    const id = await uploadAsset(h, { 'hls/240p/0.m4s': 30_000 });
    const origin = await h.originBytes(id, 'hls/240p/0.m4s');
    const url = await h.url(id, 'hls/240p/0.m4s');
    const first = await get(url);
    await settled(h);
    const etag = first.headers.etag!;
    const lastModified = first.headers['last-modified']!;
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);

    const same = await get(url, { range: 'bytes=0-9', 'if-range': etag });
    expect([same.status, same.headers['content-range']]).toEqual([206, `bytes 0-9/${origin.length}`]);
    expect(same.body.equals(origin.subarray(0, 10))).toBe(true);
    const byDate = await get(url, { range: 'bytes=10-19', 'if-range': lastModified });
    expect([byDate.status, byDate.body.equals(origin.subarray(10, 20))]).toEqual([206, true]);

    for (const other of ['"1-2"', 'Thu, 01 Jan 1998 00:00:00 GMT']) {
      const stale = await get(url, { range: 'bytes=0-9', 'if-range': other });
      expect([stale.status, stale.headers['content-range']], other).toEqual([200, undefined]);
      expect(stale.body.equals(origin), other).toBe(true);
    }
  });

  it('records 499 CLIENT_CLOSED for a viewer gone before the answer, and CUT_OFF for one gone mid-body', async () => {
    const id = await uploadAsset(h, { 'hls/240p/0.m4s': 4 * 1024 * 1024, 'hls/240p/1.m4s': 20_000 });

    // Before the answer: the origin has not answered the fill yet when the viewer leaves.
    const stall = h.proxy.stall(`videos/${id}/`, 'hls/240p/1.m4s');
    const early = open(await h.url(id, 'hls/240p/1.m4s'));
    await expect.poll(() => stall.held, { timeout: 30_000, interval: 20 }).toBe(1);
    early.req.destroy();
    await expect(early.response).rejects.toThrow();

    // Mid-body: half the object has gone out, the rest is held at the origin.
    const gate = h.proxy.hold(`${id}/hls/240p/0.m4s`, 2 * 1024 * 1024);
    const late = open(await h.url(id, 'hls/240p/0.m4s'));
    const res = await late.response;
    expect(res.statusCode).toBe(200);
    await new Promise<void>((resolve) => res.once('data', () => resolve()));
    late.req.destroy();

    await expect.poll(async () => (await rowsFor(id)).length, { timeout: 30_000, interval: 50 }).toBe(2);
    const rows = await rowsFor(id);
    expect(rows.find((r) => r.artifact_path === 'hls/240p/1.m4s')).toMatchObject({
      status_code: 499,
      error_code: 'CLIENT_CLOSED',
      bytes_served: 0,
    });
    expect(rows.find((r) => r.artifact_path === 'hls/240p/0.m4s')).toMatchObject({
      status_code: 200,
      cache_status: 'MISS',
      error_code: 'CUT_OFF',
      bytes_served: 0,
    });

    // The fills themselves go on for the next viewer, who gets the whole object.
    stall.release();
    gate.release();
    await settled(h);
    const whole = await get(await h.url(id, 'hls/240p/0.m4s'));
    expect(whole.body.equals(await h.originBytes(id, 'hls/240p/0.m4s'))).toBe(true);
  });
});
