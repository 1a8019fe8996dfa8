import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

// The analytics routes without a ClickHouse: the rest of the api works, analytics say so.
describe('analytics while ClickHouse is away', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness({ CLICKHOUSE_URL: 'http://127.0.0.1:9' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 503 ANALYTICS_UNAVAILABLE, and the rest of the api as usual', async () => {
    const auth = { authorization: `Bearer ${h.keyA}` };
    const res = await fetch(`${h.api.url}/v1/analytics/playback`, { headers: auth });
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error).toMatchObject({ code: 'ANALYTICS_UNAVAILABLE', message: expect.any(String) });
    expect((await fetch(`${h.api.url}/v1/assets`, { headers: auth })).status).toBe(200);
  });
});

// The query parameters against a real (embedded) ClickHouse with nothing in it: windows and
// timestamps are what is checked here, the counting is the worker's end-to-end test.
describe('analytics query parameters', () => {
  const DAY = 86_400_000;
  let h: ApiHarness;
  const json = async (path: string) => {
    const res = await fetch(`${h.api.url}${path}`, { headers: { authorization: `Bearer ${h.keyA}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers interval=minute without a window: the whole minutes of the last day', async () => {
    const before = Date.now();
    const res = await json('/v1/analytics/playback?interval=minute');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const from = Date.parse(res.body.window.from);
    const to = Date.parse(res.body.window.to);
    expect(to - from).toBe(DAY);
    expect(to).toBeGreaterThanOrEqual(before);
    expect(res.body.series).toHaveLength(1440);
  });

  it('accepts an exact day off the minute with interval=minute, answered in whole minutes', async () => {
    const res = await json('/v1/analytics/playback?interval=minute&from=2026-01-01T00:00:30Z&to=2026-01-02T00:00:30Z');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.window).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:01:00.000Z' });
  });

  it('says how far over a refused window is, never a span that reads as the limit', async () => {
    const res = await json('/v1/analytics/playback?interval=minute&from=2026-01-01T00:00:00Z&to=2026-01-02T00:01:00Z');
    expect([res.status, res.body.error?.code]).toEqual([400, 'WINDOW_TOO_LARGE']);
    expect(res.body.error.message).toBe('The window may span at most 1 day; this one spans 1 day 1 minute.');
  });

  it("hints at a '+' sent unescaped, read as a space", async () => {
    const hint = "a '+' in a URL query string is read as a space: write %2B, or use Z (UTC)";
    // Raw '+': the URL keeps it, the query string parser makes it a space.
    const plus = await json('/v1/analytics/playback?from=2026-11-20T00:00:00+01:00&to=2026-11-20T12:00:00Z');
    expect([plus.status, plus.body.error?.code]).toEqual([400, 'INVALID_TIMESTAMP']);
    expect(plus.body.error.message).toContain(hint);
    expect(plus.body.error.message).toContain('"2026-11-20T00:00:00 01:00"');
    const other = await json('/v1/analytics/playback?from=yesterday');
    expect([other.status, other.body.error?.code]).toEqual([400, 'INVALID_TIMESTAMP']);
    expect(other.body.error.message).not.toContain('%2B');
    const escaped = await json('/v1/analytics/playback?from=2026-11-20T00:00:00%2B01:00&to=2026-11-20T12:00:00Z');
    expect(escaped.status, JSON.stringify(escaped.body)).toBe(200);
    expect(escaped.body.window.from).toBe('2026-11-19T23:00:00.000Z');
  });
});
