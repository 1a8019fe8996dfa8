import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdge, type Edge } from '@kino/edge';
import { createTestConfig, packetSpans, worstSeam } from '@kino/testkit';
import { startStack, type Stack } from '@kino/testkit-stack';
import type { Worker } from '@kino/worker';
import { putFile } from '@kino/storage';

// The whole just-in-time path with real parts: the api plans and publishes, the edge misses
// a planned segment and asks the api, a worker's segment runner encodes it from the source
// at the origin, and the edge fills it like any other artifact.

const ENV = { JIT_QUEUE_LIMIT: '3', JIT_ACCOUNT_LIMIT: '3', JIT_READ_AHEAD: '0', WORKER_SHUTDOWN_GRACE_SECONDS: '0' };

let s: Stack;
let edge: Edge;
/** Until the ladders are wanted, a worker that only makes segments (WORKER_CONCURRENCY=0). */
let worker: Worker;
beforeAll(async () => {
  s = await startStack(ENV);
  edge = await createEdge(await createTestConfig(s.db, s.s3, { KINO_API_URL: s.api.url, EDGE_ID: 'jit-edge', EDGE_REGION: 'test' }));
  await edge.start();
  for (let i = 0; i < 100 && (await s.db.sql`select 1 from edges`).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
});
afterAll(async () => {
  await edge?.stop();
  await s?.close();
});

const auth = () => ({ authorization: `Bearer ${s.key}` });
const internal = () => ({ authorization: `Bearer ${s.config.internalToken}`, 'content-type': 'application/json' });

async function playback(id: string): Promise<any> {
  const res = await fetch(`${s.api.url}/v1/assets/${id}/playback`, { headers: auth() });
  expect(res.status).toBe(200);
  return res.json();
}

async function eventTypes(id: string): Promise<string[]> {
  const rows = await s.db.sql<{ type: string }[]>`select type from asset_events where asset_id = ${id} order by seq`;
  return rows.map((r) => r.type);
}

/** Every segment job done, and counted (the runner counts a job after its row is gone). */
async function settled(): Promise<void> {
  await expect
    .poll(async () => (await s.db.sql`select 1 from segment_jobs`).length + worker.segments.active, { timeout: 30_000, interval: 50 })
    .toBe(0);
}

async function askApi(assetId: string, path: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${s.api.url}/internal/segments`, {
    method: 'POST',
    headers: internal(),
    body: JSON.stringify({ asset_id: assetId, path }),
    ...(signal ? { signal } : {}),
  });
}

describe('just-in-time segments', () => {
  let id: string;
  let block: any;
  let segments: number;

  it('publishes the master and every media playlist at probe time, listing every planned segment', async () => {
    // No ladder lane: a ladder claimed and finished before this test could stop it (a fast
    // 360p encode on a loaded machine) would leave nothing to make just in time.
    const full = await s.startWorker({ WORKER_LADDER_CONCURRENCY: '0' });
    id = (await s.upload('standard', { width: 640, height: 360, seconds: 60 })).id;
    await s.waitFor(id, (a) => a.playable_state !== 'not_playable');
    // The first job (playlists, opener, audio) is over once the ladder's is queued.
    await expect
      .poll(async () => (await s.db.sql`select 1 from media_jobs where asset_id = ${id} and kind = 'encode_ladder'`).length, {
        timeout: 60_000,
        interval: 100,
      })
      .toBe(1);
    // The ladder's job waits in the queue: what follows is made on demand only.
    await full.stop();
    worker = await s.startWorker({ WORKER_CONCURRENCY: '0', WORKER_LADDER_CONCURRENCY: '0' });
    const types = await eventTypes(id);
    expect(types.indexOf('asset.playlists_ready')).toBeLessThan(types.indexOf('asset.opener_ready'));
    block = await playback(id);
    expect(block.urls.master).toMatch(/\/hls\/master\.m3u8$/);
    const master = await (await fetch(block.urls.master)).text();
    expect(master).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio"');
    for (const rendition of ['360p', '240p', 'audio']) {
      const res = await fetch(new URL(`${rendition}/index.m3u8`, block.urls.master));
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('#EXT-X-ENDLIST');
      const listed = text.split('\n').filter((l) => l.endsWith('.m4s'));
      expect(listed).toEqual(Array.from({ length: 15 }, (_, n) => `${n}.m4s`));
    }
    segments = 15;
  });

  it('fills a far segment just in time, before the ladder gets there, encoding it once for 50 viewers at once', async () => {
    const far = new URL(`360p/${segments - 1}.m4s`, block.urls.master).toString();
    // The startup segments the worker queued at publication are done, so what runs now is ours.
    await settled();
    const before = worker.segments.ran;
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(far)));
    const bodies = await Promise.all(answers.map(async (r) => ({ status: r.status, bytes: Buffer.from(await r.arrayBuffer()) })));
    expect(bodies.map((b) => b.status)).toEqual(Array(50).fill(200));
    for (const b of bodies) expect(b.bytes.equals(bodies[0]!.bytes)).toBe(true);
    // No ladder ran: the segment was made on demand (the rendition is not complete, let alone the asset).
    const a = await s.asset(id);
    expect(a.playable_state).not.toBe('hls_ready');
    const ready = await s.db.sql`
      select 1 from asset_events where asset_id = ${id} and type = 'asset.rendition_ready' and data->>'rendition' = '360p'`;
    expect(ready).toEqual([]);
    // One encode for all of them (its init segment came with it).
    await settled();
    expect(worker.segments.ran - before).toBe(1);
    const rows = await s.db
      .sql`select path, width, height, bitrate from artifacts where asset_id = ${id} and starts_with(path, 'hls/360p/')`;
    expect(rows.map((r) => r.path)).toEqual(expect.arrayContaining([`hls/360p/${segments - 1}.m4s`, 'hls/360p/init.mp4']));
    // Recorded like the ladder's files of the rendition: its picture size and planned bit rate.
    const playlist = (
      await s.db.sql`select width, height, bitrate from artifacts where asset_id = ${id} and path = 'hls/360p/index.m3u8'`
    )[0]!;
    expect(playlist.height).toBe(360);
    for (const r of rows) expect({ width: r.width, height: r.height, bitrate: r.bitrate }, r.path).toEqual({ ...playlist });
  });

  it('makes an init segment with segment 0: asked together, they are one encode', async () => {
    await settled();
    const before = worker.segments.ran;
    const answers = await Promise.all(['hls/240p/init.mp4', 'hls/240p/0.m4s'].map((p) => askApi(id, p)));
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    await settled();
    expect(worker.segments.ran - before).toBe(1);
  });

  it('makes an audio segment just in time too, before the whole track is encoded', async () => {
    // The whole track is the ladder job's, which has not run: segment 9 is made on its own
    // (and the continuity check at the end runs across it, among the whole track's).
    const path = 'hls/audio/9.m4s';
    expect(await s.db.sql`select 1 from artifacts where asset_id = ${id} and path = ${path}`).toEqual([]);
    await settled();
    const before = worker.segments.ran;
    expect((await askApi(id, path)).status).toBe(200);
    await settled();
    expect(worker.segments.ran - before).toBe(1);
    expect(await s.db.sql`select 1 from artifacts where asset_id = ${id} and path = ${path}`).toHaveLength(1);
  });

  it('encodes once however many requests reach the api for one segment', async () => {
    await settled();
    const before = worker.segments.ran;
    const answers = await Promise.all(Array.from({ length: 20 }, () => askApi(id, 'hls/240p/11.m4s')));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    await settled();
    expect(worker.segments.ran - before).toBe(1);
  });

  it('drops a queued segment once every viewer waiting for it went away (a seek elsewhere)', async () => {
    await settled();
    // Nothing claims meanwhile: the segment stays queued while its viewers come and go.
    await worker.stop();
    const soon = { timeout: 20_000, interval: 50 };
    const waiters = async (path: string) =>
      (await s.db.sql<{ waiters: number }[]>`select waiters from segment_jobs where asset_id = ${id} and path = ${path}`)[0]?.waiters;
    const pending = async () => (await s.db.sql`select 1 from segment_jobs`).length;
    try {
      // Straight at the api, as two edges would ask.
      const path = 'hls/240p/13.m4s';
      const one = new AbortController();
      const two = new AbortController();
      const asks = [askApi(id, path, one.signal), askApi(id, path, two.signal)].map((p) => p.catch((err: Error) => err.name));
      await expect.poll(() => waiters(path), soon).toBe(2);
      one.abort();
      await expect.poll(() => waiters(path), soon).toBe(1);
      two.abort();
      await expect.poll(pending, soon).toBe(0);
      expect(await Promise.all(asks)).toEqual(['AbortError', 'AbortError']);

      // A viewer at an edge: leaving reaches the api through the edge.
      const viewer = new AbortController();
      const gone = fetch(new URL('240p/12.m4s', block.urls.master), { signal: viewer.signal }).catch((err: Error) => err.name);
      await expect.poll(() => waiters('hls/240p/12.m4s'), soon).toBe(1);
      viewer.abort();
      expect(await gone).toBe('AbortError');
      await expect.poll(pending, soon).toBe(0);
    } finally {
      worker = await s.startWorker({ WORKER_CONCURRENCY: '0', WORKER_LADDER_CONCURRENCY: '0' });
    }
  });

  it('refuses, without queuing anything, what the plan does not list', async () => {
    for (const path of ['hls/1080p/3.m4s', `hls/360p/${segments}.m4s`, 'hls/360p/index.m3u8', 'opener.mp4']) {
      const res = await askApi(id, path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as any).error.code).toBe('NOT_IN_PLAN');
    }
    expect((await askApi('00000000-0000-4000-8000-000000000000', 'hls/360p/0.m4s')).status).toBe(404);
    expect(await s.db.sql`select 1 from segment_jobs`).toEqual([]);
    // Through the edge, a segment past the end is not even asked about: the playlists do not list it.
    expect((await fetch(new URL(`360p/${segments}.m4s`, block.urls.master))).status).toBe(404);
  });

  it('answers 503 with Retry-After, queuing nothing more, when the tier holds all it may', async () => {
    // Three requests of another account stand queued for a segment nobody will claim soon.
    const [other] = await s.db.sql<{ id: string }[]>`insert into accounts (name) values ('other') returning id`;
    await s.db.sql`
      insert into segment_jobs (asset_id, account_id, path, priority, state, locked_by, locked_until)
      select ${id}, ${other!.id}, 'hls/240p/' || n || '.m4s', 0, 'running', 'elsewhere', now() + interval '1 hour'
      from generate_series(1, 3) n`;
    try {
      const res = await askApi(id, 'hls/240p/5.m4s');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await res.json()) as any).error.code).toBe('SEGMENT_NOT_READY');
      expect((await s.db.sql`select path from segment_jobs order by path`).map((r) => r.path)).toEqual([
        'hls/240p/1.m4s',
        'hls/240p/2.m4s',
        'hls/240p/3.m4s',
      ]);
    } finally {
      await s.db.sql`delete from segment_jobs where locked_by = 'elsewhere'`;
    }
  });

  it('ends with a continuous asset: the same segments, just-in-time or laddered, no seam over a frame', async () => {
    await s.startWorker();
    const a = await s.waitFor(id, (x) => x.playable_state === 'hls_ready' || x.error, 120_000);
    expect(a.error).toBeNull();
    const dir = await s.fetchArtifacts(id);
    const frame = 1 / 30;
    for (const [rendition, stream] of [
      ['360p', 'v:0'],
      ['240p', 'v:0'],
      ['audio', 'a:0'],
    ] as const) {
      const whole = join(dir, `${rendition}.mp4`);
      const parts = ['init.mp4', ...Array.from({ length: segments }, (_, n) => `${n}.m4s`)];
      await writeFile(whole, Buffer.concat(await Promise.all(parts.map((f) => readFile(join(dir, 'hls', rendition, f))))));
      const packets = await packetSpans(whole, stream);
      expect(worstSeam(packets), rendition).toBeLessThanOrEqual(frame + 1e-3);
      expect(Math.abs(packets.at(-1)![1] - packets[0]![0] - 60), rendition).toBeLessThan(0.1);
    }
  });

  it('refuses a deleted asset’s segments without encoding them', async () => {
    const other = (await s.upload('standard', { width: 320, height: 240, seconds: 9 })).id;
    await s.waitFor(other, (a) => a.playable_state !== 'not_playable');
    expect((await fetch(`${s.api.url}/v1/assets/${other}`, { method: 'DELETE', headers: auth() })).status).toBeLessThan(300);
    await settled();
    const before = worker.segments.ran;
    const res = await askApi(other, 'hls/240p/1.m4s');
    expect(res.status).toBe(404);
    expect(worker.segments.ran).toBe(before);
  });

  it('caches nothing for a failed encode, and the ladder still completes', async () => {
    const created = (await s.upload('standard', { width: 640, height: 360, seconds: 40 })).id;
    // Once the worker holds its local copy, the source at the origin turns to junk: a
    // just-in-time encode (which reads the origin) fails, the ladder (the local copy) does
    // not. The ladder records its segments only once it is whole, after this request.
    await s.waitFor(created, (a) => ['thumbnail', 'ladder'].includes(a.progress?.step));
    const junk = join(s.work, 'junk.bin');
    await writeFile(junk, Buffer.alloc(4096, 7));
    const [row] = await s.db.sql<{ source_key: string }[]>`select source_key from assets where id = ${created}`;
    await putFile(s.s3.storage, row!.source_key, junk, { contentType: 'video/mp4' });
    const path = 'hls/360p/8.m4s';
    const res = await askApi(created, path);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await s.db.sql`select 1 from artifacts where asset_id = ${created} and path = ${path}`).toEqual([]);
    expect(await s.db.sql`select 1 from segment_jobs where asset_id = ${created} and path = ${path}`).toEqual([]);
    const done = await s.waitFor(created, (a) => a.playable_state === 'hls_ready' || a.error, 120_000);
    expect(done.error).toBeNull();
    expect(await s.db.sql`select 1 from artifacts where asset_id = ${created} and path = ${path}`).toHaveLength(1);
  });
});
