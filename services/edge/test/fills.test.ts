import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { filesUnder, get, internal, sample, settled, startEdgeHarness, uploadAsset, type EdgeHarness } from '@kino/testkit-stack';

interface Pending {
  response: Promise<IncomingMessage>;
  body: Promise<Buffer>;
}

/** A GET whose response headers and body can be awaited separately, each on its own socket. */
function start(url: string): Pending {
  const req = httpRequest(url, { agent: false });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  const body = response.then(async (res) => {
    const parts: Buffer[] = [];
    for await (const c of res) parts.push(c as Buffer);
    return Buffer.concat(parts);
  });
  body.catch(() => {});
  req.end();
  return { response, body };
}

describe('edge fills', () => {
  let h: EdgeHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('sends 50 concurrent cold requests to the origin once, and survives a client leaving mid-fill', async () => {
    h = await startEdgeHarness();
    const path = 'hls/720p/3.m4s';
    const id = await uploadAsset(h, { [path]: 1024 * 1024 });
    const url = await h.url(id, path);
    // The origin sends a quarter, then waits: every request below arrives during the fill.
    const gate = h.proxy.hold(`${id}/${path}`, 256 * 1024);
    const requests = Array.from({ length: 50 }, () => start(url));
    const responses = await Promise.all(requests.map((r) => r.response));

    // One more, who reads a little of the fill in progress and hangs up.
    const quitter = await start(url).response;
    expect(quitter.headers['x-kino-cache']).toBe('COALESCED');
    await once(quitter, 'data');
    quitter.destroy();
    await once(quitter, 'close');

    gate.release();
    const bodies = await Promise.all(requests.map((r) => r.body));
    const origin = await h.originBytes(id, path);
    for (const body of bodies) expect(body.equals(origin)).toBe(true);
    const statuses = responses.map((r) => `${r.statusCode} ${r.headers['x-kino-cache']}`);
    expect(statuses.filter((s) => s === '200 MISS')).toHaveLength(1);
    expect(statuses.filter((s) => s === '200 COALESCED')).toHaveLength(49);
    expect(h.originGets.filter((k) => k === `videos/${id}/${path}`)).toHaveLength(1);

    await settled(h);
    const hit = await get(url);
    expect(hit.headers['x-kino-cache']).toBe('HIT');
    expect(hit.body.equals(origin)).toBe(true);
    expect(h.originGets.filter((k) => k === `videos/${id}/${path}`)).toHaveLength(1);
  });

  it('streams the first bytes of a cold MISS while the origin is still sending', async () => {
    h = await startEdgeHarness();
    const path = 'opener.mp4';
    const size = 6 * 1024 * 1024;
    const id = await uploadAsset(h, { [path]: size });
    // The origin sends half, then waits until the test has seen the client's first bytes.
    const gate = h.proxy.hold(`${id}/${path}`, size / 2);
    let released = false;
    let bytesBeforeRelease = 0;
    const parts: Buffer[] = [];
    const url = await h.url(id, path);
    const res = await new Promise<IncomingMessage>((resolve, reject) =>
      httpRequest(url, { agent: false }, resolve).on('error', reject).end(),
    );
    expect(res.headers['x-kino-cache']).toBe('MISS');
    expect(res.headers['content-length']).toBe(String(size));
    const ended = new Promise((resolve) => res.on('end', resolve));
    await new Promise<void>((resolve) =>
      res.on('data', (c: Buffer) => {
        parts.push(c);
        if (!released) bytesBeforeRelease += c.length;
        resolve();
      }),
    );
    // The origin response is not finished: the gate still holds its second half.
    expect(bytesBeforeRelease).toBeGreaterThan(0);
    expect(bytesBeforeRelease).toBeLessThanOrEqual(size / 2);
    released = true;
    gate.release();
    await ended;
    expect(Buffer.concat(parts).equals(await h.originBytes(id, path))).toBe(true);
  });

  it('keeps serving what it has when the origin is gone, refuses misses with 502 and caches nothing partial', async () => {
    h = await startEdgeHarness();
    const id = await uploadAsset(h, { 'hls/360p/4.m4s': 100_000, 'hls/360p/5.m4s': 2 * 1024 * 1024, 'hls/360p/6.m4s': 100_000 });
    const cached = await h.url(id, 'hls/360p/4.m4s');
    expect((await get(cached)).status).toBe(200);
    await settled(h);

    // An origin that breaks off mid-body: the client sees a short body and an error, never a clean 200.
    h.proxy.cut(`${id}/hls/360p/5.m4s`, 300_000);
    const broken = start(await h.url(id, 'hls/360p/5.m4s'));
    const brokenRes = await broken.response;
    expect(brokenRes.statusCode).toBe(200);
    await expect(broken.body).rejects.toThrow();
    await settled(h);
    expect(await filesUnder(`${h.cacheDir}/tmp`)).toEqual([]);
    expect(await filesUnder(`${h.cacheDir}/objects`)).toEqual([`${id}/hls/360p/4.m4s`]);

    await h.proxy.close();
    const hit = await get(cached);
    expect(hit.status).toBe(200);
    expect(hit.headers['x-kino-cache']).toBe('HIT');
    const miss = await get(await h.url(id, 'hls/360p/6.m4s'));
    expect(miss.status).toBe(502);
    expect(JSON.parse(miss.body.toString()).error.code).toBe('ORIGIN_UNAVAILABLE');
    expect(await filesUnder(`${h.cacheDir}/tmp`)).toEqual([]);
    expect(await filesUnder(`${h.cacheDir}/objects`)).toEqual([`${id}/hls/360p/4.m4s`]);
    const { text } = await internal(h, '/metrics');
    expect(sample(text, 'kino_edge_origin_fetches_total{result="truncated"}')).toBe(1);
    expect(sample(text, 'kino_edge_origin_fetches_total{result="unavailable"}')).toBe(1);
    expect(sample(text, 'kino_edge_requests_total{cache="NONE",status="502"}')).toBe(1);
    expect(JSON.parse((await get(`${h.edge.url}/readyz`)).body.toString()).checks.origin).not.toBe('ok');
  });

  it('refuses new fills beyond EDGE_MAX_FILLS with 503 while joiners of a running fill succeed', async () => {
    h = await startEdgeHarness({ EDGE_MAX_FILLS: '1' });
    const id = await uploadAsset(h, { 'hls/240p/2.m4s': 500_000, 'hls/240p/3.m4s': 1000 });
    const gate = h.proxy.hold(`${id}/hls/240p/2.m4s`, 100_000);
    const first = start(await h.url(id, 'hls/240p/2.m4s'));
    expect((await first.response).headers['x-kino-cache']).toBe('MISS');
    const busy = await get(await h.url(id, 'hls/240p/3.m4s'));
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
    expect(JSON.parse(busy.body.toString()).error.code).toBe('TOO_MANY_FILLS');
    const joiner = start(await h.url(id, 'hls/240p/2.m4s'));
    expect((await joiner.response).headers['x-kino-cache']).toBe('COALESCED');
    gate.release();
    const origin = await h.originBytes(id, 'hls/240p/2.m4s');
    expect((await first.body).equals(origin)).toBe(true);
    expect((await joiner.body).equals(origin)).toBe(true);
    await settled(h);
    expect((await get(await h.url(id, 'hls/240p/3.m4s'))).status).toBe(200);
    expect(sample((await internal(h, '/metrics')).text, 'kino_edge_fills_refused_total')).toBe(1);
  });

  it('evicts the least recently used artifacts once over its disk budget', async () => {
    h = await startEdgeHarness({ EDGE_CACHE_BYTES: '350000' });
    const paths = ['hls/240p/2.m4s', 'hls/240p/3.m4s', 'hls/240p/4.m4s', 'hls/240p/5.m4s'];
    const id = await uploadAsset(h, Object.fromEntries(paths.map((p) => [p, 100_000])));
    const cacheOf = async (p: string) => (await get(await h!.url(id, p))).headers['x-kino-cache'];
    for (const p of paths.slice(0, 3)) {
      expect(await cacheOf(p)).toBe('MISS');
      await settled(h);
    }
    expect(await cacheOf(paths[0]!)).toBe('HIT'); // 3.m4s is now the least recently used
    expect(await cacheOf(paths[3]!)).toBe('MISS');
    await settled(h);
    expect(await filesUnder(`${h.cacheDir}/objects/${id}`)).toEqual(['hls/240p/2.m4s', 'hls/240p/4.m4s', 'hls/240p/5.m4s']);
    expect(await cacheOf(paths[0]!)).toBe('HIT');
    expect(await cacheOf(paths[2]!)).toBe('HIT');
    expect(await cacheOf(paths[1]!)).toBe('MISS');
    const { text } = await internal(h, '/metrics');
    expect(sample(text, 'kino_edge_cache_evictions_total{tier="disk"}')).toBe(2);
    expect(sample(text, 'kino_edge_cache_bytes{tier="disk"}')).toBeLessThanOrEqual(350_000);
  });

  it('finishes a HIT streaming from disk when the file is purged under it', async () => {
    h = await startEdgeHarness();
    const path = 'hls/720p/12.m4s';
    const id = await uploadAsset(h, { [path]: 8 * 1024 * 1024 });
    const url = await h.url(id, path);
    await get(url);
    await settled(h);
    const res = await new Promise<IncomingMessage>((resolve, reject) =>
      httpRequest(url, { agent: false }, resolve).on('error', reject).end(),
    );
    expect(res.headers['x-kino-cache']).toBe('HIT');
    // A slow viewer: it has read a little, the rest waits in socket buffers and on disk.
    res.pause();
    const purged = await internal(h, '/internal/purge', { asset_id: id });
    expect(purged.json.purged.disk).toBe(1);
    expect(await filesUnder(`${h.cacheDir}/objects`)).toEqual([]);
    const parts: Buffer[] = [];
    for await (const c of res) parts.push(c as Buffer);
    expect(Buffer.concat(parts).equals(await h.originBytes(id, path))).toBe(true);
    expect((await get(url)).headers['x-kino-cache']).toBe('MISS');
    await settled(h);
    expect(sample((await internal(h, '/metrics')).text, 'kino_edge_open_files')).toBeLessThanOrEqual(1);
  });

  it('serves its cached files as HITs after a restart', async () => {
    h = await startEdgeHarness();
    const id = await uploadAsset(h, { 'opener.mp4': 150_000, 'hls/1080p/9.m4s': 400_000 });
    for (const p of ['opener.mp4', 'hls/1080p/9.m4s']) expect((await get(await h.url(id, p))).headers['x-kino-cache']).toBe('MISS');
    await settled(h);
    await h.restart();
    for (const p of ['opener.mp4', 'hls/1080p/9.m4s']) {
      const res = await get(await h.url(id, p));
      expect(res.headers['x-kino-cache']).toBe('HIT');
      expect(res.body.equals(await h.originBytes(id, p))).toBe(true);
    }
    // (The segment's MISS also asked for the asset's master playlist, to learn what it lists.)
    expect(h.originGets.filter((k) => k.startsWith(`videos/${id}/`) && !k.endsWith('.m3u8'))).toHaveLength(2);
  });

  it('registers with the api, heartbeats and applies its revocation list, serving before the api is up', async () => {
    // A port with nothing behind it yet: the api "starts later".
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));

    h = await startEdgeHarness({
      KINO_API_URL: `http://127.0.0.1:${port}`,
      EDGE_HEARTBEAT_SECONDS: '1',
      EDGE_REGION: 'eu-test',
      EDGE_ID: 'edge-under-test',
    });
    const id = await uploadAsset(h, { 'thumbnail.jpg': 1000 });
    const deleted = await uploadAsset(h, { 'thumbnail.jpg': 1000 });
    expect((await get(await h.url(id, 'thumbnail.jpg'))).status).toBe(200);
    const deletedUrl = await h.url(deleted, 'thumbnail.jpg');
    expect((await get(deletedUrl)).status).toBe(200);

    const beats: Array<{ auth: string | undefined; body: any }> = [];
    const api = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        if (req.url === '/internal/revocations' && req.headers.authorization === `Bearer ${h!.config.internalToken}`) {
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ window_seconds: 3660, assets: [{ id: deleted, deleted_at: new Date().toISOString() }] }));
        }
        if (req.url === '/internal/edges/heartbeat')
          beats.push({ auth: req.headers.authorization, body: JSON.parse(Buffer.concat(parts).toString()) });
        res.writeHead(204).end();
      });
    });
    api.listen(port, '127.0.0.1');
    await once(api, 'listening');
    try {
      await expect.poll(() => beats.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      expect(beats[0]).toEqual({
        auth: `Bearer ${h.config.internalToken}`,
        body: { id: 'edge-under-test', region: 'eu-test', public_url: h.edge.url, internal_url: h.edge.url },
      });
      // The deleted asset is refused (its token is still a valid JWT); the other plays on.
      await expect.poll(async () => (await get(deletedUrl)).status, { timeout: 10_000 }).toBe(410);
      expect(JSON.parse((await get(deletedUrl)).body.toString()).error.code).toBe('ASSET_DELETED');
      expect((await get(await h.url(id, 'thumbnail.jpg'))).status).toBe(200);
      // Once stop resolves the heartbeat timer is cleared. The signal that no beat follows: a
      // restarted edge (on a port, so a public_url, of its own) beats three times, two of its
      // intervals, and every beat seen since the stop is one of its own.
      const stoppedUrl = h.edge.url;
      await h.edge.stop();
      const after = beats.length;
      await h.restart();
      expect(h.edge.url).not.toBe(stoppedUrl);
      const restarted = () => beats.slice(after).filter((b) => b.body.public_url === h!.edge.url).length;
      await expect.poll(restarted, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      expect(beats.slice(after).map((b) => b.body.public_url)).toEqual(beats.slice(after).map(() => h!.edge.url));
    } finally {
      api.closeAllConnections();
      await new Promise((r) => api.close(r));
    }
  });
});
