import { randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createTestS3, scratchDir, type TestS3 } from '@kino/testkit';
import { readSync } from 'node:fs';
import {
  createEdgeCache,
  createS3Origin,
  FillError,
  TooManyFillsError,
  type CachedObject,
  type EdgeCache,
  type Fill,
  type Origin,
} from '../src/index.ts';
import { startOriginProxy, type OriginProxy } from '../test/support/origin-proxy.ts';

const quiet = { info() {}, warn() {} };

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function filesUnder(dir: string): Promise<string[]> {
  const all = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return all
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

describe('edge cache', () => {
  let s3: TestS3;
  let proxy: OriginProxy;
  let origin: Origin;
  const asset = randomUUID();
  const objects = new Map<string, Buffer>();

  async function put(path: string, bytes: number): Promise<string> {
    const body = randomBytes(bytes);
    await s3.storage.s3.send(new PutObjectCommand({ Bucket: s3.storage.bucket, Key: `videos/${asset}/${path}`, Body: body }));
    objects.set(`${asset}/${path}`, body);
    return `${asset}/${path}`;
  }

  async function newCache(o: { diskBytes?: number; ramBytes?: number; maxFills?: number; dir?: string } = {}) {
    const dir = o.dir ?? (await scratchDir('kino-edge-cache-'));
    const cache = createEdgeCache({
      dir,
      origin,
      log: quiet,
      diskBytes: o.diskBytes ?? 1 << 30,
      ramBytes: o.ramBytes ?? 64 << 20,
      maxFills: o.maxFills ?? 64,
    });
    await cache.start();
    return { cache, dir };
  }

  const fillOf = (cache: EdgeCache, key: string): Fill => cache.filling(key) ?? cache.startFill(key);
  const getsOf = (key: string) => proxy.gets.filter((k) => k === `videos/${key}`).length;

  beforeAll(async () => {
    s3 = await createTestS3();
    proxy = await startOriginProxy(s3.config.endpoint);
    origin = createS3Origin({ ...s3.config, endpoint: proxy.endpoint }, { maxSockets: 16 });
  });
  afterAll(async () => {
    origin?.close();
    await proxy?.close();
    await s3?.close();
  });

  it('fills once for many readers, every one getting the origin bytes, and caches the file', async () => {
    const key = await put('hls/720p/5.m4s', 3 * 1024 * 1024 + 17);
    const { cache, dir } = await newCache();
    const gate = proxy.hold(key, 1024 * 1024);
    const first = cache.startFill(key);
    await gate.reached;
    // Joined while the origin is still sending: the fill is really in progress.
    const readers = Array.from({ length: 10 }, () => fillOf(cache, key));
    expect(readers.every((f) => f === first)).toBe(true);
    const bodies = Promise.all(
      readers.map(async (f) => {
        await f.ready;
        return readAll(f.createReader());
      }),
    );
    // One more that reads nothing until the fill is over: it reads the file the fill wrote.
    const late = first.createReader();
    gate.release();
    for (const body of await bodies) expect(body.equals(objects.get(key)!)).toBe(true);
    await first.done;
    expect((await readAll(late)).equals(objects.get(key)!)).toBe(true);
    expect(getsOf(key)).toBe(1);
    const obj = cache.get(key)!;
    expect(obj.size).toBe(objects.get(key)!.length);
    expect((await readFile(obj.file)).equals(objects.get(key)!)).toBe(true);
    expect(await filesUnder(join(dir, 'tmp'))).toEqual([]);
    expect(cache.stats().originFetches.ok).toBe(1);
  });

  it('streams bytes to a reader before the origin has sent the whole object', async () => {
    const key = await put('hls/720p/6.m4s', 4 * 1024 * 1024);
    const { cache } = await newCache();
    const gate = proxy.hold(key, 2 * 1024 * 1024);
    const fill = cache.startFill(key);
    await fill.ready;
    const reader = fill.createReader();
    let received = 0;
    const ended = new Promise((r) => reader.on('end', r));
    const firstHalf = new Promise<void>((resolve) =>
      reader.on('data', (c: Buffer) => {
        received += c.length;
        if (received >= 2 * 1024 * 1024) resolve();
      }),
    );
    await firstHalf;
    // The origin is held: what arrived came from the fill in progress, not a finished file.
    expect(fill.state).toBe('streaming');
    expect(cache.get(key)).toBeUndefined();
    gate.release();
    await Promise.all([fill.done, ended]);
    expect(received).toBe(4 * 1024 * 1024);
  });

  it('keeps nothing of a fill the origin breaks off, and fails its readers', async () => {
    const key = await put('hls/720p/7.m4s', 2 * 1024 * 1024);
    const { cache, dir } = await newCache();
    proxy.cut(key, 512 * 1024);
    const fill = cache.startFill(key);
    await fill.ready;
    const reader = fill.createReader();
    await expect(readAll(reader)).rejects.toThrow();
    await expect(fill.done).rejects.toBeInstanceOf(FillError);
    expect(fill.error?.kind).toBe('truncated');
    expect(cache.get(key)).toBeUndefined();
    expect(await filesUnder(dir)).toEqual([]);
    expect(cache.stats().originFetches.truncated).toBe(1);
    expect(cache.stats().disk.bytes).toBe(0);
    // Errors are not cached: the next request fills again, and succeeds.
    expect(await cache.warm(key)).toBe('filled');
    expect((await readFile(cache.get(key)!.file)).equals(objects.get(key)!)).toBe(true);
  });

  it('reports a missing object as not found and caches nothing', async () => {
    const { cache, dir } = await newCache();
    const fill = cache.startFill(`${asset}/hls/720p/999.m4s`);
    await expect(fill.ready).rejects.toMatchObject({ kind: 'not_found' });
    expect(await cache.warm(`${asset}/hls/720p/999.m4s`)).toBe('not_found');
    expect(await filesUnder(dir)).toEqual([]);
  });

  it('refuses a new fill beyond maxFills while joiners of a running one still get their bytes', async () => {
    const a = await put('hls/480p/1.m4s', 1024 * 1024);
    const b = await put('hls/480p/2.m4s', 1024);
    const { cache } = await newCache({ maxFills: 1 });
    const gate = proxy.hold(a, 100 * 1024);
    const fill = cache.startFill(a);
    await gate.reached;
    expect(() => cache.startFill(b)).toThrow(TooManyFillsError);
    expect(await cache.warm(b)).toBe('busy');
    const joiner = cache.filling(a)!;
    await joiner.ready;
    const body = readAll(joiner.createReader());
    gate.release();
    expect((await body).equals(objects.get(a)!)).toBe(true);
    await fill.done;
    expect(cache.stats().fillsRefused).toBe(2);
    expect(await cache.warm(b)).toBe('filled');
  });

  it('keeps RAM copies of startup artifacts only', async () => {
    const opener = await put('opener.mp4', 200 * 1024);
    const seg0 = await put('hls/360p/0.m4s', 50 * 1024);
    const seg9 = await put('hls/360p/9.m4s', 50 * 1024);
    const thumb = await put('thumbnail.jpg', 10 * 1024);
    const { cache } = await newCache();
    for (const k of [opener, seg0, seg9, thumb]) await cache.warm(k);
    expect(cache.get(opener)!.body?.equals(objects.get(opener)!)).toBe(true);
    expect(cache.get(seg0)!.body).toBeDefined();
    expect(cache.get(seg9)!.body).toBeUndefined();
    expect(cache.get(thumb)!.body).toBeUndefined();
    expect(cache.stats().ram).toMatchObject({ entries: 2, bytes: 250 * 1024 });
  });

  it('evicts the least recently used files once over budget, from RAM too', async () => {
    const keys = await Promise.all(
      ['hls/240p/0.m4s', 'hls/240p/11.m4s', 'hls/240p/12.m4s', 'hls/240p/13.m4s'].map((p) => put(p, 100 * 1024)),
    );
    const { cache } = await newCache({ diskBytes: 350 * 1024 });
    const [k0, k1, k2, k3] = keys as [string, string, string, string];
    for (const k of [k0, k1, k2]) await cache.warm(k);
    expect(cache.get(k0)!.body).toBeDefined();
    cache.get(k0); // k1 is now the least recently used
    const k1file = cache.get(k1)!.file;
    cache.get(k2);
    cache.get(k0);
    await cache.warm(k3);
    expect(cache.get(k1)).toBeUndefined();
    await expect(stat(k1file)).rejects.toThrow();
    expect(cache.get(k0)?.body).toBeDefined();
    expect(cache.get(k2)).toBeDefined();
    expect(cache.stats().disk).toMatchObject({ entries: 3, bytes: 300 * 1024, evictions: 1 });
  });

  it('purges files of the asset, one or all, and refills afterwards', async () => {
    const k1 = await put('hls/1080p/init.mp4', 1000);
    const k2 = await put('hls/1080p/3.m4s', 2000);
    const { cache, dir } = await newCache();
    await cache.warm(k1);
    await cache.warm(k2);
    expect(await cache.purge(asset, ['hls/1080p/init.mp4'])).toEqual({ ram: 1, disk: 1, fills: 0 });
    expect(cache.get(k1)).toBeUndefined();
    expect(cache.get(k2)).toBeDefined();
    expect(await cache.purge(asset)).toEqual({ ram: 0, disk: 1, fills: 0 });
    expect(await filesUnder(join(dir, 'objects'))).toEqual([]);
    expect(cache.stats().disk).toMatchObject({ entries: 0, bytes: 0 });
    await expect(cache.purge('../x')).rejects.toThrow();
    expect(await cache.warm(k2)).toBe('filled');
  });

  it('serves what a previous run cached after a restart, and clears what it left half done', async () => {
    const seg = await put('hls/720p/8.m4s', 300 * 1024);
    const opener = await put('opener.mp4', 20 * 1024);
    const { cache, dir } = await newCache();
    await cache.warm(seg);
    await cache.warm(opener);
    const before = cache.get(seg)!;
    await cache.stop();
    await writeFile(join(dir, 'tmp', 'deadbeef.part'), 'half a fill');
    await mkdir(join(dir, 'objects', asset, 'hls'), { recursive: true });
    await writeFile(join(dir, 'objects', asset, 'hls', 'notes.txt'), 'not an artifact');

    const gets = proxy.gets.length;
    const { cache: again } = await newCache({ dir });
    const after = again.get(seg)!;
    expect(after).toMatchObject({ size: before.size, etag: before.etag, lastModified: before.lastModified });
    expect((await readFile(after.file)).equals(objects.get(seg)!)).toBe(true);
    expect(await filesUnder(dir)).toEqual([`objects/${opener}`, `objects/${seg}`].sort());
    // The opener's RAM copy comes back from disk, not from the origin.
    again.get(opener);
    await expect.poll(() => again.get(opener)?.body?.length, { timeout: 30_000 }).toBe(20 * 1024);
    expect(proxy.gets.length).toBe(gets);
  });

  it('keeps a bounded number of files open, and a file in use open until its reader is done', async () => {
    const keys = await Promise.all(['hls/720p/20.m4s', 'hls/720p/21.m4s', 'hls/720p/22.m4s'].map((p) => put(p, 1000)));
    const dir = await scratchDir('kino-edge-cache-');
    const cache = createEdgeCache({ dir, origin, log: quiet, diskBytes: 1 << 20, ramBytes: 1 << 20, maxFills: 4, maxOpenFiles: 2 });
    await cache.start();
    const openFd = (obj: CachedObject) =>
      new Promise<number>((resolve, reject) => cache.openFile(obj, (err, fd) => (err ? reject(err) : resolve(fd))));
    for (const k of keys) {
      await cache.warm(k);
      const obj = cache.get(k)!;
      await openFd(obj);
      cache.closeFile(obj);
    }
    expect(cache.stats().openFiles).toBe(2);

    const obj = cache.get(keys[0]!)!;
    const fd = await openFd(obj);
    await cache.purge(asset, ['hls/720p/20.m4s']);
    // Purged and unlinked, yet the reader that holds it reads on.
    const buf = Buffer.alloc(1000);
    expect(readSync(fd, buf, 0, 1000, 0)).toBe(1000);
    expect(buf.equals(objects.get(keys[0]!)!)).toBe(true);
    cache.closeFile(obj);
    expect(cache.stats().openFiles).toBeLessThanOrEqual(2);
    await expect(openFd(obj)).rejects.toMatchObject({ code: 'ENOENT' });
    await cache.stop();
    expect(cache.stats().openFiles).toBe(0);
  });

  it('fails fills at once when the origin is down, leaving nothing behind', async () => {
    const down = await createTestS3();
    const key = `${asset}/hls/720p/1.m4s`;
    const deadOrigin = createS3Origin({ ...down.config }, { maxSockets: 4 });
    await down.close();
    const dir = await scratchDir('kino-edge-cache-');
    const cache = createEdgeCache({ dir, origin: deadOrigin, log: quiet, diskBytes: 1 << 20, ramBytes: 1 << 20, maxFills: 4 });
    await cache.start();
    await expect(cache.startFill(key).ready).rejects.toMatchObject({ kind: 'unavailable' });
    expect(cache.filling(key)).toBeUndefined();
    expect(await filesUnder(dir)).toEqual([]);
    expect(cache.stats().originFetches.unavailable).toBe(1);
    deadOrigin.close();
    await rm(dir, { recursive: true, force: true });
  });
});
