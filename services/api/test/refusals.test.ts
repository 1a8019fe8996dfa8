import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startApiHarness, storedState, type ApiHarness } from '@kino/testkit-stack';

// What a newcomer gets wrong on the first day, each answered with what is wrong and how to
// fix it instead of silence or a vague refusal.

let h: ApiHarness;
let clip: Buffer;
let assetId: string;

beforeAll(async () => {
  h = await startApiHarness();
  clip = await readFile(await makeFixture('standard', join(await scratchDir('kino-refusals-'), 'clip.mp4')));
  assetId = ((await (await upload(clip)).json()) as { id: string }).id;
});
afterAll(() => h?.close());

const auth = (key = h.keyA) => ({ authorization: `Bearer ${key}` });
const upload = (body: Buffer | string, query = '', headers: Record<string, string> = {}) =>
  fetch(`${h.api.url}/v1/videos${query}`, { method: 'POST', headers: { ...auth(), 'content-type': 'video/mp4', ...headers }, body });
const get = (path: string, headers: Record<string, string> = auth()) => fetch(`${h.api.url}${path}`, { headers });

async function refusal(res: Response, status: number, code: string): Promise<{ message: string; details?: any }> {
  const body = (await res.json()) as any;
  expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
  expect(body.error.request_id).toBe(res.headers.get('x-request-id'));
  return body.error;
}

/** What a refused upload must not leave: rows, objects or multipart parts beyond those before it. */
const leftovers = () => storedState(h);

describe('unknown parameters are refused by name', () => {
  it('refuses a misspelt query parameter on every kind of route, saying what the route takes', async () => {
    const asset = await refusal(await get('/v1/assets?tittle=hello'), 400, 'VALIDATION_ERROR');
    expect(asset.message).toBe(
      'Unknown query parameter `tittle`: this route takes `limit`, `cursor`, `source_state`, `playable_state`, `include_deleted`.',
    );
    expect(asset.details).toEqual([{ path: 'tittle', message: asset.message }]);
    for (const path of [
      `/v1/assets/${assetId}?expand=all`,
      `/v1/assets/${assetId}/events?status=done`,
      `/v1/assets/${assetId}/playback?ttl=60`,
      `/v1/assets/${assetId}/analytics/playback?form=2026-01-01T00:00:00Z`,
      '/v1/analytics/playback?group=asset',
      '/v1/events?asset=x',
      '/v1/webhooks?limit=1',
      `/player/${assetId}/playback?autoplay=true`,
    ]) {
      const name = new URL(path, h.api.url).searchParams.keys().next().value!;
      const e = await refusal(await get(path), 400, 'VALIDATION_ERROR');
      expect(e.message, path).toContain(`Unknown query parameter \`${name}\``);
    }
    // Except on public URLs others decorate: share trackers, a CMS's cache-busters.
    expect((await get('/.well-known/jwks.json?v=1', {})).status).toBe(200);
    expect((await get('/player/kino-player.js?ver=6.4', {})).status).toBe(200);
    await refusal(await get(`/player/${assetId}?fbclid=abc`, {}), 404, 'NOT_FOUND');
  });

  it('refuses an unknown upload parameter before reading the file, and leaves nothing behind', async () => {
    const before = await leftovers();
    const e = await refusal(await upload(clip, '?tittle=hello'), 400, 'VALIDATION_ERROR');
    expect(e.message).toContain('Unknown query parameter `tittle`');
    expect(e.message).toContain('`title`');
    expect(await leftovers()).toEqual(before);
  });

  it('refuses unknown JSON body fields', async () => {
    const patch = await fetch(`${h.api.url}/v1/assets/${assetId}`, {
      method: 'PATCH',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ titel: 'x' }),
    });
    expect((await refusal(patch, 400, 'VALIDATION_ERROR')).message).toBe(
      'Unknown body field `titel`: this route takes `playback_policy`, `title`, `passthrough`.',
    );
    const hook = await fetch(`${h.api.url}/v1/webhooks`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/hook', evnt_types: ['asset.hls_ready'] }),
    });
    expect((await refusal(hook, 400, 'VALIDATION_ERROR')).message).toContain('Unknown body field `evnt_types`');
    // An enum inside an array names the element and shows that value, not the whole array.
    const type = await fetch(`${h.api.url}/v1/webhooks`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/hook', event_types: ['asset.hls_ready', 'asset.ready'] }),
    });
    const e = await refusal(type, 400, 'VALIDATION_ERROR');
    expect(e.message).toMatch(/^`event_types\.1` must be one of: asset\.created, .* \(got "asset\.ready"\)\.$/);
    expect(((await (await get('/v1/webhooks')).json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('refuses a form field it does not know, and one sent after the file, leaving nothing behind', async () => {
    const before = await leftovers();
    const form = (fields: [string, string | Blob][]) => {
      const f = new FormData();
      for (const [name, value] of fields) f.append(name, value, ...(value instanceof Blob ? ['clip.mp4'] : []));
      return fetch(`${h.api.url}/v1/videos`, { method: 'POST', headers: auth(), body: f });
    };
    const file = new Blob([clip], { type: 'video/mp4' });
    const late = await refusal(
      await form([
        ['file', file],
        ['title', 'Too late'],
      ]),
      400,
      'VALIDATION_ERROR',
    );
    expect(late.message).toBe(
      'Form fields must come before the file: `title` came after it (with curl, put -F title=… before -F file=@…).',
    );
    const unknown = await refusal(
      await form([
        ['tittle', 'x'],
        ['file', file],
      ]),
      400,
      'VALIDATION_ERROR',
    );
    expect(unknown.message).toContain('Unknown form field `tittle`');
    const two = await refusal(
      await form([
        ['file', file],
        ['file2', file],
      ]),
      400,
      'VALIDATION_ERROR',
    );
    expect(two.message).toBe('A form takes one file; this one has more.');
    const policy = await refusal(
      await form([
        ['playback_policy', 'open'],
        ['file', file],
      ]),
      400,
      'VALIDATION_ERROR',
    );
    expect(policy).toMatchObject({
      message: '`playback_policy` must be one of: signed, public (got "open").',
      details: [{ path: 'playback_policy', message: expect.any(String) }],
    });
    expect(await leftovers()).toEqual(before);
    // In order, the same form is taken.
    const ok = await form([
      ['title', 'In time'],
      ['file', file],
    ]);
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as any).title).toBe('In time');
  });

  it('refuses meaningless combinations: timeout_seconds without wait', async () => {
    const before = await leftovers();
    const e = await refusal(await upload(clip, '?timeout_seconds=5'), 400, 'VALIDATION_ERROR');
    expect(e.message).toContain('`timeout_seconds` only means something with `wait=playable`');
    expect(await leftovers()).toEqual(before);
  });
});

describe('errors say how to fix the request', () => {
  it('lists the values of every enum parameter it refuses', async () => {
    const state = await refusal(await get('/v1/assets?playable_state=ready'), 400, 'VALIDATION_ERROR');
    expect(state.message).toBe('`playable_state` must be one of: not_playable, opener_ready, hls_ready, deleted (got "ready").');
    const wait = await refusal(await upload(clip, '?wait=opener'), 400, 'VALIDATION_ERROR');
    expect(wait.message).toBe('`wait` must be one of: playable (got "opener").');
    const player = await refusal(await get(`/player/${assetId}/playback?wait=yes`), 400, 'VALIDATION_ERROR');
    expect(player.message).toBe('`wait` must be "playable" (got "yes").');
    const group = await refusal(await get('/v1/analytics/playback?group_by=assets'), 400, 'VALIDATION_ERROR');
    expect(group.message).toMatch(/^`group_by` must be one of: asset, /);
  });

  it('names the content type it refused and the ones it takes, with a hint for curl -d', async () => {
    const form = await refusal(
      await upload('title=hello', '', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'UNSUPPORTED_CONTENT_TYPE',
    );
    expect(form.message).toContain('The content type application/x-www-form-urlencoded is not accepted here');
    expect(form.message).toContain('video/*, audio/*, application/octet-stream, multipart/form-data, application/json');
    expect(form.message).toContain('--data-binary');
    expect(form.message).toContain("For a JSON body, add -H 'content-type: application/json'.");
    expect(form.details).toEqual({
      received: 'application/x-www-form-urlencoded',
      accepted: ['video/*', 'audio/*', 'application/octet-stream', 'multipart/form-data', 'application/json'],
    });
    // JSON is taken here, as a URL import, and says what it lacks.
    const json = await refusal(await upload('{}', '', { 'content-type': 'application/json' }), 400, 'VALIDATION_ERROR');
    expect(json.message).toBe('The body field `url` is required.');
    const patch = await fetch(`${h.api.url}/v1/assets/${assetId}`, {
      method: 'PATCH',
      headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'title=x',
    });
    expect((await refusal(patch, 415, 'UNSUPPORTED_CONTENT_TYPE')).message).toBe(
      'The content type application/x-www-form-urlencoded is not accepted here; send application/json. ' +
        "curl -d sends a form (application/x-www-form-urlencoded): add -H 'content-type: application/json'.",
    );
    const text = await fetch(`${h.api.url}/v1/webhooks`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'text/plain' },
      body: '{}',
    });
    expect((await refusal(text, 415, 'UNSUPPORTED_CONTENT_TYPE')).message).toBe(
      'The content type text/plain is not accepted here; send application/json.',
    );
    // A media content type over form-encoded text (curl -d with -H content-type) is NOT_MEDIA, with the same hint.
    const formText = await refusal(await upload('title=hello&passthrough=1'), 415, 'NOT_MEDIA');
    expect(formText.message).toContain('It looks like a form.');
    expect(formText.message).toContain('--data-binary');
    const binary = await refusal(await upload(Buffer.alloc(4096, 7)), 415, 'NOT_MEDIA');
    expect(binary.message).toBe(
      'The body does not look like a video or audio file. With curl, send a file with --data-binary @file (-d and --data change its bytes).',
    );
  });

  it('says how to send the key when the Authorization header is not a bearer key', async () => {
    const bare = await refusal(await get('/v1/assets', { authorization: h.keyA }), 401, 'INVALID_API_KEY');
    expect(bare.message).toBe(
      'The Authorization header has the key without "Bearer ": send "Authorization: Bearer <key>" (the word Bearer, a space, then the key).',
    );
    const basic = await refusal(
      await get('/v1/assets', { authorization: `Basic ${Buffer.from(`${h.keyA}:`).toString('base64')}` }),
      401,
      'INVALID_API_KEY',
    );
    expect(basic.message).toMatch(/^Basic authentication is not used here: send "Authorization: Bearer <key>"/);
    expect((await refusal(await get('/v1/assets', { authorization: 'Bearer' }), 401, 'INVALID_API_KEY')).message).toMatch(
      /^The Authorization header names no key/,
    );
    expect((await refusal(await get('/v1/assets', { authorization: 'Token abc' }), 401, 'INVALID_API_KEY')).message).toMatch(
      /^The "Token" scheme is not used here/,
    );
    expect((await refusal(await get('/v1/assets', { authorization: 'Bearer kino_nope' }), 401, 'INVALID_API_KEY')).message).toMatch(
      /^The API key is not valid/,
    );
    expect((await refusal(await get('/v1/assets', {}), 401, 'UNAUTHORIZED')).message).toContain('Authorization: Bearer <key>');
    expect((await get('/v1/assets', { authorization: `bearer  ${h.keyA}` })).status).toBe(200);
  });

  it("answers 404 for the event stream of an asset that is not the account's", async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    await refusal(await get(`/v1/events?asset_id=${unknown}`), 404, 'NOT_FOUND');
    await refusal(await get(`/v1/events?asset_id=${assetId}`, auth(h.keyB)), 404, 'NOT_FOUND');
    await refusal(await get('/v1/events?asset_id=nope'), 400, 'VALIDATION_ERROR');
    // Its own asset streams (the stream stays open: read the first bytes and let go).
    const ac = new AbortController();
    const res = await fetch(`${h.api.url}/v1/events?asset_id=${assetId}&after_sequence=0`, { headers: auth(), signal: ac.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain(': connected');
    ac.abort();
  });
});
