import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listKeys, listMultipartUploads } from '@kino/storage';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

// Uploads at their edges, against an api with no worker: a wait that runs out, and a client
// that goes away mid-body.

let h: ApiHarness;
let clip: Buffer;
beforeAll(async () => {
  h = await startApiHarness();
  clip = await readFile(await makeFixture('standard', join(await scratchDir('kino-upload-edges-'), 'clip.mp4'), { seconds: 1 }));
});
afterAll(() => h?.close());

const accountOf = async (key: string) =>
  (await h.db.sql`select account_id from api_keys where prefix = ${key.slice(0, 13)}`)[0]!.account_id as string;

describe('uploads at their edges', () => {
  it('wait=playable answers when its timeout runs out: the asset exists, honestly not playable, with no playback block', async () => {
    const res = await fetch(`${h.api.url}/v1/videos?wait=playable&timeout_seconds=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keyA}`, 'content-type': 'video/mp4' },
      body: clip,
    });
    expect(res.status).toBe(201);
    const asset = (await res.json()) as any;
    expect(asset).toMatchObject({ source_state: 'uploaded', playable_state: 'not_playable' });
    expect(asset.playback).toBeUndefined();
    // And it says so: the wait ran out, it did not succeed or get skipped.
    expect(asset.wait.timed_out).toBe(true);
    expect(asset.wait.waited_seconds).toBeGreaterThanOrEqual(1);
    // No worker here: the job is still waiting, and the asset is there to come back to.
    const [job] = await h.db.sql`select state from media_jobs where asset_id = ${asset.id}`;
    expect(job!.state).toBe('queued');
    expect((await fetch(`${h.api.url}/v1/assets/${asset.id}`, { headers: { authorization: `Bearer ${h.keyA}` } })).status).toBe(200);
  });

  it('leaves nothing behind when the client disconnects mid-upload: no row, no object, no multipart parts', async () => {
    const accountId = await accountOf(h.keyB);
    const req = httpRequest(`${h.api.url}/v1/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keyB}`, 'content-type': 'video/mp4', 'transfer-encoding': 'chunked' },
    });
    req.on('error', () => {});
    req.write(clip);
    // Past one 8 MiB part, so a multipart upload is really in flight at the origin.
    for (let i = 0; i < 10; i++) req.write(randomBytes(1024 * 1024));

    // Precondition: the upload is under way — its row streaming, its multipart upload open.
    await expect
      .poll(async () => (await h.db.sql`select source_state from assets where account_id = ${accountId}`).map((r) => r.source_state), {
        timeout: 60_000,
        interval: 50,
      })
      .toEqual(['uploading']);
    const [{ id }] = (await h.db.sql`select id from assets where account_id = ${accountId}`) as unknown as [{ id: string }];
    await expect
      .poll(async () => (await listMultipartUploads(h.s3.storage, `sources/${id}/`)).length, { timeout: 60_000, interval: 50 })
      .toBe(1);

    req.destroy();

    await expect
      .poll(async () => (await h.db.sql`select 1 from assets where id = ${id}`).length, { timeout: 60_000, interval: 100 })
      .toBe(0);
    await expect
      .poll(async () => (await listMultipartUploads(h.s3.storage, `sources/${id}/`)).length, { timeout: 60_000, interval: 100 })
      .toBe(0);
    expect(await listKeys(h.s3.storage, `sources/${id}/`)).toEqual([]);
    expect((await h.db.sql`select count(*)::int as n from media_jobs where asset_id = ${id}`)[0]!.n).toBe(0);
  });
});
