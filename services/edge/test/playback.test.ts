import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  filesUnder,
  get,
  internal,
  sample,
  settled,
  startEdgeHarness,
  startSegmentApi,
  uploadAsset,
  uploadHlsAsset,
  type EdgeHarness,
  type SegmentApi,
} from '@kino/testkit-stack';

describe('edge playback', () => {
  let h: EdgeHarness;
  let api: SegmentApi;
  let asset: { assetId: string; paths: string[] };
  beforeAll(async () => {
    // The api refuses to make the segments the origin lacks, as for an asset it does not know.
    api = await startSegmentApi();
    h = await startEdgeHarness({ KINO_API_URL: api.url });
    asset = await uploadHlsAsset(h);
  });
  afterAll(async () => {
    await h?.close();
    await api?.close();
  });

  it('plays a signed master URL end to end, every playlist and segment equal to the origin object', async () => {
    const masterUrl = await h.url(asset.assetId, 'hls/master.m3u8');
    const fetched = new Map<string, Buffer>();
    const fetch = async (url: string) => {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      const path = new URL(url).pathname.split('/').slice(4).join('/');
      expect(res.body.equals(await h.originBytes(asset.assetId, path)), path).toBe(true);
      fetched.set(path, res.body);
      return res;
    };
    // As a player does: URIs in each playlist resolve against that playlist's URL.
    const master = await fetch(masterUrl);
    expect(master.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    const media = master.body
      .toString()
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(media).toHaveLength(2);
    for (const uri of media) {
      const playlistUrl = new URL(uri, masterUrl).href;
      const playlist = (await fetch(playlistUrl)).body.toString();
      const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)![1]!;
      const segments = playlist.split('\n').filter((l) => l && !l.startsWith('#'));
      expect(segments.length).toBeGreaterThanOrEqual(3);
      const initRes = await fetch(new URL(init, playlistUrl).href);
      expect(initRes.headers['content-type']).toBe('video/mp4');
      for (const seg of segments) {
        const res = await fetch(new URL(seg, playlistUrl).href);
        expect(res.headers['content-type']).toBe('video/iso.segment');
        expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      }
    }
    expect([...fetched.keys()].sort()).toEqual(asset.paths.filter((p) => p.startsWith('hls/')).sort());
  });

  it('answers MISS, then HIT, with validators, CORS and the right types', async () => {
    const url = await h.url(asset.assetId, 'thumbnail.jpg');
    const miss = await get(url);
    expect(miss.status).toBe(200);
    expect(miss.headers).toMatchObject({
      'x-kino-cache': 'MISS',
      'content-type': 'image/jpeg',
      'access-control-allow-origin': '*',
      'cache-control': 'public, max-age=31536000, immutable',
    });
    expect(miss.headers['access-control-expose-headers']).toContain('X-Kino-Cache');
    await settled(h);
    const hit = await get(url);
    expect(hit.headers['x-kino-cache']).toBe('HIT');
    expect(hit.body.equals(miss.body)).toBe(true);
    expect(hit.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(hit.headers['last-modified']).toBe(miss.headers['last-modified']);
    expect(Number(hit.headers['content-length'])).toBe(hit.body.length);
    const playlist = await get(await h.url(asset.assetId, 'hls/240p/index.m3u8'));
    expect(playlist.headers['cache-control']).toBe('public, max-age=2');
  });

  it('serves byte ranges of cached artifacts, from RAM and from disk, and 416 outside them', async () => {
    const id = await uploadAsset(h, { 'opener.mp4': 200_000, 'hls/720p/5.m4s': 300_000 });
    for (const path of ['opener.mp4', 'hls/720p/5.m4s']) {
      const url = await h.url(id, path);
      const whole = (await get(url)).body;
      await settled(h);
      for (const [range, start, end] of [
        ['bytes=0-99', 0, 99],
        ['bytes=1000-', 1000, whole.length - 1],
        ['bytes=-500', whole.length - 500, whole.length - 1],
      ] as const) {
        const res = await get(url, { range });
        expect(res.status, range).toBe(206);
        expect(res.headers['x-kino-cache']).toBe('HIT');
        expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${whole.length}`);
        expect(res.body.equals(whole.subarray(start, end + 1))).toBe(true);
      }
      const outside = await get(url, { range: `bytes=${whole.length}-` });
      expect(outside.status).toBe(416);
      expect(outside.headers['content-range']).toBe(`bytes */${whole.length}`);
    }
  });

  it('answers HEAD with the headers alone, and conditional requests with 304', async () => {
    const id = await uploadAsset(h, { 'hls/720p/init.mp4': 5000 });
    const url = await h.url(id, 'hls/720p/init.mp4');
    const head = await get(url, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['x-kino-cache']).toBe('MISS');
    expect(head.headers['content-length']).toBe('5000');
    await settled(h);
    const full = await get(url);
    expect(full.headers['x-kino-cache']).toBe('HIT');
    expect((await get(url, {}, 'HEAD')).headers).toMatchObject({
      'content-length': '5000',
      'x-kino-cache': 'HIT',
      etag: full.headers.etag,
    });
    const notModified = await get(url, { 'if-none-match': full.headers.etag! });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect(notModified.headers.etag).toBe(full.headers.etag);
    expect((await get(url, { 'if-modified-since': full.headers['last-modified']! })).status).toBe(304);
    expect((await get(url, { 'if-none-match': '"something-else"' })).status).toBe(200);
  });

  it('answers CORS preflights, Range included', async () => {
    const url = await h.url(asset.assetId, 'hls/master.m3u8');
    const res = await get(
      url,
      { origin: 'https://player.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
      'OPTIONS',
    );
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toContain('GET');
    expect(res.headers['access-control-allow-headers']?.toLowerCase()).toContain('range');
  });

  it('says 404 for an artifact the origin does not have and remembers it briefly; what the playlists do not list is refused unasked', async () => {
    // The asset's playlists were played above, so the edge knows 77.m4s is not in them.
    const unlisted = await get(await h.url(asset.assetId, 'hls/240p/77.m4s'));
    expect(unlisted.status).toBe(404);
    expect(JSON.parse(unlisted.body.toString())).toMatchObject({ error: { code: 'UNPUBLISHED_ARTIFACT', request_id: expect.any(String) } });
    expect(h.originGets.filter((k) => k.endsWith('/hls/240p/77.m4s'))).toHaveLength(0);
    // No playlist rules on a thumbnail: the origin is asked once, its 404 then remembered.
    const bare = await uploadAsset(h, { 'opener.mp4': 1000 });
    for (let i = 0; i < 2; i++) {
      const res = await get(await h.url(bare, 'thumbnail.jpg'));
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body.toString())).toMatchObject({ error: { code: 'ARTIFACT_NOT_FOUND', request_id: expect.any(String) } });
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect(h.originGets.filter((k) => k === `videos/${bare}/thumbnail.jpg`)).toHaveLength(1);
  });

  it('warms artifacts ahead of viewers and purges them', async () => {
    const id = await uploadAsset(h, { 'hls/480p/0.m4s': 1000, 'hls/480p/1.m4s': 1000, 'hls/480p/init.mp4': 1000 });
    const paths = ['hls/480p/0.m4s', 'hls/480p/1.m4s', 'hls/480p/404.m4s'];
    const denied = await internal(h, '/internal/warm', { asset_id: id, artifact_paths: paths }, 'wrong-token');
    expect(denied.status).toBe(401);
    expect(denied.json.error.code).toBe('UNAUTHORIZED');
    const warm = await internal(h, '/internal/warm', { asset_id: id, artifact_paths: paths });
    expect(warm.json).toEqual({
      asset_id: id,
      results: [
        { artifact_path: 'hls/480p/0.m4s', status: 'filled' },
        { artifact_path: 'hls/480p/1.m4s', status: 'filled' },
        { artifact_path: 'hls/480p/404.m4s', status: 'not_found' },
      ],
    });
    expect((await internal(h, '/internal/warm', { asset_id: id, artifact_paths: ['hls/480p/0.m4s'] })).json.results[0].status).toBe('hit');
    const url = await h.url(id, 'hls/480p/0.m4s');
    expect((await get(url)).headers['x-kino-cache']).toBe('HIT');
    const bad = await internal(h, '/internal/warm', { asset_id: id, artifact_paths: ['../../etc/passwd'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('VALIDATION_ERROR');
    expect((await internal(h, '/internal/purge', { asset_id: '../../etc' })).status).toBe(400);

    const one = await internal(h, '/internal/purge', { asset_id: id, artifact_paths: ['hls/480p/0.m4s'] });
    expect(one.json).toEqual({ asset_id: id, purged: { ram: 1, disk: 1, fills: 0 } });
    expect((await get(url)).headers['x-kino-cache']).toBe('MISS');
    await settled(h);
    const all = await internal(h, '/internal/purge', { asset_id: id });
    expect(all.json.purged).toEqual({ ram: 2, disk: 2, fills: 0 });
    expect((await filesUnder(`${h.cacheDir}/objects`)).filter((f) => f.startsWith(id))).toEqual([]);
    expect((await get(url)).headers['x-kino-cache']).toBe('MISS');
  });

  it('refuses a deleted asset at once when its purge carries the revocation', async () => {
    const id = await uploadAsset(h, { 'opener.mp4': 1000 });
    const url = await h.url(id, 'opener.mp4');
    expect((await get(url)).status).toBe(200);
    const purge = await internal(h, '/internal/purge', { asset_id: id, revoke: true });
    expect(purge.status).toBe(200);
    const refused = await get(url);
    expect(refused.status).toBe(410);
    expect(JSON.parse(refused.body.toString()).error.code).toBe('ASSET_DELETED');
    expect((await get(await h.url(id, 'opener.mp4'))).status).toBe(410);
  });

  it('exposes Prometheus metrics behind the internal token', async () => {
    expect((await internal(h, '/metrics', undefined, 'nope')).status).toBe(401);
    const { status, text } = await internal(h, '/metrics');
    expect(status).toBe(200);
    expect(sample(text, 'kino_edge_requests_total{cache="HIT",status="200"}')).toBeGreaterThan(0);
    expect(sample(text, 'kino_edge_requests_total{cache="MISS",status="200"}')).toBeGreaterThan(0);
    expect(sample(text, 'kino_edge_requests_total{cache="HIT",status="206"}')).toBeGreaterThan(0);
    expect(sample(text, 'kino_edge_bytes_served_total')).toBeGreaterThan(0);
    expect(sample(text, 'kino_edge_origin_fetches_total{result="ok"}')).toBeGreaterThan(0);
    expect(sample(text, 'kino_edge_origin_fetches_total{result="not_found"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'kino_edge_fills_avoided_total{reason="not_found"}')).toBe(1);
    expect(sample(text, 'kino_edge_fills_avoided_total{reason="unpublished"}')).toBe(1);
    expect(sample(text, 'kino_edge_published_assets')).toBeGreaterThan(0);
    expect(text).toContain('kino_edge_cache_bytes{tier="ram"}');
    expect(text).toMatch(/^kino_edge_fills_in_flight \d+$/m);
  });

  it('is healthy and ready with its origin and keys', async () => {
    expect((await get(`${h.edge.url}/healthz`)).status).toBe(200);
    const ready = await get(`${h.edge.url}/readyz`);
    expect(JSON.parse(ready.body.toString())).toEqual({ status: 'ok', checks: { origin: 'ok', keys: 'ok' } });
  });
});
