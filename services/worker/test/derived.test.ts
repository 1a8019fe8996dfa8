import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '@kino/media';
import { listKeys } from '@kino/storage';
import { createTestConfig, makeFixture } from '@kino/testkit';
import { createEdge, type Edge } from '@kino/edge';
import { startStack, type Stack } from '@kino/testkit-stack';

// Derived media (issue 14 §1): static renditions and clips, end to end through real ffmpeg,
// S3, Postgres and an edge.

let s: Stack;
let edge: Edge;
let parent: any;
beforeAll(async () => {
  s = await startStack();
  const edgeConfig = await createTestConfig(s.db, s.s3, { KINO_API_URL: s.api.url, EDGE_ID: 'derived-edge' });
  edge = await createEdge(edgeConfig);
  await edge.start();
  for (let i = 0; i < 100 && (await s.db.sql`select 1 from edges`).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  await s.startWorker();
  const created = await s.upload('standard', { width: 320, height: 240, seconds: 8 });
  parent = await s.waitFor(created.id, (a) => a.playable_state === 'hls_ready');
}, 180_000);
afterAll(async () => {
  await edge?.stop();
  await s?.close();
});

const auth = () => ({ authorization: `Bearer ${s.key}` });
const post = (path: string, body: unknown) =>
  fetch(`${s.api.url}${path}`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
const json = (res: Response): Promise<any> => res.json();
const playback = async (id: string): Promise<any> => (await fetch(`${s.api.url}/v1/assets/${id}/playback`, { headers: auth() })).json();
const events = async (id: string) => (await s.db.sql`select type, data from asset_events where asset_id = ${id} order by seq`) as any[];

async function download(url: string, name: string): Promise<{ res: Response; file: string }> {
  const res = await fetch(url);
  const file = join(s.work, name);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  return { res, file };
}

describe('static renditions', () => {
  it('are made on request, listed with ffprobe metadata, and downloaded through the edge as attachments', async () => {
    const res = await post(`/v1/assets/${parent.id}/static-renditions`, { renditions: ['highest', 'audio'] });
    expect(res.status).toBe(202);
    const asked = await json(res);
    expect(asked.static_renditions.map((r: any) => [r.name, r.status])).toEqual([
      ['audio', 'preparing'],
      ['highest', 'preparing'],
    ]);
    // Asked again: the same, nothing new.
    const again = await post(`/v1/assets/${parent.id}/static-renditions`, { renditions: ['highest'] });
    expect(again.status).toBe(200);

    const ready = await s.waitFor(parent.id, (a) => a.static_renditions?.every((r: any) => r.status === 'ready'));
    const highest = ready.static_renditions.find((r: any) => r.name === 'highest');
    expect(highest).toMatchObject({ video_codec: 'h264', audio_codec: 'aac', width: 320, height: 240 });
    expect(Math.abs(highest.duration - 8)).toBeLessThan(0.1);
    const audio = ready.static_renditions.find((r: any) => r.name === 'audio');
    expect(audio).toMatchObject({ video_codec: null, audio_codec: 'aac', width: null });
    expect(
      ready.artifacts
        .filter((a: any) => a.kind === 'static')
        .map((a: any) => a.path)
        .sort(),
    ).toEqual(['static/audio.m4a', 'static/highest.mp4']);
    const types = (await events(parent.id)).filter((e) => e.type === 'asset.static_rendition_ready');
    expect(types.map((e) => e.data.name).sort()).toEqual(['audio', 'highest']);

    const block = await playback(parent.id);
    const mp4 = await download(block.urls.static_renditions.highest, 'highest.mp4');
    expect(mp4.res.status).toBe(200);
    expect(mp4.res.headers.get('content-type')).toBe('video/mp4');
    expect(mp4.res.headers.get('content-disposition')).toBe(`attachment; filename="${parent.id}-highest.mp4"`);
    const got = await probe(mp4.file);
    expect(got).toMatchObject({ video: { codec: 'h264', width: 320, height: 240 }, audio: { codec: 'aac' } });
    expect(got.sizeBytes).toBe(highest.bytes);
    const m4a = await download(block.urls.static_renditions.audio, 'audio.m4a');
    expect(m4a.res.headers.get('content-type')).toBe('audio/mp4');
    expect(m4a.res.headers.get('content-disposition')).toBe(`attachment; filename="${parent.id}-audio.m4a"`);
    expect((await probe(m4a.file)).video).toBeUndefined();
  });

  it('can be declared at upload: made once the source is in', async () => {
    const file = await makeFixture('silent', join(s.work, 'silent.mp4'), { seconds: 4 });
    const res = await fetch(`${s.api.url}/v1/videos?static_renditions=highest,audio`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'video/mp4' },
      body: await readFile(file),
    });
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created.static_renditions.map((r: any) => r.status)).toEqual(['preparing', 'preparing']);
    const done = await s.waitFor(created.id, (a) => a.static_renditions?.every((r: any) => r.status !== 'preparing'));
    // A silent source has no audio to download: that one errors, the asset does not.
    expect(done.static_renditions.map((r: any) => [r.name, r.status, r.error?.code ?? null])).toEqual([
      ['audio', 'errored', 'NO_AUDIO'],
      ['highest', 'ready', null],
    ]);
    expect(done.error).toBeNull();
    expect((await events(created.id)).map((e) => e.type)).toContain('asset.static_rendition_errored');
  });

  it('refuses unknown names (400), unprocessed assets (409), and other or deleted assets (404)', async () => {
    expect((await post(`/v1/assets/${parent.id}/static-renditions`, { renditions: ['lowest'] })).status).toBe(400);
    expect((await post(`/v1/assets/${parent.id}/static-renditions`, { renditions: [] })).status).toBe(400);
    const pending = await json(await post('/v1/uploads', { content_type: 'video/mp4', bytes: 1000 }));
    const notReady = await post(`/v1/assets/${pending.asset.id}/static-renditions`, { renditions: ['highest'] });
    expect([notReady.status, (await json(notReady)).error.code]).toEqual([409, 'ASSET_NOT_READY']);
    const clip = await post(`/v1/assets/${pending.asset.id}/clips`, { start: 0, end: 1 });
    expect([clip.status, (await json(clip)).error.code]).toEqual([409, 'ASSET_NOT_READY']);
    const unknown = await post('/v1/assets/00000000-0000-4000-8000-000000000000/static-renditions', { renditions: ['highest'] });
    expect(unknown.status).toBe(404);
  });
});

describe('clips', () => {
  let copied: any;

  it('copies the streams when the cut starts on a keyframe, and encodes otherwise', async () => {
    const res = await post(`/v1/assets/${parent.id}/clips`, { start: 0, end: 2.5, title: 'first' });
    expect(res.status).toBe(202);
    const created = await json(res);
    expect(created).toMatchObject({ clip_of: parent.id, clip: { start: 0, end: 2.5 }, source_state: 'importing', title: 'first' });
    expect(created.id).not.toBe(parent.id);
    const encodedRes = await post(`/v1/assets/${parent.id}/clips`, { start: 1.5, end: 3.5 });
    expect(encodedRes.status).toBe(202);
    const encoded = await json(encodedRes);

    copied = await s.waitFor(created.id, (a) => a.playable_state === 'hls_ready');
    expect(copied.clip).toEqual({ start: 0, end: 2.5, mode: 'copy' });
    expect(Math.abs(copied.source.meta.duration_sec - 2.5)).toBeLessThanOrEqual(0.1);
    const cut = await s.waitFor(encoded.id, (a) => a.playable_state === 'hls_ready');
    expect(cut.clip).toEqual({ start: 1.5, end: 3.5, mode: 'encode' });
    expect(Math.abs(cut.source.meta.duration_sec - 2)).toBeLessThanOrEqual(0.1);
    // Its own lifecycle: created, cut, uploaded, processed.
    const types = (await events(created.id)).map((e) => e.type);
    expect(types[0]).toBe('asset.created');
    expect(types).toEqual(expect.arrayContaining(['asset.source_uploaded', 'asset.opener_ready', 'asset.hls_ready']));
  });

  it('refuses bad ranges with 400 INVALID_CLIP_RANGE, leaving nothing behind', async () => {
    const before = (await s.db.sql`select count(*)::int as n from assets`)[0]!.n;
    for (const range of [
      { start: -1, end: 2 },
      { start: 3, end: 3 },
      { start: 3, end: 2 },
      { start: 1, end: 9 },
      { start: 1, end: 1.2 },
    ]) {
      const res = await post(`/v1/assets/${parent.id}/clips`, range);
      const body = await json(res);
      expect([JSON.stringify(range), res.status, body.error.code]).toEqual([JSON.stringify(range), 400, 'INVALID_CLIP_RANGE']);
    }
    expect((await post(`/v1/assets/${parent.id}/clips`, { start: 'a', end: 2 })).status).toBe(400);
    expect((await s.db.sql`select count(*)::int as n from assets`)[0]!.n).toBe(before);
  });

  it('outlive their parent: after its deletion a finished clip still plays; a new clip of it is a 404', async () => {
    expect(copied).toBeDefined();
    expect((await fetch(`${s.api.url}/v1/assets/${parent.id}`, { method: 'DELETE', headers: auth() })).status).toBe(200);
    for (let i = 0; i < 300; i++) {
      if ((await s.db.sql`select 1 from asset_events where asset_id = ${parent.id} and type = 'asset.purged'`).length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await listKeys(s.s3.storage, `sources/${parent.id}/`)).toEqual([]);
    expect(await listKeys(s.s3.storage, `videos/${parent.id}/`)).toEqual([]);
    // The parent's static renditions went with it.
    expect((await s.db.sql`select count(*)::int as n from artifacts where asset_id = ${parent.id}`)[0]!.n).toBe(0);

    const clip = await s.asset(copied.id);
    expect(clip).toMatchObject({ playable_state: 'hls_ready', clip_of: parent.id });
    expect(await listKeys(s.s3.storage, `sources/${copied.id}/`)).toEqual([`sources/${copied.id}/original`]);
    const block = await playback(copied.id);
    expect((await fetch(block.urls.master)).status).toBe(200);
    expect((await fetch(block.urls.opener)).status).toBe(200);

    const again = await post(`/v1/assets/${parent.id}/clips`, { start: 0, end: 1 });
    expect(again.status).toBe(404);
    expect((await post(`/v1/assets/${parent.id}/static-renditions`, { renditions: ['audio'] })).status).toBe(404);
  });
});
