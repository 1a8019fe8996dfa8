import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  get,
  INTERNAL_TOKEN,
  internal,
  sample,
  startEdgeHarness,
  startSegmentApi,
  type EdgeHarness,
  type SegmentApi,
} from '@kino/testkit-stack';

// An edge whose origin lacks planned segments, in front of a stand-in for the api's
// `POST /internal/segments` that records what the edge sends and answers as each test says.

const codeOf = (body: Buffer) => (JSON.parse(body.toString()) as { error: { code: string } }).error.code;
const apiError = (code: string) => ({ error: { code, message: 'From the stand-in api.', request_id: 'req_test' } });

describe('edge just-in-time segments', () => {
  let h: EdgeHarness;
  let api: SegmentApi;
  const logs: string[] = [];
  const asksFor = (assetId: string) => api.asked.filter((a) => a.body.asset_id === assetId);

  beforeAll(async () => {
    api = await startSegmentApi();
    h = await startEdgeHarness({ KINO_API_URL: api.url, LOG_LEVEL: 'debug' }, { logStream: { write: (line) => logs.push(line) } });
  });
  afterAll(async () => {
    await h?.close();
    await api?.close();
  });

  it('serves a segment the api made on request: one ask with the internal token, then a fill from the origin', async () => {
    const id = randomUUID();
    const path = 'hls/720p/12.m4s';
    const body = randomBytes(200_000);
    api.answer = async (ask) => {
      await h.put(ask.body.asset_id, ask.body.path, body);
      return { status: 200, body: { status: 'ready' } };
    };
    const res = await get(await h.url(id, path));
    expect(res.status).toBe(200);
    expect(res.headers['x-kino-cache']).toBe('MISS');
    expect(res.body.equals(body)).toBe(true);
    expect(asksFor(id)).toEqual([
      { authorization: `Bearer ${INTERNAL_TOKEN}`, contentType: 'application/json', body: { asset_id: id, path } },
    ]);
    // One GET that found nothing, one once the api had made it.
    expect(h.originGets.filter((k) => k === `videos/${id}/${path}`)).toHaveLength(2);
  });

  it('answers 404 ARTIFACT_NOT_FOUND for a segment the api refuses, and remembers it', async () => {
    const id = randomUUID();
    api.answer = async () => ({ status: 404, body: apiError('NOT_FOUND') });
    const url = await h.url(id, 'hls/720p/init.mp4');
    for (let i = 0; i < 2; i++) {
      const res = await get(url);
      expect(res.status).toBe(404);
      expect(codeOf(res.body)).toBe('ARTIFACT_NOT_FOUND');
    }
    expect(asksFor(id)).toHaveLength(1);
  });

  it("answers 503 SEGMENT_NOT_READY with the api's Retry-After while the api is busy, and asks again next time", async () => {
    const id = randomUUID();
    api.answer = async () => ({ status: 503, body: apiError('OVERLOADED'), headers: { 'retry-after': '7' } });
    const url = await h.url(id, 'hls/360p/4.m4s');
    for (let i = 1; i <= 2; i++) {
      const res = await get(url);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(codeOf(res.body)).toBe('SEGMENT_NOT_READY');
      expect(asksFor(id)).toHaveLength(i);
    }
  });

  it('answers 502 ORIGIN_UNAVAILABLE when the api gives no usable answer', async () => {
    const id = randomUUID();
    for (const reply of [
      { status: 500, body: apiError('INTERNAL_ERROR') },
      // Busy without saying for how long is no answer the edge can pass on.
      { status: 503, body: apiError('OVERLOADED') },
    ]) {
      api.answer = async () => reply;
      const res = await get(await h.url(id, 'hls/360p/9.m4s'));
      expect(res.status).toBe(502);
      expect(codeOf(res.body)).toBe('ORIGIN_UNAVAILABLE');
    }
    expect(asksFor(id)).toHaveLength(2);
  });

  // Over the asks of the tests above.
  it('counts the asks by answer, and logs neither the internal token nor a playback token nor a presigned URL', async () => {
    const { text } = await internal(h, '/metrics');
    expect(sample(text, 'kino_edge_segment_asks_total{outcome="ready"}')).toBe(1);
    expect(sample(text, 'kino_edge_segment_asks_total{outcome="refused"}')).toBe(1);
    expect(sample(text, 'kino_edge_segment_asks_total{outcome="busy"}')).toBe(2);
    expect(sample(text, 'kino_edge_segment_asks_total{outcome="failed"}')).toBe(2);
    const logged = logs.join('');
    // The failed ask was logged: the logs are really being read.
    expect(logged).toContain('asking the api for a segment failed');
    expect(logged).not.toContain(INTERNAL_TOKEN);
    // A JWT (the playback tokens of the requests above), or a signed S3 URL.
    expect(logged).not.toMatch(/eyJ[\w-]+\.eyJ|X-Amz-/);
  });

  // Whether another viewer still waiting keeps the ask is packages/edge-cache's test.
  it('hangs up on the api when the viewer leaves before the segment is made', async () => {
    const id = randomUUID();
    api.answer = () => new Promise(() => {});
    const viewer = new AbortController();
    const gone = fetch(await h.url(id, 'hls/720p/31.m4s'), { signal: viewer.signal }).catch((err: Error) => err.name);
    await expect.poll(() => asksFor(id).length, { timeout: 10_000 }).toBe(1);
    expect(api.left).toEqual([]);
    viewer.abort();
    expect(await gone).toBe('AbortError');
    await expect.poll(() => api.left.map((a) => a.body.path), { timeout: 10_000 }).toEqual(['hls/720p/31.m4s']);
  });
});
