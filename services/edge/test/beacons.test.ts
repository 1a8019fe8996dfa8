import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internal, startEdgeHarness, type EdgeHarness } from '@kino/testkit-stack';

// POST /beacon on a real edge is no free data pump: deleted assets are refused, and each
// token and each view has its own budget, answered with 429 + Retry-After beyond it.

const PER_TOKEN = 6;
const PER_VIEW = 3;

let h: EdgeHarness;
beforeAll(async () => {
  h = await startEdgeHarness({
    BEACON_RATE_PER_TOKEN: String(PER_TOKEN),
    BEACON_RATE_PER_VIEW: String(PER_VIEW),
    TELEMETRY_ENABLED: 'false',
  });
});
afterAll(async () => {
  await h?.close();
});

const token = async (assetId = randomUUID(), o: { ttlSeconds?: number; now?: number } = {}) =>
  (await h.signer.sign({ assetId, ...o })).token;

async function beacon(t: string, viewId: string = randomUUID()): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${h.edge.url}/beacon`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({ token: t, view_id: viewId, events: [{ type: 'view_start', at: Date.now(), position: 0 }] }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe('POST /beacon', () => {
  it('limits each view id, in the one error shape with Retry-After', async () => {
    const t = await token();
    const view = randomUUID();
    for (let i = 0; i < PER_VIEW; i++) expect((await beacon(t, view)).status).toBe(204);
    const refused = await beacon(t, view);
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(wait) && wait >= 1).toBe(true);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(refused.body).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: expect.any(String),
        details: { retry_after_seconds: wait },
        request_id: expect.stringMatching(/^req_/),
      },
    });
    // Another view of the same token has its own budget.
    expect((await beacon(t)).status).toBe(204);
  });

  it('says what a view id must be rather than quoting its pattern', async () => {
    const refused = await beacon(await token(), 'view-1');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: '`view_id` is not in the expected form: A lowercase UUID, new for each view (got "view-1").',
    });
  });

  it('limits each token across all its views', async () => {
    const t = await token();
    for (let i = 0; i < PER_TOKEN; i++) expect((await beacon(t)).status).toBe(204);
    const refused = await beacon(t);
    expect([refused.status, refused.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Other tokens are not held back by it.
    expect((await beacon(await token())).status).toBe(204);
  });

  it("refuses a deleted asset's tokens once the edge knows of the deletion", async () => {
    const assetId = randomUUID();
    const valid = await token(assetId);
    const expired = await token(assetId, { ttlSeconds: 60, now: Date.now() - 3600_000 });
    expect((await beacon(valid)).status).toBe(204);
    expect((await beacon(expired)).status).toBe(204);
    expect((await internal(h, '/internal/purge', { asset_id: assetId, revoke: true })).status).toBe(200);
    for (const t of [valid, expired]) {
      const res = await beacon(t);
      expect([res.status, res.body.error.code]).toEqual([410, 'ASSET_DELETED']);
    }
    expect((await beacon(await token())).status).toBe(204);
  });

  it('takes a token that expired within the day, not one older', async () => {
    expect((await beacon(await token(undefined, { ttlSeconds: 60, now: Date.now() - 23 * 3600_000 }))).status).toBe(204);
    const old = await beacon(await token(undefined, { ttlSeconds: 60, now: Date.now() - 25 * 3600_000 }));
    expect([old.status, old.body.error.code]).toEqual([401, 'TOKEN_EXPIRED']);
  });
});
