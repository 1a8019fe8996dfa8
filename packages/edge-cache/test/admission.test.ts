import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createTestS3, scratchDir, type TestS3 } from '@kino/testkit';
import {
  createEdgeCache,
  createS3Origin,
  Fill,
  FillError,
  type EdgeCache,
  type FillHolder,
  type FillRefusal,
  type Origin,
} from '../src/index.ts';
import { startOriginProxy, type OriginProxy } from './support/origin-proxy.ts';

// EdgeCache.admit against a real s3rver (behind the counting proxy): what a viewer's cold
// request costs the origin when the path is missing, unpublished, or over its holder's share.

const quiet = { info() {}, warn() {} };
const MASTER = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-STREAM-INF:BANDWIDTH=300000', '240p/index.m3u8', ''].join('\n');
const MEDIA = [
  '#EXTM3U',
  '#EXT-X-MAP:URI="init.mp4"',
  '#EXTINF:4,',
  '0.m4s',
  '#EXTINF:4,',
  '1.m4s',
  '#EXTINF:4,',
  '2.m4s',
  '#EXT-X-ENDLIST',
  '',
].join('\n');

/** What the service does with a request: HIT, join, or admit (with up to two rounds of learning). */
async function request(cache: EdgeCache, key: string, holder: FillHolder): Promise<'HIT' | 'COALESCED' | Fill | FillRefusal> {
  for (let rounds = 2; ; rounds -= 1) {
    if (cache.get(key)) return 'HIT';
    if (cache.filling(key)) return 'COALESCED';
    const r = cache.admit(key, holder, rounds > 0);
    if (r instanceof Fill || typeof r === 'string') return r;
    await r;
  }
}

describe('edge cache admission', () => {
  let s3: TestS3;
  let proxy: OriginProxy;
  let origin: Origin;
  let now = Date.now();

  async function ladder(): Promise<string> {
    const id = randomUUID();
    const put = (path: string, body: Buffer | string) =>
      s3.storage.s3.send(new PutObjectCommand({ Bucket: s3.storage.bucket, Key: `videos/${id}/${path}`, Body: body }));
    await put('hls/master.m3u8', MASTER);
    await put('hls/240p/index.m3u8', MEDIA);
    for (const f of ['init.mp4', '0.m4s', '1.m4s', '2.m4s']) await put(`hls/240p/${f}`, randomBytes(20_000));
    return id;
  }

  async function newCache(o: { maxFills?: number; fillsPerToken?: number; fillsPerAsset?: number; dir?: string } = {}) {
    const cache = createEdgeCache({
      dir: o.dir ?? (await scratchDir('kino-edge-admission-')),
      origin,
      log: quiet,
      diskBytes: 1 << 30,
      ramBytes: 64 << 20,
      maxFills: o.maxFills ?? 64,
      fillsPerToken: o.fillsPerToken,
      fillsPerAsset: o.fillsPerAsset,
      negativeTtlMs: 5000,
      now: () => now,
    });
    await cache.start();
    return cache;
  }

  const getsOf = (prefix: string) => proxy.gets.filter((k) => k.startsWith(`videos/${prefix}`)).length;
  const settle = async (f: unknown) => {
    if (f instanceof Fill) await f.done.catch(() => {});
  };

  beforeAll(async () => {
    s3 = await createTestS3();
    proxy = await startOriginProxy(s3.config.endpoint);
    origin = createS3Origin({ ...s3.config, endpoint: proxy.endpoint }, { maxSockets: 64 });
  });
  afterAll(async () => {
    origin?.close();
    await proxy?.close();
    await s3?.close();
  });

  it('remembers an origin 404 for its TTL: asked again meanwhile, the origin is not', async () => {
    const cache = await newCache();
    const id = randomUUID();
    const holder = { token: 't', asset: id };
    const fill = await request(cache, `${id}/thumbnail.jpg`, holder);
    expect(fill).toBeInstanceOf(Fill);
    await expect((fill as Fill).done).rejects.toThrow(FillError);
    expect(await request(cache, `${id}/thumbnail.jpg`, holder)).toBe('not_found');
    expect(await request(cache, `${id}/thumbnail.jpg`, { token: 'u', asset: id })).toBe('not_found');
    expect(getsOf(`${id}/thumbnail.jpg`)).toBe(1);
    expect(cache.stats().fillsAvoided.not_found).toBe(2);
    // A warm does not consult it (the worker warms right after publishing)…
    await expect(cache.warm(`${id}/thumbnail.jpg`)).resolves.toBe('not_found');
    expect(getsOf(`${id}/thumbnail.jpg`)).toBe(2);
    // …and once the TTL has passed the origin is asked again.
    now += 5001;
    await settle(await request(cache, `${id}/thumbnail.jpg`, holder));
    expect(getsOf(`${id}/thumbnail.jpg`)).toBe(3);
    await cache.stop();
  });

  it('learns the playlists beside a cold request, then refuses what they do not list without a GET', async () => {
    const cache = await newCache();
    const id = await ladder();
    const holder = { token: 't', asset: id };
    // The first cold segment is not held up: it fills at once, and the master is learned alongside.
    const first = await request(cache, `${id}/hls/240p/0.m4s`, holder);
    expect(first).toBeInstanceOf(Fill);
    await settle(first);
    await expect.poll(() => cache.stats().publishedAssets, { timeout: 30_000 }).toBe(1);
    expect(getsOf(`${id}/hls/master.m3u8`)).toBe(1);
    // A rendition the master does not name is refused outright.
    expect(await request(cache, `${id}/hls/1080p/0.m4s`, holder)).toBe('unpublished');
    expect(await request(cache, `${id}/hls/1080p/index.m3u8`, holder)).toBe('unpublished');
    // A listed rendition's segment: filled, and its playlist learned alongside.
    await settle(await request(cache, `${id}/hls/240p/1.m4s`, holder));
    await expect.poll(() => getsOf(`${id}/hls/240p/index.m3u8`), { timeout: 30_000 }).toBe(1);
    await settle(cache.filling(`${id}/hls/240p/index.m3u8`));
    for (const n of [3, 4, 500, 99999]) expect(await request(cache, `${id}/hls/240p/${n}.m4s`, holder)).toBe('unpublished');
    expect(
      getsOf(`${id}/hls/1080p/`) + proxy.gets.filter((k) => /\/hls\/240p\/(3|4|500|99999)\.m4s$/.test(k) && k.includes(id)).length,
    ).toBe(0);
    expect(cache.stats().fillsAvoided.unpublished).toBe(6);
    await cache.stop();
  });

  it('learns playlists from its disk after a restart', async () => {
    const dir = await scratchDir('kino-edge-admission-');
    const id = await ladder();
    const holder = { token: 't', asset: id };
    let cache = await newCache({ dir });
    for (const p of ['hls/master.m3u8', 'hls/240p/index.m3u8']) await expect(cache.warm(`${id}/${p}`)).resolves.toBe('filled');
    await cache.stop();
    // A restart forgets what it learned, but the playlists are on disk.
    cache = await newCache({ dir, fillsPerToken: 1 });
    expect(cache.stats().publishedAssets).toBe(0);
    const gets = proxy.gets.length;
    const stall = proxy.stall(`videos/${id}/hls/240p/2.m4s`);
    const held = await request(cache, `${id}/hls/240p/2.m4s`, holder);
    expect(held).toBeInstanceOf(Fill);
    // Over its share with the playlists unknown: it waits for them to be read from disk, and 78 is not listed.
    expect(await request(cache, `${id}/hls/240p/78.m4s`, holder)).toBe('unpublished');
    expect(proxy.gets.slice(gets)).toEqual([`videos/${id}/hls/240p/2.m4s`]);
    stall.release();
    await settle(held);
    await cache.stop();
  });

  it('gives a token, and an asset, only their share of the fills; a token over its share waits for the playlists rather than fail', async () => {
    const cache = await newCache({ maxFills: 8, fillsPerToken: 2, fillsPerAsset: 3 });
    const id = await ladder();
    const other = await ladder();
    const t1 = { token: 't1', asset: id };
    const t2 = { token: 't2', asset: id };
    // The origin is slow for every segment of the asset: fills stay in flight.
    const stalls = [proxy.stall(`videos/${id}/hls/240p/`, '.m4s'), proxy.stall(`videos/${id}/hls/240p/`, '.mp4')];
    const a = await request(cache, `${id}/hls/240p/0.m4s`, t1);
    const b = await request(cache, `${id}/hls/240p/1.m4s`, t1);
    expect([a, b].every((f) => f instanceof Fill)).toBe(true);
    // t1 is at its share while the edge learns the playlists: it waits, then learns that 9.m4s is not listed.
    expect(await request(cache, `${id}/hls/240p/9.m4s`, t1)).toBe('unpublished');
    // Listed, but t1 is still at its share.
    expect(await request(cache, `${id}/hls/240p/2.m4s`, t1)).toBe('token_busy');
    const d = await request(cache, `${id}/hls/240p/init.mp4`, t2);
    expect(d).toBeInstanceOf(Fill);
    // The asset is at its share (3), whatever the token; another asset is not.
    expect(await request(cache, `${id}/hls/240p/2.m4s`, t2)).toBe('asset_busy');
    const c = await request(cache, `${other}/hls/240p/0.m4s`, { token: 't3', asset: other });
    expect(c).toBeInstanceOf(Fill);
    expect(cache.stats().fillsAvoided).toMatchObject({ token_busy: 1, asset_busy: 1, unpublished: 1 });
    for (const s of stalls) s.release();
    for (const f of [a, b, c, d]) await settle(f);
    // Their fills over, their shares are free again.
    expect(await request(cache, `${id}/hls/240p/2.m4s`, t1)).toBeInstanceOf(Fill);
    await cache.stop();
  });

  it('forgets what it learned of an asset when the asset is purged', async () => {
    const cache = await newCache();
    const id = await ladder();
    const holder = { token: 't', asset: id };
    for (const p of ['hls/master.m3u8', 'hls/240p/index.m3u8']) await cache.warm(`${id}/${p}`);
    expect(await request(cache, `${id}/hls/240p/404.m4s`, holder)).toBe('unpublished');
    await settle(await request(cache, `${id}/opener.mp4`, holder));
    expect(await request(cache, `${id}/opener.mp4`, holder)).toBe('not_found');
    await cache.purge(id);
    expect(cache.stats().publishedAssets).toBe(0);
    const again = await request(cache, `${id}/opener.mp4`, holder);
    expect(again).toBeInstanceOf(Fill);
    await settle(again);
    await cache.stop();
  });
});
