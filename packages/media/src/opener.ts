import { rm } from 'node:fs/promises';
import { mediaInput } from './confine.ts';
import { aacArgs, H264_ARGS, normalisePicture, videoFilter } from './encoding.ts';
import { runFfmpeg } from './ffmpeg.ts';
import { planLadder } from './ladder-plan.ts';
import type { ProbeResult } from './probe.ts';
import type { RunOptions } from './process.ts';

export const OPENER_SECONDS = 4;
const OPENER_MAX_SHORT_SIDE = 720;
/** Capped CRF: simple pictures come out far below the cap, which keeps edge warming cheap. */
const OPENER_CRF = 23;

/**
 * The first seconds as a self-contained faststart MP4, so an asset plays while its ladder
 * encodes. Reading stops at OPENER_SECONDS, so the cost is the same for any source length.
 */
export async function makeOpener(src: string, outFile: string, p: ProbeResult, opts: RunOptions = {}): Promise<void> {
  const seconds = Math.min(OPENER_SECONDS, p.durationSec);
  const args = ['-t', String(OPENER_SECONDS), ...mediaInput(src, p.formatName)];
  if (p.video) {
    // The plan always ends at or below 240p, so some rung fits.
    const rung = planLadder(p).find((r) => Math.min(r.width, r.height) <= OPENER_MAX_SHORT_SIDE)!;
    // biome-ignore format: ffmpeg options read in pairs
    args.push(
      '-map', `0:${p.video.index}`,
      '-vf', videoFilter(rung, p.video),
      ...H264_ARGS,
      // Later than H264_ARGS' preset, so it wins: the opener is a few seconds that viewers
      // wait for, and superfast takes a fifth less CPU than the ladder's veryfast.
      '-preset', 'superfast',
      ...normalisePicture(p.video).outputArgs,
      '-crf', String(OPENER_CRF),
      '-maxrate', String(rung.maxrate),
      '-bufsize', String(rung.bufsize),
    );
    if (p.audio) args.push('-map', `0:${p.audio.index}`, ...aacArgs(rung.audioBitrate));
  } else if (p.audio) {
    args.push('-map', `0:${p.audio.index}`, ...aacArgs(planLadder(p)[0]!.audioBitrate));
  }
  args.push('-movflags', '+faststart', '-f', 'mp4', outFile);
  try {
    await runFfmpeg(args, { ...opts, durationSec: seconds });
  } catch (err) {
    await rm(outFile, { force: true });
    throw err;
  }
}
