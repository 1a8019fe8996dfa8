import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createTestS3, scratchDir, type TestS3 } from '@kino/testkit';
import {
  createEdgeCache,
  createS3Origin,
  Fill,
  FillError,
  withJustInTimeSegments,
  type EdgeCache,
  type FillHolder,
  type FillRefusal,
  type Origin,
  type SegmentAnswer,
} from '../src/index.ts';
import { startOriginProxy, type OriginProxy } from './support/origin-proxy.ts';

// The just-in-time origin in front of a real s3rver (behind the counting proxy), with a
// stand-in for the control plane that makes a segment by putting it into the bucket.

const quiet = { info() {}, warn() {} };

interface Ask {
  assetId: string;
  path: string;
  signal: AbortSignal;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** What the service does with a viewer's request, down to the body (or the refusal, or the fill's failure). */
async function fetchThrough(cache: EdgeCache, key: string, holder: FillHolder): Promise<Buffer | FillRefusal> {
  for (let rounds = 2; ; rounds -= 1) {
    const obj = cache.get(key);
    if (obj !== undefined) return obj.body ?? readFile(obj.file);
    const r = cache.filling(key) ?? cache.admit(key, holder, rounds > 0);
    if (typeof r === 'string') return r;
    if (r instanceof Fill) {
      await r.ready;
      return readAll(r.createReader());
    }
    await r;
  }
}

describe('just-in-time segments', () => {
  let s3: TestS3;
  let proxy: OriginProxy;
  let s3Origin: Origin;
  let origin: Origin;
  const asks: Ask[] = [];
  // What the stand-in control plane does with the next asks; each test sets it.
  let answer: (a: Ask) => Promise<SegmentAnswer> = async () => ({ status: 'refused' });
  const now = Date.now();

  const put = (assetId: string, path: string, body: Buffer) =>
    s3.storage.s3.send(new PutObjectCommand({ Bucket: s3.storage.bucket, Key: `videos/${assetId}/${path}`, Body: body }));
  const getsOf = (assetId: string, path: string) => proxy.gets.filter((k) => k === `videos/${assetId}/${path}`).length;
  const asksFor = (assetId: string) => asks.filter((a) => a.assetId === assetId);

  async function newCache(): Promise<EdgeCache> {
    const cache = createEdgeCache({
      dir: await scratchDir('kino-edge-jit-'),
      origin,
      log: quiet,
      diskBytes: 1 << 30,
      ramBytes: 64 << 20,
      maxFills: 64,
      negativeTtlMs: 5000,
      now: () => now,
    });
    await cache.start();
    return cache;
  }

  beforeAll(async () => {
    s3 = await createTestS3();
    proxy = await startOriginProxy(s3.config.endpoint);
    s3Origin = createS3Origin({ ...s3.config, endpoint: proxy.endpoint }, { maxSockets: 64 });
    origin = withJustInTimeSegments(s3Origin, (assetId, path, signal) => {
      const a = { assetId, path, signal };
      asks.push(a);
      return answer(a);
    });
  });
  afterAll(async () => {
    origin?.close();
    await proxy?.close();
    await s3?.close();
  });

  it('fills a segment the origin lacks once the control plane has made it, asking once for 50 concurrent viewers', async () => {
    const cache = await newCache();
    const id = randomUUID();
    const path = 'hls/720p/12.m4s';
    const body = randomBytes(300_000);
    let made!: () => void;
    const making = new Promise<void>((r) => (made = r));
    answer = async (a) => {
      await making;
      await put(a.assetId, a.path, body);
      return { status: 'ready' };
    };
    const holder = { token: 't', asset: id };
    const first = fetchThrough(cache, `${id}/${path}`, holder);
    // The ask is in flight: everyone from now on joins the fill that waits on it.
    await expect.poll(() => asksFor(id).length, { timeout: 10_000 }).toBe(1);
    const others = Array.from({ length: 49 }, () => fetchThrough(cache, `${id}/${path}`, holder));
    made();
    for (const got of await Promise.all([first, ...others])) expect((got as Buffer).equals(body)).toBe(true);
    expect(asksFor(id)).toMatchObject([{ assetId: id, path }]);
    // One GET that found nothing, one once it was made.
    expect(getsOf(id, path)).toBe(2);
    await expect.poll(() => cache.get(`${id}/${path}`) !== undefined, { timeout: 10_000 }).toBe(true);
    expect(((await fetchThrough(cache, `${id}/${path}`, holder)) as Buffer).equals(body)).toBe(true);
    expect(asksFor(id)).toHaveLength(1);
    await cache.stop();
  });

  it('answers 404 for a segment the control plane refuses, and remembers it like any origin 404', async () => {
    const cache = await newCache();
    const id = randomUUID();
    answer = async () => ({ status: 'refused' });
    const holder = { token: 't', asset: id };
    await expect(fetchThrough(cache, `${id}/hls/720p/init.mp4`, holder)).rejects.toMatchObject({ kind: 'not_found' });
    expect(await fetchThrough(cache, `${id}/hls/720p/init.mp4`, holder)).toBe('not_found');
    expect(asksFor(id)).toMatchObject([{ path: 'hls/720p/init.mp4' }]);
    expect(getsOf(id, 'hls/720p/init.mp4')).toBe(1);
    await cache.stop();
  });

  it('reports a busy control plane with its Retry-After and remembers nothing: the next request asks again', async () => {
    const cache = await newCache();
    const id = randomUUID();
    const path = 'hls/360p/3.m4s';
    const holder = { token: 't', asset: id };
    answer = async () => ({ status: 'busy', retryAfterSec: 7 });
    const busy = await fetchThrough(cache, `${id}/${path}`, holder).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(busy).toBeInstanceOf(FillError);
    expect(busy).toMatchObject({ kind: 'not_ready', retryAfterSec: 7 });
    expect(cache.stats().originFetches.not_ready).toBe(1);

    const body = randomBytes(50_000);
    answer = async (a) => {
      await put(a.assetId, a.path, body);
      return { status: 'ready' };
    };
    expect(((await fetchThrough(cache, `${id}/${path}`, holder)) as Buffer).equals(body)).toBe(true);
    expect(asksFor(id)).toHaveLength(2);
    await cache.stop();
  });

  it('fails a fill as the origin being unavailable when the control plane cannot be asked, and remembers nothing', async () => {
    const cache = await newCache();
    const id = randomUUID();
    answer = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    const holder = { token: 't', asset: id };
    await expect(fetchThrough(cache, `${id}/hls/360p/0.m4s`, holder)).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(fetchThrough(cache, `${id}/hls/360p/0.m4s`, holder)).rejects.toMatchObject({ kind: 'unavailable' });
    expect(asksFor(id)).toHaveLength(2);
    await cache.stop();
  });

  it('never asks for the opener, the thumbnail or a playlist', async () => {
    const cache = await newCache();
    const id = randomUUID();
    answer = async () => ({ status: 'ready' });
    const holder = { token: 't', asset: id };
    for (const path of ['opener.mp4', 'thumbnail.jpg', 'hls/master.m3u8', 'hls/720p/index.m3u8']) {
      await expect(fetchThrough(cache, `${id}/${path}`, holder)).rejects.toMatchObject({ kind: 'not_found' });
    }
    expect(asksFor(id)).toEqual([]);
    await cache.stop();
  });

  it('calls the ask off when every viewer waiting for it left, not while one still waits', async () => {
    const cache = await newCache();
    const id = randomUUID();
    const key = `${id}/hls/720p/9.m4s`;
    const holder = { token: 't', asset: id };
    answer = (a) => new Promise((_, reject) => a.signal.addEventListener('abort', () => reject(a.signal.reason), { once: true }));
    const fill = cache.admit(key, holder, true) as Fill;
    expect(fill).toBeInstanceOf(Fill);
    const failed = fill.ready.then(
      () => undefined,
      (err: unknown) => err,
    );
    const first = fill.want();
    const second = fill.want();
    await expect.poll(() => asksFor(id).length, { timeout: 10_000 }).toBe(1);
    first();
    first(); // a second call is the same leaving
    expect(asksFor(id)[0]!.signal.aborted).toBe(false);
    expect(cache.filling(key)).toBe(fill);
    second();
    expect(asksFor(id)[0]!.signal.aborted).toBe(true);
    // Nobody joins a fill that was called off: the next viewer starts afresh.
    expect(cache.filling(key)).toBeUndefined();
    expect(await failed).toMatchObject({ kind: 'aborted' });
    const body = randomBytes(10_000);
    answer = async (a) => {
      await put(a.assetId, a.path, body);
      return { status: 'ready' };
    };
    expect(((await fetchThrough(cache, key, holder)) as Buffer).equals(body)).toBe(true);
    await cache.stop();
  });

  it('runs a fill to its end once the origin answered, whoever leaves, and never calls off a warm', async () => {
    const cache = await newCache();
    const id = randomUUID();
    const body = randomBytes(10_000);
    await put(id, 'hls/720p/3.m4s', body);
    const fill = cache.admit(`${id}/hls/720p/3.m4s`, { token: 't', asset: id }, true) as Fill;
    const leave = fill.want();
    await fill.ready;
    leave();
    await fill.done;
    expect(cache.get(`${id}/hls/720p/3.m4s`)).toBeDefined();

    // A warm joins a viewer's fill that waits on the control plane; the viewer leaves.
    let made!: () => void;
    answer = (a) =>
      new Promise((resolve) => {
        made = () => void put(a.assetId, a.path, body).then(() => resolve({ status: 'ready' }));
      });
    const viewer = cache.admit(`${id}/hls/720p/4.m4s`, { token: 't', asset: id }, true) as Fill;
    const left = viewer.want();
    await expect.poll(() => asksFor(id).length, { timeout: 10_000 }).toBe(1);
    const warmed = cache.warm(`${id}/hls/720p/4.m4s`);
    left();
    expect(asksFor(id)[0]!.signal.aborted).toBe(false);
    made();
    expect(await warmed).toBe('joined');
    expect(cache.get(`${id}/hls/720p/4.m4s`)).toBeDefined();
    await cache.stop();
  });

  it('aborts the ask when its fill is aborted (the edge stopping)', async () => {
    const cache = await newCache();
    const id = randomUUID();
    // A control plane that answers only once the edge has let go.
    answer = (a) => new Promise((_, reject) => a.signal.addEventListener('abort', () => reject(a.signal.reason), { once: true }));
    const failed = fetchThrough(cache, `${id}/hls/720p/5.m4s`, { token: 't', asset: id }).then(
      () => undefined,
      (err: unknown) => err,
    );
    await expect.poll(() => asksFor(id).length, { timeout: 10_000 }).toBe(1);
    await cache.stop();
    expect(asksFor(id)[0]!.signal.aborted).toBe(true);
    expect(await failed).toMatchObject({ kind: 'aborted' });
  });
});
