import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeAudioSegment,
  encodeSegment,
  makeAudio,
  makeLadder,
  planMedia,
  probe,
  type MediaPlan,
  type ProbeResult,
} from '../src/index.ts';
import { makeFixture, tempDir, type FixtureKind, type FixtureOptions } from './helpers.ts';

const exec = promisify(execFile);

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

/** Every packet of init + segment as ffprobe reads it: pts, dts, duration and key flag. */
async function packets(init: string, segment: string, stream = 'v:0'): Promise<string[]> {
  const joined = `${segment}.joined.mp4`;
  await writeFile(joined, Buffer.concat([await readFile(init), await readFile(segment)]));
  // biome-ignore format: ffmpeg options read in pairs
  const { stdout } = await exec('ffprobe', [
    '-v', 'error', '-select_streams', stream, '-show_entries', 'packet=pts,dts,duration,flags', '-of', 'csv=p=0', joined,
  ]);
  return stdout.trim().split('\n');
}

async function laddered(kind: FixtureKind, opts: FixtureOptions): Promise<{ src: string; p: ProbeResult; plan: MediaPlan; hls: string }> {
  const src = await makeFixture(kind, join(dir, `${kind}.src`), opts);
  const p = await probe(src);
  const plan = planMedia(p);
  const hls = join(dir, `${kind}.hls`);
  await makeLadder(src, hls, p, plan);
  return { src, p, plan, hls };
}

describe('encodeSegment', () => {
  const shapes: Array<[FixtureKind, FixtureOptions]> = [
    ['standard', { seconds: 13, fps: 30000 / 1001, width: 640, height: 360 }],
    ['fps60', { seconds: 9 }],
    ['interlaced', { seconds: 9 }],
    ['portrait-rotated', { seconds: 9 }],
    ['odd-dimensions', { seconds: 9 }],
    ['streamed-webm', { seconds: 9 }],
  ];
  it.each(shapes)('makes %s segments interchangeable with the ladder’s: same init, same frames at the same times', async (kind, opts) => {
    const { src, p, plan, hls } = await laddered(kind, opts);
    for (const r of plan.video) {
      for (const index of [plan.segments.length - 1, 1, 0]) {
        const out = join(dir, `${kind}.jit.${r.name}.${index}`);
        const jit = await encodeSegment(src, p, plan, r.name, index, out);
        const ladderInit = join(hls, r.name, 'init.mp4');
        expect(await readFile(jit.init)).toEqual(await readFile(ladderInit));
        const mine = await packets(ladderInit, jit.segment);
        const theirs = await packets(ladderInit, join(hls, r.name, `${index}.m4s`));
        expect(mine.length).toBe(plan.segments[index]!.frames);
        expect(mine).toEqual(theirs);
        // The same pictures, not just the same timestamps: the just-in-time segment's
        // first frame is closer to the ladder's first than to its second (the pattern moves
        // every frame), so it did not start a frame early or late.
        if (index === 1) {
          const a = await frames(ladderInit, jit.segment, 2);
          const b = await frames(ladderInit, join(hls, r.name, `${index}.m4s`), 2);
          expect(meanDiff(a[0]!, b[0]!), `${kind} ${r.name}`).toBeLessThan(meanDiff(a[0]!, b[1]!));
        }
      }
    }
  });
});

/** The first `count` frames of init + segment, decoded to 8-bit gray. */
async function frames(init: string, segment: string, count: number): Promise<Buffer[]> {
  const joined = `${segment}.frames.mp4`;
  await writeFile(joined, Buffer.concat([await readFile(init), await readFile(segment)]));
  // biome-ignore format: ffmpeg options read in pairs
  const { stdout } = await exec('ffmpeg', [
    '-v', 'error', '-i', joined, '-frames:v', String(count), '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1',
  ], { encoding: 'buffer', maxBuffer: 64 << 20 });
  const size = stdout.length / count;
  return Array.from({ length: count }, (_, i) => stdout.subarray(i * size, (i + 1) * size));
}

/** Mean absolute difference of two pictures' pixels. */
function meanDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** init + segment decoded to 48 kHz mono 16-bit samples. */
async function pcm(init: string, segment: string): Promise<Int16Array> {
  const joined = `${segment}.pcm.mp4`;
  await writeFile(joined, Buffer.concat([await readFile(init), await readFile(segment)]));
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', joined, '-f', 's16le', '-ac', '1', '-ar', '48000', 'pipe:1'], {
    encoding: 'buffer',
    maxBuffer: 64 << 20,
  });
  return new Int16Array(stdout.buffer, stdout.byteOffset, stdout.length / 2);
}

/** RMS of a − b (b shifted by `shift` samples) over RMS of b, away from the edges. */
function relativeError(a: Int16Array, b: Int16Array, shift: number): number {
  let diff = 0;
  let energy = 0;
  for (let i = 2048; i < Math.min(a.length, b.length) - 2048; i++) {
    diff += (a[i]! - b[i + shift]!) ** 2;
    energy += b[i + shift]! ** 2;
  }
  return Math.sqrt(diff / energy);
}

describe('encodeAudioSegment', () => {
  it.each([
    ['a 29.97 fps source with 44.1 kHz audio', 13.013],
    ['a source whose end falls just past a 4 s line', 12.03],
  ])('makes audio segments of %s interchangeable with the whole track’s: same init, same frames at the same times', async (_, seconds) => {
    const src = await makeFixture('standard', join(dir, `audio-${seconds}.src`), { seconds, fps: 30000 / 1001, width: 320, height: 180 });
    const p = await probe(src);
    const plan = planMedia(p);
    const hls = join(dir, `audio-${seconds}.hls`);
    await makeAudio(src, hls, p, plan);
    const indexes = [...new Set([0, 1, plan.segments.length - 2, plan.segments.length - 1])].filter((n) => n >= 0);
    for (const index of indexes) {
      const jit = await encodeAudioSegment(src, p, plan, index, join(dir, `audio-${seconds}.jit.${index}`));
      const wholeInit = join(hls, 'audio', 'init.mp4');
      expect(await readFile(jit.init)).toEqual(await readFile(wholeInit));
      const mine = await packets(wholeInit, jit.segment, 'a:0');
      const theirs = await packets(wholeInit, join(hls, 'audio', `${index}.m4s`), 'a:0');
      expect(mine, `segment ${index}`).toEqual(theirs);
      // The same sound at the same place: a frame's shift (1024 samples) would be as far off
      // as the signal itself; two encodes of the same samples differ by a few per cent.
      const a = await pcm(wholeInit, jit.segment);
      const b = await pcm(wholeInit, join(hls, 'audio', `${index}.m4s`));
      expect(relativeError(a, b, 0), `segment ${index}`).toBeLessThan(0.1);
      expect(relativeError(a, b, 1024), `segment ${index}`).toBeGreaterThan(0.5);
    }
  });
});
