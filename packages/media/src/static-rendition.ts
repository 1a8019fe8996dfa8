import { rm } from 'node:fs/promises';
import { mediaInput } from './confine.ts';
import { aacArgs, renditionVideoArgs, videoFilter } from './encoding.ts';
import { runFfmpeg } from './ffmpeg.ts';
import type { ProbeResult } from './probe.ts';
import type { RunOptions } from './process.ts';
import { planMedia } from './segment-plan.ts';

// Static renditions: whole files to download, beside the HLS ladder. `highest` is the top
// rung as one faststart MP4 (the ladder's own filters and encoder settings, so it looks
// like the best thing the player streams); `audio` is the audio rendition's AAC as an M4A.

/**
 * The arguments that encode a source's video as the ladder's top rung does, and its audio
 * as the audio rendition does: shared by the `highest` download and a clip cut that cannot
 * copy (clip.ts).
 */
export function topRungArgs(p: ProbeResult): string[] {
  const plan = planMedia(p);
  const top = plan.video[0];
  const args: string[] = [];
  if (p.video && top) args.push('-map', `0:${p.video.index}`, '-vf', videoFilter(top, p.video), ...renditionVideoArgs(top, p.video));
  if (p.audio && plan.audio) args.push('-map', `0:${p.audio.index}`, ...aacArgs(plan.audio.bitrate));
  return args;
}

/** The `highest` static rendition: H.264/AAC at the top rung's size and settings, faststart. */
export async function makeStaticHighest(src: string, outFile: string, p: ProbeResult, opts: RunOptions = {}): Promise<void> {
  if (!p.video) throw new Error('the source has no video for a highest rendition');
  await encodeTo(outFile, [...mediaInput(src, p.formatName), ...topRungArgs(p)], p.durationSec, opts);
}

/** The `audio` static rendition: the audio rendition's AAC, as an M4A. */
export async function makeStaticAudio(src: string, outFile: string, p: ProbeResult, opts: RunOptions = {}): Promise<void> {
  const plan = planMedia(p);
  if (!p.audio || !plan.audio) throw new Error('the source has no audio for an audio rendition');
  await encodeTo(
    outFile,
    [...mediaInput(src, p.formatName), '-map', `0:${p.audio.index}`, '-vn', ...aacArgs(plan.audio.bitrate)],
    p.durationSec,
    opts,
  );
}

/** Runs one encode to a faststart MP4; a failed run leaves no file behind. */
export async function encodeTo(outFile: string, args: string[], durationSec: number, opts: RunOptions): Promise<void> {
  try {
    await runFfmpeg([...args, '-movflags', '+faststart', '-f', 'mp4', outFile], { ...opts, durationSec });
  } catch (err) {
    await rm(outFile, { force: true });
    throw err;
  }
}
