import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HLS_FILES, segmentFile } from '@kino/artifacts';
import { mediaInput } from './confine.ts';
import { holdLastFrame, renditionVideoArgs, videoFilter } from './encoding.ts';
import { runFfmpeg } from './ffmpeg.ts';
import { retimeSegment, trackTimescale } from './fmp4.ts';
import { hlsOutput } from './ladder.ts';
import type { ProbeResult } from './probe.ts';
import type { RunOptions } from './process.ts';
import type { MediaPlan } from './segment-plan.ts';

export interface EncodedSegment {
  /** The rendition's init segment: byte for byte the ladder's. */
  init: string;
  segment: string;
}

/**
 * Encodes one planned segment of one video rendition on its own, reading only the source's
 * frames from the segment's start (an accurate seek), so its cost does not grow with the
 * position. Same filters and encoder settings as the ladder, so the same init segment; then
 * its timestamps are moved from zero to the plan's (fmp4.ts), which makes it interchangeable
 * with the ladder's segment of the same index: same frames, same times.
 */
export async function encodeSegment(
  src: string,
  p: ProbeResult,
  plan: MediaPlan,
  rendition: string,
  index: number,
  outDir: string,
  opts: RunOptions = {},
): Promise<EncodedSegment> {
  const r = plan.video.find((v) => v.name === rendition);
  const seg = plan.segments[index];
  if (!p.video || !r || !seg || seg.firstFrame === undefined || !seg.frames || !plan.frameRate) {
    throw new RangeError(`segment ${index} of ${rendition} is not in the plan`);
  }
  const { num, den } = plan.frameRate;
  // A quarter frame early: a source frame stamped a hair before the planned start (time base
  // rounding) is kept, and fps=…:start_time=0 still puts the segment's first frame in slot 0.
  const seek = Math.max(0, (seg.firstFrame - 0.25) * (den / num));
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  // biome-ignore format: ffmpeg options read in pairs
  const args = [
    '-ss', seek.toFixed(6),
    ...mediaInput(src, p.formatName),
    '-map', `0:${p.video.index}`,
    '-vf', `${videoFilter(r, p.video, { seeked: true })},${holdLastFrame(plan)}`,
    '-frames:v', String(seg.frames),
    ...renditionVideoArgs(r, p.video),
    ...hlsOutput(outDir, index),
  ];
  const init = join(outDir, HLS_FILES.init);
  const segment = join(outDir, segmentFile(index));
  try {
    await runFfmpeg(args, { ...opts, durationSec: seg.durationSec });
    const timescale = trackTimescale(await readFile(init));
    const bytes = await readFile(segment);
    // firstFrame / fps seconds in ticks: exact, since ffmpeg's timescale is a multiple of the rate.
    const offset = (BigInt(seg.firstFrame) * BigInt(timescale) * BigInt(den)) / BigInt(num);
    retimeSegment(bytes, offset, timescale, index + 1);
    await writeFile(segment, bytes);
    await rm(join(outDir, HLS_FILES.playlist), { force: true });
    return { init, segment };
  } catch (err) {
    await rm(outDir, { recursive: true, force: true });
    throw err;
  }
}
