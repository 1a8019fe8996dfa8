import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './harness.ts';

describe('player pages turned off', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness({ PLAYER_PAGES: 'false' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serves the player module but no page or bootstrap by asset id', async () => {
    const id = crypto.randomUUID();
    for (const path of [`/player/${id}`, `/player/${id}/playback`]) {
      const res = await fetch(`${h.api.url}${path}`);
      expect([res.status, ((await res.json()) as any).error.code]).toEqual([404, 'NOT_FOUND']);
    }
    expect((await fetch(`${h.api.url}/player/kino-player.js`)).status).toBe(200);
  });
});
