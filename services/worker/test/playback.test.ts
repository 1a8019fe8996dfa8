import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConfig, makeFixture } from '@kino/testkit';
import { createEdge, type Edge } from '@kino/edge';
import { startStack, type Stack } from '@kino/testkit-stack';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';

let s: Stack;
let edge: Edge;
beforeAll(async () => {
  s = await startStack();
  edge = await createEdge(await createTestConfig(s.db, s.s3, { KINO_API_URL: s.api.url, EDGE_ID: 'e2e-edge', EDGE_REGION: 'test' }));
  await edge.start();
  // The edge registers itself; playback is handed out only once the api has heard from it.
  for (let i = 0; i < 100 && (await s.db.sql`select 1 from edges`).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  await s.startWorker();
});
afterAll(async () => {
  await edge?.stop();
  await s?.close();
});

const auth = () => ({ authorization: `Bearer ${s.key}` });

async function originBytes(key: string): Promise<Buffer> {
  const res = await s.s3.storage.s3.send(new GetObjectCommand({ Bucket: s.s3.storage.bucket, Key: key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

describe('from upload to a playable signed URL', () => {
  it('is a 404 before the opener exists, then wait=playable returns URLs that play through the edge', async () => {
    const file = await makeFixture('standard', join(s.work, 'wait.mp4'), { width: 640, height: 360, seconds: 9 });
    const body = await readFile(file);

    // Without waiting the upload answers at once, and nothing is playable yet.
    const quick = (await (
      await fetch(`${s.api.url}/v1/videos`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'video/mp4' },
        body,
      })
    ).json()) as any;
    const early = await fetch(`${s.api.url}/v1/assets/${quick.id}/playback`, { headers: auth() });
    expect(early.status).toBe(404);
    expect(((await early.json()) as any).error.code).toBe('ASSET_NOT_PLAYABLE');

    const res = await fetch(`${s.api.url}/v1/videos?wait=playable&timeout_seconds=60`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'video/mp4' },
      body,
    });
    expect(res.status).toBe(201);
    const asset = (await res.json()) as any;
    expect(asset.playable_state).not.toBe('not_playable');
    expect(asset.wait).toEqual({ timed_out: false, waited_seconds: expect.any(Number) });
    expect(asset.playback.edge.id).toBe('e2e-edge');
    const opener = await fetch(asset.playback.urls.opener);
    expect(opener.status).toBe(200);
    expect(opener.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await opener.arrayBuffer()).equals(await originBytes(`videos/${asset.id}/opener.mp4`))).toBe(true);

    // Once the ladder is there, the master and everything it names play byte for byte.
    await s.waitFor(asset.id, (a) => a.playable_state === 'hls_ready');
    const block = (await (await fetch(`${s.api.url}/v1/assets/${asset.id}/playback`, { headers: auth() })).json()) as any;
    const seen: string[] = [];
    async function walk(url: string): Promise<void> {
      const r = await fetch(url);
      expect(r.status).toBe(200);
      const bytes = Buffer.from(await r.arrayBuffer());
      const path = url.split(`/${asset.id}/`)[1]!;
      expect(bytes.equals(await originBytes(`videos/${asset.id}/${path}`))).toBe(true);
      seen.push(path);
      if (!path.endsWith('.m3u8')) return;
      for (const line of bytes.toString('utf8').split('\n')) {
        // The init segment (EXT-X-MAP), the audio rendition (EXT-X-MEDIA), variants and segments.
        const tagged = /^#EXT-X-(MAP|MEDIA):/.test(line) ? /URI="([^"]+)"/.exec(line)?.[1] : undefined;
        const uri = tagged ?? (line && !line.startsWith('#') ? line : null);
        if (uri) await walk(new URL(uri, url).toString());
      }
    }
    await walk(block.urls.master);
    expect(seen).toEqual(
      expect.arrayContaining([
        'hls/master.m3u8',
        'hls/360p/index.m3u8',
        'hls/360p/init.mp4',
        'hls/240p/2.m4s',
        'hls/audio/index.m3u8',
        'hls/audio/init.mp4',
        'hls/audio/2.m4s',
      ]),
    );
  });

  it("warms the edges: asset.edges_warmed names the edge, and the first viewer's requests are HITs", async () => {
    const asset = await s.upload('standard', { width: 640, height: 360, seconds: 6 });
    const warmed = async () =>
      (
        await s.db.sql<{ data: { paths: string[]; ok: string[]; failed: string[] } }[]>`
      select data from asset_events where asset_id = ${asset.id} and type = 'asset.edges_warmed' order by seq`
      ).map((r) => r.data);
    // Four warms, each as soon as its files are published: the master and the startup
    // playlists at probe time, then the opener, then the thumbnail, then the storyboard.
    await expect.poll(async () => (await warmed()).length, { timeout: 90_000, interval: 200 }).toBe(4);
    await s.waitFor(asset.id, (a) => a.playable_state === 'hls_ready');
    const block = (await (await fetch(`${s.api.url}/v1/assets/${asset.id}/playback`, { headers: auth() })).json()) as any;
    expect(block.startup_rendition).toEqual(expect.any(String));
    // The warms run beside the pipeline, so their events may land in any order.
    const all = await warmed();
    expect(all).toEqual(
      expect.arrayContaining([
        {
          paths: expect.arrayContaining(['hls/master.m3u8', `hls/${block.startup_rendition}/index.m3u8`]),
          ok: ['e2e-edge'],
          failed: [],
        },
        { paths: ['opener.mp4'], ok: ['e2e-edge'], failed: [] },
        { paths: ['thumbnail.jpg'], ok: ['e2e-edge'], failed: [] },
        { paths: ['storyboard.vtt', 'storyboard.jpg'], ok: ['e2e-edge'], failed: [] },
      ]),
    );
    // At probe time only playlists exist to warm.
    const playlists = all.find((w) => w.paths.includes('hls/master.m3u8'))!;
    expect(playlists.paths.every((p) => p.endsWith('.m3u8'))).toBe(true);
    const warm = new Set(all.flatMap((w) => w.paths));

    // No viewer has asked yet. The first one's requests for what was warmed never wait on
    // the origin; init segments and segments are not warmed (the video ones may be made just
    // in time), so those need only play. Everything else in the block was warmed.
    const requests = [...new Set([block.urls.opener, block.urls.thumbnail, block.urls.storyboard, ...block.prefetch] as string[])];
    const pathOf = (url: string) => url.split(`/${asset.id}/`)[1]!;
    // The storyboard's sprite is not in the block: the player finds it through the VTT.
    expect([...requests.map(pathOf), 'storyboard.jpg']).toEqual(expect.arrayContaining([...warm]));
    expect(requests.map(pathOf).filter((p) => !warm.has(p))).toEqual(
      requests.map(pathOf).filter((p) => /^hls\/[^/]+\/(init\.mp4|\d+\.m4s)$/.test(p)),
    );
    for (const url of requests) {
      const r = await fetch(url);
      if (warm.has(pathOf(url))) expect([r.status, r.headers.get('x-kino-cache')], url).toEqual([200, 'HIT']);
      else expect(r.status, url).toBe(200);
      await r.arrayBuffer();
    }
  });
});
