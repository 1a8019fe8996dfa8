import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOpener, probe } from '../src/index.ts';
import { readTopLevelBoxes } from '../src/boxes.ts';
import { ffprobe, makeFixture, tempDir, type FixtureKind, type FixtureOptions } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

async function opener(kind: FixtureKind, name: string, opts: FixtureOptions = {}, onProgress?: (f: number) => void) {
  const src = await makeFixture(kind, join(dir, `${name}.src.mp4`), opts);
  const out = join(dir, `${name}.opener.mp4`);
  await makeOpener(src, out, await probe(src), onProgress ? { onProgress: (p) => onProgress(p.fraction) } : {});
  const boxes = (await readTopLevelBoxes(out)).boxes.map((b) => b.type);
  return { out, ...(await ffprobe(out)), boxes };
}

describe('makeOpener', () => {
  it('cuts the first 4 s to a faststart H.264 High + AAC MP4 at the source size when ≤ 720p', async () => {
    const fractions: number[] = [];
    const o = await opener('standard', 'standard', { width: 640, height: 360, seconds: 7 }, (f) => fractions.push(f));
    expect(o.durationSec).toBeGreaterThan(3.9);
    expect(o.durationSec).toBeLessThan(4.2);
    const [v, a] = [o.streams.find((s) => s.codec_type === 'video'), o.streams.find((s) => s.codec_type === 'audio')];
    expect(v).toMatchObject({ codec_name: 'h264', profile: 'High', width: 640, height: 360, pix_fmt: 'yuv420p' });
    expect(a).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    expect(o.boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
    expect(o.boxes.indexOf('moov')).toBeLessThan(o.boxes.indexOf('mdat'));
    expect(fractions.at(-1)).toBe(1);
  });

  it('scales sources above 720p down to a 720p short side', async () => {
    const o = await opener('standard', 'big', { width: 1456, height: 816, seconds: 4, fps: 24 });
    const v = o.streams.find((s) => s.codec_type === 'video')!;
    expect(v.height).toBe(720);
    expect(v.width).toBe(1284);
  });

  it('keeps the whole of a source shorter than 4 s', async () => {
    const o = await opener('standard', 'short', { seconds: 2 });
    expect(o.durationSec).toBeGreaterThan(1.9);
    expect(o.durationSec).toBeLessThan(2.2);
  });

  it('shows a rotated phone clip upright: portrait pixels, no rotation left to apply', async () => {
    const o = await opener('portrait-rotated', 'rotated');
    const v = o.streams.find((s) => s.codec_type === 'video')!;
    expect([v.width, v.height]).toEqual([180, 320]);
  });

  it('makes an AAC-only MP4 from audio and a video-only MP4 from a silent source', async () => {
    const [audio, silent] = await Promise.all([opener('audio-only', 'audio'), opener('silent', 'silent')]);
    expect(audio.streams.map((s) => s.codec_name)).toEqual(['aac']);
    expect(audio.durationSec).toBeLessThan(4.2);
    expect(audio.boxes.indexOf('moov')).toBeLessThan(audio.boxes.indexOf('mdat'));
    expect(silent.streams.map((s) => s.codec_name)).toEqual(['h264']);
  });
});
