import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listKeys } from '@kino/storage';
import { ffprobe } from '@kino/testkit';
import { startStack, type Stack } from '@kino/testkit-stack';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
  await s.startWorker();
});
afterAll(() => s?.close());

// Settled: the job has finished (hls_ready is committed a moment before the job is marked done).
const settled = (a: any) => ['succeeded', 'failed'].includes(a.progress?.job_state);
const video = (p: { streams: any[] }) => p.streams.find((x) => x.codec_type === 'video');
const audio = (p: { streams: any[] }) => p.streams.find((x) => x.codec_type === 'audio');

/** The rendition URIs and attributes the master playlist lists. */
function variants(master: string) {
  const lines = master.split('\n');
  return lines.flatMap((line, i) => (line.startsWith('#EXT-X-STREAM-INF:') ? [{ attrs: line, uri: lines[i + 1]! }] : []));
}

describe('upload to hls_ready', () => {
  it('produces an opener, a thumbnail and a full ladder that ffprobe accepts', async () => {
    const created = await s.upload('standard', { width: 640, height: 360, seconds: 9 });
    expect(created.playable_state).toBe('not_playable');
    const opener = await s.waitFor(created.id, (a) => a.playable_state !== 'not_playable' || a.error);
    expect(opener.error).toBeNull();
    const a = await s.waitFor(created.id, settled);
    expect(a).toMatchObject({
      source_state: 'uploaded',
      playable_state: 'hls_ready',
      error: null,
      progress: { job_state: 'succeeded', fraction: 1 },
    });
    expect(a.source.meta).toMatchObject({
      duration_sec: expect.closeTo(9, 0),
      video: { width: 640, height: 360 },
      audio: { codec: 'aac' },
    });
    // The video renditions, then the audio rendition (encoded once, no picture).
    expect(a.renditions.map((r: any) => [r.name, r.width, r.height])).toEqual([
      ['360p', 640, 360],
      ['240p', 426, 240],
      ['audio', null, null],
    ]);

    const dir = await s.fetchArtifacts(a.id);
    const op = await ffprobe(join(dir, 'opener.mp4'));
    expect(video(op)).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(audio(op)).toMatchObject({ codec_name: 'aac' });
    expect(op.duration).toBeGreaterThan(3.5);
    expect(op.duration).toBeLessThan(4.6);
    expect(video(await ffprobe(join(dir, 'thumbnail.jpg')))).toMatchObject({ codec_name: 'mjpeg' });

    const master = await readFile(join(dir, 'hls/master.m3u8'), 'utf8');
    // One audio rendition, which every video variant plays with.
    expect(master.split('\n').filter((l) => l.startsWith('#EXT-X-MEDIA:'))).toEqual([
      expect.stringMatching(/^#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",.*URI="audio\/index\.m3u8"$/),
    ]);
    const listed = variants(master);
    expect(listed.map((v) => v.uri).sort()).toEqual(['240p/index.m3u8', '360p/index.m3u8']);
    for (const v of listed) {
      expect(v.attrs).toMatch(/BANDWIDTH=\d+/);
      expect(v.attrs).toMatch(/RESOLUTION=\d+x\d+/);
      expect(v.attrs).toMatch(/CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
      expect(v.attrs).toMatch(/AUDIO="audio"/);
      const r = await ffprobe(join(dir, 'hls', v.uri));
      const [w, h] = /RESOLUTION=(\d+)x(\d+)/.exec(v.attrs)!.slice(1).map(Number);
      // Video renditions carry the picture only: the sound is in the audio rendition.
      expect(r.streams.map((x) => x.codec_type)).toEqual(['video']);
      expect(video(r)).toMatchObject({ codec_name: 'h264', width: w, height: h });
      expect(r.duration).toBeCloseTo(9, 0);
    }
    const sound = await ffprobe(join(dir, 'hls/audio/index.m3u8'));
    expect(sound.streams.map((x) => x.codec_type)).toEqual(['audio']);
    expect(audio(sound)).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    expect(sound.duration).toBeCloseTo(9, 0);

    // Every recorded artifact exists at its key, and nothing else does.
    const rows = await s.db.sql`select key from artifacts where asset_id = ${a.id}`;
    expect((await listKeys(s.s3.storage, `videos/${a.id}/`)).sort()).toEqual(rows.map((r) => r.key as string).sort());
  });
});

describe('sources of several shapes', () => {
  it('turns a rotated portrait source into portrait outputs', async () => {
    const a = await s.waitFor((await s.upload('portrait-rotated', { width: 640, height: 360 })).id, settled);
    expect(a.error).toBeNull();
    expect(a.source.meta.video).toMatchObject({ rotation: expect.any(Number), display_width: 360, display_height: 640 });
    expect(a.renditions.map((r: any) => [r.name, r.width, r.height])).toEqual([
      ['360p', 360, 640],
      ['240p', 240, 426],
      ['audio', null, null],
    ]);
    const dir = await s.fetchArtifacts(a.id);
    expect(video(await ffprobe(join(dir, 'hls/360p/index.m3u8')))).toMatchObject({ width: 360, height: 640 });
    expect(video(await ffprobe(join(dir, 'opener.mp4')))).toMatchObject({ width: 360, height: 640 });
  });

  it('handles audio-only sources with an audio rendition', async () => {
    const a = await s.waitFor((await s.upload('audio-only')).id, settled);
    expect(a.error).toBeNull();
    expect(a.renditions.map((r: any) => r.name)).toEqual(['audio']);
    const dir = await s.fetchArtifacts(a.id);
    const master = await readFile(join(dir, 'hls/master.m3u8'), 'utf8');
    expect(master).toMatch(/CODECS="mp4a\.40\.2"/);
    expect(master).not.toMatch(/RESOLUTION/);
    const r = await ffprobe(join(dir, 'hls/audio/index.m3u8'));
    expect(video(r)).toBeUndefined();
    expect(audio(r)).toMatchObject({ codec_name: 'aac' });
    expect(audio(await ffprobe(join(dir, 'opener.mp4')))).toMatchObject({ codec_name: 'aac' });
  });

  it('handles video without audio', async () => {
    const a = await s.waitFor((await s.upload('silent')).id, settled);
    expect(a.error).toBeNull();
    const dir = await s.fetchArtifacts(a.id);
    const r = await ffprobe(join(dir, 'hls/240p/index.m3u8'));
    expect(audio(r)).toBeUndefined();
    expect(video(r)).toMatchObject({ codec_name: 'h264' });
    expect(await readFile(join(dir, 'hls/master.m3u8'), 'utf8')).not.toMatch(/mp4a/);
  });

  it('rounds odd dimensions to even ones without upscaling', async () => {
    const a = await s.waitFor((await s.upload('odd-dimensions')).id, settled);
    expect(a.error).toBeNull();
    // The audio rendition has no picture to round; every other rendition does.
    const pictures = a.renditions.filter((r: any) => r.name !== 'audio');
    expect(a.renditions.filter((r: any) => r.name === 'audio')).toEqual([expect.objectContaining({ width: null, height: null })]);
    expect(pictures.length).toBeGreaterThan(0);
    for (const r of pictures) {
      expect(r.width % 2).toBe(0);
      expect(r.height % 2).toBe(0);
      expect(r.height).toBeLessThanOrEqual(191);
    }
  });

  it('keeps 60 fps', async () => {
    const a = await s.waitFor((await s.upload('fps60')).id, settled);
    expect(a.error).toBeNull();
    const dir = await s.fetchArtifacts(a.id);
    expect(video(await ffprobe(join(dir, 'hls/180p/index.m3u8'))).avg_frame_rate).toBe('60/1');
  });

  it('fails a truncated MP4 at once with a reason a user understands', async () => {
    const a = await s.waitFor((await s.upload('truncated')).id, settled);
    expect(a).toMatchObject({
      source_state: 'failed',
      playable_state: 'not_playable',
      error: { code: 'CORRUPT_SOURCE', message: expect.stringMatching(/truncated or corrupt/) },
      progress: { job_state: 'failed', attempts: 1 },
    });
    expect(await listKeys(s.s3.storage, `videos/${a.id}/`)).toEqual([]);
  });
});
