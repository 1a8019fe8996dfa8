import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdge, type Edge } from '@kino/edge';
import { createTestConfig } from '@kino/testkit';
import { startStack, type Stack } from '@kino/testkit-stack';
import type { Worker } from '@kino/worker';

// Images on demand and storyboards with real parts: the ladder makes the storyboard; an
// edge misses an image variant, asks the api like for a just-in-time segment, a worker's
// segment runner renders it from the source at the origin, and the edge caches it.

const exec = promisify(execFile);
let s: Stack;
let edge: Edge;
let worker: Worker;
let id: string;
let block: any;

beforeAll(async () => {
  s = await startStack({ JIT_READ_AHEAD: '0', WORKER_SHUTDOWN_GRACE_SECONDS: '0' });
  edge = await createEdge(await createTestConfig(s.db, s.s3, { KINO_API_URL: s.api.url, EDGE_ID: 'images-edge', EDGE_REGION: 'test' }));
  await edge.start();
  for (let i = 0; i < 100 && (await s.db.sql`select 1 from edges`).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  worker = await s.startWorker();
  id = (await s.upload('standard', { seconds: 4 })).id;
  await s.waitFor(id, (a) => a.playable_state === 'hls_ready');
  const res = await fetch(`${s.api.url}/v1/assets/${id}/playback`, { headers: { authorization: `Bearer ${s.key}` } });
  block = await res.json();
});
afterAll(async () => {
  await edge?.stop();
  await s?.close();
});

/** A playback URL of the asset's for `file` (with its query), on the edge the block names. */
const image = (file: string) => new URL(file, block.urls.opener).toString();

async function probeFile(bytes: Buffer, name: string): Promise<{ width: number; height: number; frames: number; codec: string }> {
  const file = join(s.work, name);
  await writeFile(file, bytes);
  // biome-ignore format: ffprobe options read in pairs
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'json', file]);
  const st = (JSON.parse(stdout) as { streams: Array<Record<string, string | number>> }).streams[0]!;
  return {
    codec: String(st['codec_name']),
    width: Number(st['width']),
    height: Number(st['height']),
    frames: Number(st['nb_read_frames']),
  };
}

async function settled(): Promise<void> {
  await expect
    .poll(async () => (await s.db.sql`select 1 from segment_jobs`).length + worker.segments.active, { timeout: 30_000, interval: 50 })
    .toBe(0);
}

const imageRows = async () =>
  (await s.db.sql<{ path: string }[]>`select path from artifacts where asset_id = ${id} and kind = 'image' order by path`).map(
    (r) => r.path,
  );

describe('storyboard', () => {
  it('is made with the ladder: a sprite sheet and a WebVTT file whose cues point into it', async () => {
    const types = (await s.db.sql<{ type: string }[]>`select type from asset_events where asset_id = ${id}`).map((r) => r.type);
    expect(types).toContain('asset.storyboard_ready');
    const a = await s.asset(id);
    expect(a.artifacts.filter((x: any) => x.kind === 'storyboard').map((x: any) => [x.path, x.content_type])).toEqual(
      expect.arrayContaining([
        ['storyboard.jpg', 'image/jpeg'],
        ['storyboard.vtt', 'text/vtt'],
      ]),
    );
    expect(block.urls.storyboard).toMatch(/\/storyboard\.vtt$/);
    const vtt = await fetch(block.urls.storyboard);
    expect(vtt.headers.get('content-type')).toBe('text/vtt');
    const text = await vtt.text();
    const cues = [...text.matchAll(/^(\S+) --> (\S+)\n(\S+)#xywh=(\d+),(\d+),(\d+),(\d+)$/gm)];
    expect(cues).toHaveLength(4);
    // Relative to the VTT, so the sprite inherits its token.
    const sprite = await fetch(new URL(cues[0]![3]!, block.urls.storyboard));
    expect(sprite.status).toBe(200);
    const dims = await probeFile(Buffer.from(await sprite.arrayBuffer()), 'sprite.jpg');
    expect(dims).toMatchObject({ codec: 'mjpeg', width: 640, height: 120 });
    for (const c of cues) {
      const [x, y, w, h] = c.slice(4, 8).map(Number) as [number, number, number, number];
      expect([w, h]).toEqual([160, 120]);
      expect(x + w <= dims.width && y + h <= dims.height).toBe(true);
    }
  });
});

describe('images on demand', () => {
  it('render a still on a miss, and serve it as a HIT to every spelling of the same variant', async () => {
    await settled();
    const before = worker.segments.ran;
    const miss = await fetch(image('thumbnail.webp?time=1.5&width=160'));
    expect(miss.status).toBe(200);
    expect(miss.headers.get('content-type')).toBe('image/webp');
    expect(miss.headers.get('cache-control')).toContain('immutable');
    expect(miss.headers.get('x-kino-cache')).toBe('MISS');
    expect(await probeFile(Buffer.from(await miss.arrayBuffer()), 'still.webp')).toMatchObject({ codec: 'webp', width: 160, height: 120 });
    const hit = await fetch(image('thumbnail.webp?width=160&time=1.500'));
    expect([hit.status, hit.headers.get('x-kino-cache')]).toEqual([200, 'HIT']);
    await settled();
    expect(worker.segments.ran - before).toBe(1);
    expect(await imageRows()).toEqual(['images/t1500-w160-h0-preserve.webp']);
    // The ladder's thumbnail is still the ladder's.
    const ladder = await fetch(image('thumbnail.jpg'));
    expect([ladder.status, ladder.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
  });

  it('render an animation once for 50 viewers asking at once', async () => {
    await settled();
    const before = worker.segments.ran;
    const url = image('animated.gif?start=0.5&end=1.5&fps=10&width=160');
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(url)));
    const bodies = await Promise.all(answers.map(async (r) => ({ status: r.status, bytes: Buffer.from(await r.arrayBuffer()) })));
    expect(bodies.map((b) => b.status)).toEqual(Array(50).fill(200));
    for (const b of bodies) expect(b.bytes.equals(bodies[0]!.bytes)).toBe(true);
    await settled();
    expect(worker.segments.ran - before).toBe(1);
    expect(await imageRows()).toContain('images/a500-1500-f10-w160.gif');
    expect(await probeFile(bodies[0]!.bytes, 'anim.gif')).toEqual({ codec: 'gif', width: 160, height: 120, frames: 10 });
  });

  it('refuse bad parameters and times past the end without rendering anything', async () => {
    await settled();
    const rows = await imageRows();
    const before = worker.segments.ran;
    for (const q of ['thumbnail.webp?time=1&size=2', 'thumbnail.png?width=4000', 'animated.gif?start=0&end=11', 'animated.webp?fps=60']) {
      const res = await fetch(image(q));
      expect([q, res.status, ((await res.json()) as any).error.code]).toEqual([q, 400, 'INVALID_IMAGE_PARAMS']);
    }
    for (const q of ['thumbnail.png?time=30', 'animated.gif?start=4.5&end=6']) {
      const res = await fetch(image(q));
      expect([q, res.status]).toEqual([q, 404]);
      await res.body?.cancel();
    }
    await settled();
    expect(worker.segments.ran).toBe(before);
    expect(await imageRows()).toEqual(rows);
  });

  it('make no more variants of an asset than its bound, and still serve those made', async () => {
    const fake = Array.from({ length: 200 }, (_, n) => `images/t${n}-w2-h2-crop.png`);
    await s.db.sql`
      insert into artifacts (asset_id, path, kind, key, content_type, bytes)
      select ${id}, p, 'image', p, 'image/png', 1 from unnest(${fake}::text[]) as p`;
    try {
      const res = await fetch(image('thumbnail.png?time=2'));
      expect([res.status, ((await res.json()) as any).error.code]).toEqual([403, 'IMAGE_VARIANT_LIMIT']);
      expect((await s.db.sql`select 1 from segment_jobs`).length).toBe(0);
      const made = await fetch(image('thumbnail.webp?time=1.5&width=160'));
      expect(made.status).toBe(200);
    } finally {
      await s.db.sql`delete from artifacts where asset_id = ${id} and path = any(${fake})`;
    }
  });

  it('count the variants being made against the bound, not only those made', async () => {
    const fake = Array.from({ length: 199 }, (_, n) => `images/t${n}-w2-h2-crop.png`);
    await s.db.sql`
      insert into artifacts (asset_id, path, kind, key, content_type, bytes)
      select ${id}, p, 'image', p, 'image/png', 1 from unnest(${fake}::text[]) as p`;
    // Another asker's variant, held by a worker that nobody else may claim it from.
    await s.db.sql`
      insert into segment_jobs (asset_id, path, account_id, priority, state, locked_by, locked_until)
      select ${id}, 'images/t999-w2-h2-crop.png', account_id, 0, 'running', 'elsewhere', now() + interval '1 hour'
      from assets where id = ${id}`;
    try {
      const res = await fetch(image('thumbnail.png?time=2.5'));
      expect([res.status, ((await res.json()) as any).error.code]).toEqual([403, 'IMAGE_VARIANT_LIMIT']);
    } finally {
      await s.db.sql`delete from segment_jobs where asset_id = ${id}`;
      await s.db.sql`delete from artifacts where asset_id = ${id} and path = any(${fake})`;
    }
  });

  it('make none for an account with no stored bytes left', async () => {
    const [{ account_id, limits }] = (await s.db
      .sql`select a.account_id, c.limits from assets a join accounts c on c.id = a.account_id where a.id = ${id}`) as any[];
    await s.db.sql`update accounts set limits = ${s.db.sql.json({ stored_bytes: 1 })} where id = ${account_id}`;
    try {
      const res = await fetch(image('thumbnail.png?time=2.75'));
      expect([res.status, ((await res.json()) as any).error.code]).toEqual([403, 'IMAGE_VARIANT_LIMIT']);
      expect((await s.db.sql`select 1 from segment_jobs where asset_id = ${id}`).length).toBe(0);
    } finally {
      await s.db.sql`update accounts set limits = ${s.db.sql.json(limits)} where id = ${account_id}`;
    }
  });

  it('refuse a deleted asset', async () => {
    const del = await fetch(`${s.api.url}/v1/assets/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${s.key}` } });
    expect(del.status).toBeLessThan(300);
    const res = await fetch(image('thumbnail.png?time=3'));
    // Refused by the edge once it has the revocation, or by the api before that: never rendered.
    expect([404, 410]).toContain(res.status);
    expect((await s.db.sql`select 1 from segment_jobs where asset_id = ${id}`).length).toBe(0);
  });
});
