import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

// playback_policy at upload and by PATCH, and a deleted asset that reads as deleted in the
// asset view and in list filters.

let h: ApiHarness;
let clip: Buffer;
beforeAll(async () => {
  h = await startApiHarness();
  clip = await readFile(await makeFixture('standard', join(await scratchDir('kino-api-policy-'), 'clip.mp4'), { seconds: 1 }));
});
afterAll(() => h?.close());

const json = (res: Response): Promise<any> => res.json();
const auth = (key = h.keyA) => ({ authorization: `Bearer ${key}` });
const get = (path: string, key = h.keyA) => fetch(`${h.api.url}${path}`, { headers: auth(key) });
const patch = (id: string, body: unknown, key = h.keyA) =>
  fetch(`${h.api.url}/v1/assets/${id}`, {
    method: 'PATCH',
    headers: { ...auth(key), 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const del = (id: string, key = h.keyA) => fetch(`${h.api.url}/v1/assets/${id}`, { method: 'DELETE', headers: auth(key) });
const assetCount = async () => (await h.db.sql`select count(*)::int as n from assets`)[0]!.n as number;

async function upload(query = '', key = h.keyA): Promise<any> {
  const res = await fetch(`${h.api.url}/v1/videos${query}`, {
    method: 'POST',
    headers: { ...auth(key), 'content-type': 'video/mp4' },
    body: clip,
  });
  expect(res.status).toBe(201);
  return json(res);
}

async function expectError(res: Response, status: number, code: string) {
  const body = await json(res);
  expect([res.status, body.error?.code]).toEqual([status, code]);
  expect(body.error).toMatchObject({ message: expect.any(String), request_id: res.headers.get('x-request-id') });
}

describe('playback_policy', () => {
  it('is signed by default and public when the upload asks, as a query parameter or a form field', async () => {
    expect((await upload()).playback_policy).toBe('signed');
    const open = await upload('?playback_policy=public');
    expect(open.playback_policy).toBe('public');
    expect((await json(await get(`/v1/assets/${open.id}`))).playback_policy).toBe('public');

    const form = new FormData();
    form.append('playback_policy', 'public');
    form.append('file', new Blob([clip], { type: 'video/mp4' }), 'clip.mp4');
    const res = await fetch(`${h.api.url}/v1/videos`, { method: 'POST', headers: auth(), body: form });
    expect(res.status).toBe(201);
    expect((await json(res)).playback_policy).toBe('public');
  });

  it('refuses an unknown policy at upload, leaving nothing behind', async () => {
    const before = await assetCount();
    const res = await fetch(`${h.api.url}/v1/videos?playback_policy=open`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'video/mp4' },
      body: clip,
    });
    await expectError(res, 400, 'VALIDATION_ERROR');
    const form = new FormData();
    form.append('playback_policy', 'open');
    form.append('file', new Blob([clip], { type: 'video/mp4' }), 'clip.mp4');
    await expectError(await fetch(`${h.api.url}/v1/videos`, { method: 'POST', headers: auth(), body: form }), 400, 'VALIDATION_ERROR');
    expect(await assetCount()).toBe(before);
  });

  it('changes by PATCH, alone or with title and passthrough', async () => {
    const a = await upload('?title=first&passthrough=p1');
    const made = await patch(a.id, { playback_policy: 'public' });
    expect(made.status).toBe(200);
    expect(await json(made)).toMatchObject({
      id: a.id,
      playback_policy: 'public',
      title: 'first',
      passthrough: 'p1',
      artifacts: expect.any(Array),
    });
    expect(await json(await patch(a.id, { title: 'second', passthrough: null }))).toMatchObject({
      playback_policy: 'public',
      title: 'second',
      passthrough: null,
    });
    const back = await json(await patch(a.id, { playback_policy: 'signed' }));
    expect(back).toMatchObject({ playback_policy: 'signed', title: 'second' });
    expect(Date.parse(back.updated_at)).toBeGreaterThan(Date.parse(a.updated_at));
    expect((await json(await get(`/v1/assets/${a.id}`))).playback_policy).toBe('signed');
  });

  it("refuses bad changes, another account's asset, and a deleted one", async () => {
    const a = await upload();
    await expectError(await patch(a.id, {}), 400, 'VALIDATION_ERROR');
    await expectError(await patch(a.id, { playback_policy: 'open' }), 400, 'VALIDATION_ERROR');
    await expectError(await patch(a.id, { playback_policy: 'public', owner: 'me' }), 400, 'VALIDATION_ERROR');
    await expectError(await patch(a.id, { title: 'x'.repeat(513) }), 400, 'VALIDATION_ERROR');
    await expectError(await patch(a.id, '{nope'), 400, 'INVALID_JSON');
    await expectError(await patch('not-a-uuid', { playback_policy: 'public' }), 400, 'VALIDATION_ERROR');
    // Another account's asset is not found, and stays as it was.
    await expectError(await patch(a.id, { playback_policy: 'public' }, h.keyB), 404, 'NOT_FOUND');
    await expectError(await patch(crypto.randomUUID(), { playback_policy: 'public' }), 404, 'NOT_FOUND');
    expect((await json(await get(`/v1/assets/${a.id}`))).playback_policy).toBe('signed');

    expect((await del(a.id)).status).toBe(200);
    await expectError(await patch(a.id, { playback_policy: 'public' }), 409, 'ASSET_DELETED');
    expect((await json(await get(`/v1/assets/${a.id}`))).playback_policy).toBe('signed');
  });
});

describe('a deleted asset', () => {
  it('reads as deleted, from the delete on', async () => {
    const a = await upload();
    expect(a.playable_state).toBe('not_playable');
    // As if the opener had been made: the state it had is not what a deleted asset shows.
    await h.db.sql`update assets set playable_state = 'opener_ready' where id = ${a.id}`;
    expect((await json(await get(`/v1/assets/${a.id}`))).playable_state).toBe('opener_ready');
    const deleted = await json(await del(a.id));
    expect(deleted).toMatchObject({ playable_state: 'deleted', deleted_at: expect.any(String) });
    expect(await json(await get(`/v1/assets/${a.id}`))).toMatchObject({
      id: a.id,
      playable_state: 'deleted',
      deleted_at: deleted.deleted_at,
    });
    expect((await json(await del(a.id))).playable_state).toBe('deleted');
  });

  it('is left out of lists unless asked for, and is what playable_state=deleted lists', async () => {
    // Account B's own assets: one kept, one deleted.
    const kept = await upload('', h.keyB);
    const gone = await upload('', h.keyB);
    expect((await del(gone.id, h.keyB)).status).toBe(200);
    const ids = async (query: string) => (await json(await get(`/v1/assets${query}`, h.keyB))).data.map((x: { id: string }) => x.id);

    expect(await ids('')).toEqual([kept.id]);
    expect(await ids('?include_deleted=false')).toEqual([kept.id]);
    expect(await ids('?include_deleted=true')).toEqual([gone.id, kept.id]);
    expect(await ids('?playable_state=deleted')).toEqual([gone.id]);
    expect(await ids('?playable_state=deleted&include_deleted=true')).toEqual([gone.id]);
    // Other states match assets as they read: a deleted asset is never not_playable.
    expect(await ids('?playable_state=not_playable&include_deleted=true')).toEqual([kept.id]);
    expect(await ids('?source_state=uploaded&include_deleted=true')).toEqual([gone.id, kept.id]);
    const listed = (await json(await get('/v1/assets?include_deleted=true', h.keyB))).data;
    expect(listed.map((x: { playable_state: string }) => x.playable_state)).toEqual(['deleted', 'not_playable']);
    // Pages walk through deleted assets too.
    const first = await json(await get('/v1/assets?include_deleted=true&limit=1', h.keyB));
    expect(first.data.map((x: { id: string }) => x.id)).toEqual([gone.id]);
    expect(await ids(`?include_deleted=true&limit=1&cursor=${first.next_cursor}`)).toEqual([kept.id]);
    await expectError(await get('/v1/assets?include_deleted=maybe', h.keyB), 400, 'VALIDATION_ERROR');
  });
});

describe('the OpenAPI document', () => {
  it('describes the policy, the deleted state, PATCH and the list filters', async () => {
    const doc = await json(await fetch(`${h.api.url}/openapi.json`));
    const asset = doc.components.schemas.Asset;
    expect(asset.properties.playable_state.enum).toEqual(['not_playable', 'opener_ready', 'hls_ready', 'deleted']);
    expect(asset.properties.playback_policy.enum).toEqual(['signed', 'public']);
    const update = doc.paths['/v1/assets/{id}'].patch;
    expect(update.operationId).toBe('updateAsset');
    expect(update.requestBody.content['application/json'].schema.properties.playback_policy.enum).toEqual(['signed', 'public']);
    const list = doc.paths['/v1/assets'].get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(expect.arrayContaining(['include_deleted', 'playable_state']));
    const upload = doc.paths['/v1/videos'].post.parameters.map((p: { name: string }) => p.name);
    expect(upload).toContain('playback_policy');
  });
});
