import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSegment, makeLadder, planMedia, probe, type MediaPlan, type ProbeResult } from '../src/index.ts';
import { makeFixture, tempDir, type FixtureKind, type FixtureOptions } from './helpers.ts';

const exec = promisify(execFile);

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

/** Every video packet of init + segment as ffprobe reads it: pts, dts, duration and key flag. */
async function packets(init: string, segment: string): Promise<string[]> {
  const joined = `${segment}.joined.mp4`;
  await writeFile(joined, Buffer.concat([await readFile(init), await readFile(segment)]));
  // biome-ignore format: ffmpeg options read in pairs
  const { stdout } = await exec('ffprobe', [
    '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,dts,duration,flags', '-of', 'csv=p=0', joined,
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
      }
    }
  });
});
