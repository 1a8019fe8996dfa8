import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipMode, cutClip, keyframesNear, makeStaticAudio, makeStaticHighest, probe, type ProbeResult } from '../src/index.ts';
import { readTopLevelBoxes } from '../src/boxes.ts';
import { makeFixture, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let src: string;
let p: ProbeResult;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  // libx264's default GOP (250 frames) is longer than the file: frame 0 is its only keyframe.
  src = await makeFixture('standard', join(dir, 'src.mp4'), { width: 640, height: 360, seconds: 6 });
  p = await probe(src);
});
afterAll(() => cleanup());

describe('static renditions', () => {
  it('highest: the top rung as a faststart H.264/AAC MP4; audio: AAC alone in an M4A', async () => {
    const mp4 = join(dir, 'highest.mp4');
    await makeStaticHighest(src, mp4, p);
    const h = await probe(mp4);
    expect(h).toMatchObject({ video: { codec: 'h264', width: 640, height: 360 }, audio: { codec: 'aac', channels: 2, sampleRate: 48000 } });
    expect(Math.abs(h.durationSec - 6)).toBeLessThan(0.1);
    const boxes = (await readTopLevelBoxes(mp4)).boxes.map((b) => b.type);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    const m4a = join(dir, 'audio.m4a');
    await makeStaticAudio(src, m4a, p);
    const a = await probe(m4a);
    expect(a.video).toBeUndefined();
    expect(a.audio?.codec).toBe('aac');
  });
});

describe('clips', () => {
  it('find keyframes near the cut, and copy only from one', async () => {
    expect(await keyframesNear(src, p, 0)).toEqual([0]);
    // The read starts at the keyframe before the window: 0 again, a whole 2 s from the cut.
    expect(await keyframesNear(src, p, 2)).toEqual([0]);
    expect(clipMode(p, 0, [0])).toBe('copy');
    expect(clipMode(p, 2, [0])).toBe('encode');
    // Within half a frame is on the keyframe; a frame away is not.
    expect(clipMode(p, 1 / 90, [0])).toBe('copy');
    expect(clipMode(p, 1 / 30, [0])).toBe('encode');
    // A codec an MP4 does not hold as it is is always encoded.
    expect(clipMode({ ...p, video: { ...p.video!, codec: 'vp8' } }, 0, [0])).toBe('encode');
  });

  it('cut [start, end) by copy or by encode, to within a frame of the asked duration', async () => {
    const copied = join(dir, 'copy.mp4');
    await cutClip(src, copied, p, { start: 0, end: 2.5, mode: 'copy' });
    const c = await probe(copied);
    expect(Math.abs(c.durationSec - 2.5)).toBeLessThanOrEqual(0.1);
    expect(c.video?.codec).toBe('h264');
    const encoded = join(dir, 'encode.mp4');
    await cutClip(src, encoded, p, { start: 1.5, end: 4, mode: 'encode' });
    const e = await probe(encoded);
    expect(Math.abs(e.durationSec - 2.5)).toBeLessThanOrEqual(0.1);
    expect(e).toMatchObject({ video: { width: 640, height: 360 }, audio: { codec: 'aac' } });
  });
});
