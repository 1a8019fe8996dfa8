import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, issueApiKey } from '@kino/db';
import { listKeys } from '@kino/storage';
import { createTestConfig, scratchDir } from '@kino/testkit';
import { createEdge, type Edge } from '@kino/edge';
import { processesMentioning, startStack, type Stack } from '@kino/testkit-stack';

let s: Stack;
let edge: Edge;
let scratch: string;
let edgeCacheDir: string;
beforeAll(async () => {
  s = await startStack({ JOB_LEASE_SECONDS: '3' });
  const edgeConfig = await createTestConfig(s.db, s.s3, { KINO_API_URL: s.api.url, EDGE_ID: 'delete-edge' });
  edgeCacheDir = edgeConfig.edge.cacheDir;
  edge = await createEdge(edgeConfig);
  await edge.start();
  for (let i = 0; i < 100 && (await s.db.sql`select 1 from edges`).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  scratch = await scratchDir('kino-delete-scratch-');
  await s.startWorker({ JOB_LEASE_SECONDS: '3', WORKER_TMP_DIR: scratch });
});
afterAll(async () => {
  await edge?.stop();
  await s?.close();
});

const auth = (key = s.key) => ({ authorization: `Bearer ${key}` });
const del = (id: string, key = s.key) => fetch(`${s.api.url}/v1/assets/${id}`, { method: 'DELETE', headers: auth(key) });
const json = (res: Response): Promise<any> => res.json();
async function eventually(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never: ${what}`);
}
const purged = (id: string) => async () =>
  (await s.db.sql`select 1 from asset_events where asset_id = ${id} and type = 'asset.purged'`).length > 0;

describe('DELETE /v1/assets/{id}', () => {
  it('during encoding: cancels the job, kills ffmpeg, leaves no artifacts', async () => {
    const created = await s.upload('standard', { width: 960, height: 540, seconds: 24 });
    await s.waitFor(created.id, (a) => a.progress?.step === 'ladder');
    // Precondition: an ffmpeg of this job is running in the worker's scratch directory.
    expect(processesMentioning(scratch).some((l) => /\bffmpeg\b/.test(l))).toBe(true);
    const res = await del(created.id);
    expect(res.status).toBe(200);
    expect((await json(res)).deleted_at).toEqual(expect.any(String));
    await eventually(async () => processesMentioning(scratch).length === 0, 'ffmpeg stopped');
    await eventually(purged(created.id), 'asset.purged');
    // The job encoding the ladder when the delete came was cancelled (the first-frames one had succeeded).
    const [job] = await s.db.sql`select state from media_jobs where asset_id = ${created.id} and kind = 'encode_ladder'`;
    expect(job!.state).toBe('cancelled');
    expect(await listKeys(s.s3.storage, `videos/${created.id}/`)).toEqual([]);
    expect(await listKeys(s.s3.storage, `sources/${created.id}/`)).toEqual([]);
    expect((await s.db.sql`select count(*)::int as n from artifacts where asset_id = ${created.id}`)[0]!.n).toBe(0);
    const types = (await s.db.sql`select type from asset_events where asset_id = ${created.id} order by seq`).map((r) => r.type);
    expect(types.at(-1)).toBe('asset.purged');
    expect(types.indexOf('asset.deleted')).toBeGreaterThan(types.indexOf('job.started'));
    expect(types).not.toContain('asset.hls_ready');
  });

  it('after hls_ready: old signed URLs stop working, the edge cache and the origin are emptied', async () => {
    const created = await s.upload('standard', { width: 320, height: 240, seconds: 4 });
    await s.waitFor(created.id, (a) => a.playable_state === 'hls_ready');
    const block = await json(await fetch(`${s.api.url}/v1/assets/${created.id}/playback`, { headers: auth() }));
    expect((await fetch(block.urls.master)).status).toBe(200);
    expect((await fetch(block.urls.opener)).status).toBe(200);
    // Precondition: the edge holds the asset on disk (a fill is renamed into place once whole).
    const cached = join(edgeCacheDir, 'objects', created.id);
    await eventually(
      async () => existsSync(join(cached, 'opener.mp4')) && existsSync(join(cached, 'hls', 'master.m3u8')),
      'edge cache filled',
    );

    const first = await json(await del(created.id));
    const again = await del(created.id);
    expect(again.status).toBe(200);
    expect((await json(again)).deleted_at).toBe(first.deleted_at);

    // Refused as deleted (the purge carries the revocation), long before the token expires,
    // and not merely missing at the origin.
    await eventually(async () => (await fetch(block.urls.opener)).status === 410, 'old URL refused');
    const master = await fetch(block.urls.master);
    expect(master.status).toBe(410);
    expect(((await master.json()) as any).error.code).toBe('ASSET_DELETED');
    const playback = await fetch(`${s.api.url}/v1/assets/${created.id}/playback`, { headers: auth() });
    expect(playback.status).toBe(404);
    await eventually(purged(created.id), 'asset.purged');
    expect(await listKeys(s.s3.storage, `videos/${created.id}/`)).toEqual([]);
    expect(await listKeys(s.s3.storage, `sources/${created.id}/`)).toEqual([]);
    expect(existsSync(cached)).toBe(false);
  });

  it("is a 404 for another account's asset, which stays", async () => {
    const created = await s.upload('standard', { seconds: 1 });
    const other = (await issueApiKey(s.db.sql, (await createAccount(s.db.sql, 'other')).id)).key;
    const res = await del(created.id, other);
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('NOT_FOUND');
    expect((await json(await fetch(`${s.api.url}/v1/assets/${created.id}`, { headers: auth() }))).deleted_at).toBeNull();
  });
});
