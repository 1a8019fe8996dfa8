import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

// <kino-player> is embedded on other sites and asks these routes from there: a browser shows
// it an answer only when the answer carries CORS headers. Every answer then, refusals
// included, or an unknown asset or a rate limit reaches the player as a network failure.

const LIMIT = 6;
const FROM_ELSEWHERE = { origin: 'http://somewhere-else.test' };
let h: ApiHarness;
let publicId: string;
let deletedId: string;

/** A real upload through POST /v1/videos. */
async function upload(query: string): Promise<string> {
  const clip = await readFile(await makeFixture('standard', join(await scratchDir('kino-api-player-cors-'), 'clip.mp4'), { seconds: 1 }));
  const res = await fetch(`${h.api.url}/v1/videos${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.keyA}`, 'content-type': 'video/mp4' },
    body: clip,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  h = await startApiHarness({ PLAYER_RATE_PER_MINUTE: String(LIMIT) });
  [publicId, deletedId] = await Promise.all([upload('?playback_policy=public'), upload('?playback_policy=public')]);
  const gone = await fetch(`${h.api.url}/v1/assets/${deletedId}`, { method: 'DELETE', headers: { authorization: `Bearer ${h.keyA}` } });
  expect(gone.status).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

/** GET `path` as a page on another origin would, and what a browser needs to let it read the answer. */
async function get(path: string): Promise<{ status: number; code: string | undefined; cors: string | null; exposed: string | null }> {
  const res = await fetch(`${h.api.url}${path}`, { headers: FROM_ELSEWHERE });
  const text = await res.text();
  const body = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : undefined;
  return {
    status: res.status,
    code: body?.error?.code,
    cors: res.headers.get('access-control-allow-origin'),
    exposed: res.headers.get('access-control-expose-headers'),
  };
}

describe('the public player routes answer every origin', () => {
  it('with their errors too: a non-uuid id, an unknown or deleted asset, a rate limit; and the module, page and keys', async () => {
    const cors = { cors: '*', exposed: 'retry-after, x-request-id' };
    // Validation refusals come before any handler runs (and spend no rate).
    for (const path of ['/player/not-a-uuid/playback', '/player/not-a-uuid']) {
      expect(await get(path), path).toEqual({ status: 400, code: 'VALIDATION_ERROR', ...cors });
    }
    for (const path of ['/player/kino-player.js', '/.well-known/jwks.json']) {
      expect(await get(path), path).toEqual({ status: 200, code: undefined, ...cors });
    }
    const answers = [
      [`/player/${randomUUID()}/playback`, 404, 'NOT_FOUND'],
      [`/player/${deletedId}/playback`, 404, 'NOT_FOUND'],
      [`/player/${deletedId}`, 404, 'NOT_FOUND'],
      [`/player/${publicId}`, 200, undefined],
      [`/player/${publicId}/playback`, 404, 'ASSET_NOT_PLAYABLE'],
    ] as const;
    for (const [path, status, code] of answers) expect(await get(path), path).toEqual({ status, code, ...cors });

    // The address has spent most of its rate on the above; the rest goes here, then 429.
    let limited: Awaited<ReturnType<typeof get>> | undefined;
    for (let i = 0; i < LIMIT * 3 && !limited; i++) {
      const a = await get(`/player/${randomUUID()}/playback`);
      if (a.status === 429) limited = a;
      else expect(a).toEqual({ status: 404, code: 'NOT_FOUND', ...cors });
    }
    expect(limited).toEqual({ status: 429, code: 'RATE_LIMITED', ...cors });
    expect(await get(`/player/${publicId}`)).toEqual({ status: 429, code: 'RATE_LIMITED', ...cors });
    // The module is not rate-limited, and still open.
    expect(await get('/player/kino-player.js')).toEqual({ status: 200, code: undefined, ...cors });
  });

  it('while the API-key routes stay closed to other origins', async () => {
    const res = await fetch(`${h.api.url}/v1/assets/${publicId}`, { headers: { ...FROM_ELSEWHERE, authorization: `Bearer ${h.keyA}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
