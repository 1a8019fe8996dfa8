import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordArtifacts, type NewArtifact } from '@kino/db';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

// The public player routes answer only for assets whose playback_policy is public; every
// other id gets one and the same 404. Their tokens are short-lived and each client
// address has a rate.

const json = (res: Response): Promise<any> => res.json();
let clip: Buffer;
beforeAll(async () => {
  clip = await readFile(await makeFixture('standard', join(await scratchDir('kino-api-player-'), 'clip.mp4'), { seconds: 1 }));
});

/** A real upload through POST /v1/videos. */
async function upload(h: ApiHarness, query = '', key = h.keyA): Promise<any> {
  const res = await fetch(`${h.api.url}/v1/videos${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'video/mp4' },
    body: clip,
  });
  expect(res.status).toBe(201);
  return json(res);
}

/** An asset whose opener is ready, as the worker would have left it (no worker runs here). */
async function openerReady(h: ApiHarness, policy: 'signed' | 'public'): Promise<string> {
  const accountId = (await h.db.sql`select account_id from api_keys where prefix = ${h.keyA.slice(0, 13)}`)[0]!.account_id as string;
  const id = randomUUID();
  await h.db.sql`
    insert into assets (id, account_id, source_state, playable_state, source_key, playback_policy)
    values (${id}, ${accountId}, 'uploaded', 'not_playable', ${`sources/${id}/original`}, ${policy})`;
  await makeOpenerReady(h, id);
  return id;
}

/** What the worker does when the opener is out. */
async function makeOpenerReady(h: ApiHarness, id: string): Promise<void> {
  const row = (path: string, kind: NewArtifact['kind']): NewArtifact => ({
    path,
    kind,
    key: `videos/${id}/${path}`,
    content_type: 'x',
    bytes: 1,
    rendition: null,
    width: null,
    height: null,
    bitrate: null,
  });
  await recordArtifacts(h.db.sql, id, [row('opener.mp4', 'opener'), row('thumbnail.jpg', 'thumbnail')]);
  await h.db.sql`update assets set playable_state = 'opener_ready' where id = ${id}`;
}

const patch = (h: ApiHarness, id: string, body: unknown) =>
  fetch(`${h.api.url}/v1/assets/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${h.keyA}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Everything a client can observe of an answer, but for the parts that differ per request. */
async function observable(res: Response): Promise<unknown> {
  const headers = Object.fromEntries([...res.headers].filter(([k]) => k !== 'date' && k !== 'x-request-id'));
  const requestId = res.headers.get('x-request-id')!;
  const body = (await res.text()).replaceAll(requestId, '<request id>');
  return { status: res.status, headers, body };
}

describe('player pages', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    // A short PLAYBACK_WAIT_MAX_SECONDS: a held bootstrap request gives up within the test.
    h = await startApiHarness({ EDGE_FALLBACK_URL: 'http://edge.test', PLAYER_TOKEN_TTL_SECONDS: '120', PLAYBACK_WAIT_MAX_SECONDS: '2' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serve a public asset, and answer anything else exactly as an unknown id', async () => {
    const open = await upload(h, '?playback_policy=public');
    expect(open.playback_policy).toBe('public');
    const signed = await upload(h);
    expect(signed.playback_policy).toBe('signed');
    const deletedPublic = await upload(h, '?playback_policy=public');
    expect(
      (await fetch(`${h.api.url}/v1/assets/${deletedPublic.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${h.keyA}` } }))
        .status,
    ).toBe(200);

    const page = await fetch(`${h.api.url}/player/${open.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain(`/player/${open.id}/playback`);

    for (const suffix of ['', '/playback']) {
      const unknown = await observable(await fetch(`${h.api.url}/player/${randomUUID()}${suffix}`));
      expect(unknown).toMatchObject({ status: 404 });
      expect(JSON.parse((unknown as { body: string }).body)).toEqual({
        error: { code: 'NOT_FOUND', message: 'Asset not found.', request_id: '<request id>' },
      });
      // The unknown id is in no answer, so the answers for other ids can be compared whole.
      for (const id of [signed.id, deletedPublic.id]) {
        expect(await observable(await fetch(`${h.api.url}/player/${id}${suffix}`)), `${id}${suffix}`).toEqual(unknown);
      }
    }
  });

  it('mint tokens that live PLAYER_TOKEN_TTL_SECONDS, for public assets only', async () => {
    const id = await openerReady(h, 'public');
    const res = await fetch(`${h.api.url}/player/${id}/playback`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const block = await json(res);
    expect(block).toMatchObject({
      asset_id: id,
      playable_state: 'opener_ready',
      urls: { opener: expect.stringContaining('http://edge.test/p/') },
    });
    const lifetime = Date.parse(block.expires_at) - Date.now();
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(120_000);
    const page = await (await fetch(`${h.api.url}/player/${id}`)).text();
    expect(page).toContain(block.urls.opener.split('/p/')[0]);

    // Made signed, it is gone from the public routes at once (tokens already minted run out
    // within the TTL); public again, it is back.
    expect((await json(await patch(h, id, { playback_policy: 'signed' }))).playback_policy).toBe('signed');
    expect((await fetch(`${h.api.url}/player/${id}/playback`)).status).toBe(404);
    expect((await fetch(`${h.api.url}/player/${id}`)).status).toBe(404);
    // The owner's own bootstrap is unaffected by the policy.
    const owner = await fetch(`${h.api.url}/v1/assets/${id}/playback`, { headers: { authorization: `Bearer ${h.keyA}` } });
    expect(owner.status).toBe(200);
    expect((await patch(h, id, { playback_policy: 'public' })).status).toBe(200);
    expect((await fetch(`${h.api.url}/player/${id}/playback`)).status).toBe(200);
  });

  it('gets its bootstrap the moment the opener is out, from one held request', async () => {
    const { id } = await upload(h, '?playback_policy=public');
    let answered = false;
    const held = fetch(`${h.api.url}/player/${id}/playback?wait=playable`).then((res) => {
      answered = true;
      return res;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false);
    await makeOpenerReady(h, id);
    const res = await held;
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ asset_id: id, playable_state: 'opener_ready', urls: { opener: expect.any(String) } });
  });

  it('answers ASSET_NOT_PLAYABLE once its bound is over, and at once without wait', async () => {
    const { id } = await upload(h, '?playback_policy=public');
    for (const query of ['?wait=playable', '']) {
      const res = await fetch(`${h.api.url}/player/${id}/playback${query}`);
      expect(res.status, query).toBe(404);
      expect((await json(res)).error.code).toBe('ASSET_NOT_PLAYABLE');
    }
  });
});

describe('player pages turned off', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness({ PLAYER_PAGES: 'false' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serves the player module but no page or bootstrap, even for a public asset', async () => {
    const { id } = await upload(h, '?playback_policy=public');
    for (const path of [`/player/${id}`, `/player/${id}/playback`]) {
      const res = await fetch(`${h.api.url}${path}`);
      expect([res.status, ((await res.json()) as any).error.code]).toEqual([404, 'NOT_FOUND']);
    }
    expect((await fetch(`${h.api.url}/player/kino-player.js`)).status).toBe(200);
  });
});

describe('player pages rate limit', () => {
  const LIMIT = 4;
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness({ PLAYER_RATE_PER_MINUTE: String(LIMIT) });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('counts pages and bootstraps per client address, known ids or not, and answers 429 with Retry-After', async () => {
    const { id } = await upload(h, '?playback_policy=public');
    expect((await fetch(`${h.api.url}/player/${id}`)).status).toBe(200);
    expect((await fetch(`${h.api.url}/player/${randomUUID()}`)).status).toBe(404);
    expect((await fetch(`${h.api.url}/player/${id}/playback`)).status).toBe(404); // not playable yet
    expect((await fetch(`${h.api.url}/player/${randomUUID()}/playback`)).status).toBe(404);

    for (const path of [`/player/${id}`, `/player/${id}/playback`, `/player/${randomUUID()}`]) {
      const res = await fetch(`${h.api.url}${path}`);
      expect(res.status, path).toBe(429);
      const wait = Number(res.headers.get('retry-after'));
      expect(Number.isInteger(wait) && wait >= 1).toBe(true);
      expect(await json(res)).toEqual({
        error: {
          code: 'RATE_LIMITED',
          message: expect.any(String),
          details: { retry_after_seconds: wait },
          request_id: res.headers.get('x-request-id'),
        },
      });
    }
    // The bootstrap's refusal is readable by a player on another origin.
    expect((await fetch(`${h.api.url}/player/${id}/playback`)).headers.get('access-control-allow-origin')).toBe('*');
    // The module is not a per-asset route and is not limited.
    expect((await fetch(`${h.api.url}/player/kino-player.js`)).status).toBe(200);
  });
});
