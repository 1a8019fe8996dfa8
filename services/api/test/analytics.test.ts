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
