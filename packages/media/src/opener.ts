import { rm } from 'node:fs/promises';
import { mediaInput } from './confine.ts';
import { aacArgs, H264_ARGS, normalisePicture, videoFilter } from './encoding.ts';
import { runFfmpeg } from './ffmpeg.ts';
import { DEFAULT_ENCODING, planLadder, type EncodingPreset } from './ladder-plan.ts';
import type { ProbeResult } from './probe.ts';
import type { RunOptions } from './process.ts';

export const OPENER_SECONDS = 4;
const OPENER_MAX_SHORT_SIDE = 720;
/** Capped CRF: simple pictures come out far below the cap, which keeps edge warming cheap. */
const OPENER_CRF = 23;
/** A copied opener's video at most: 4 s of it is then at most 4 MB to warm edges with. */
const COPY_MAX_BITRATE = 8_000_000;
const COPY_MAX_SIZE = { long: 1920, short: 1080 };

/**
 * Whether the source's own video can be the opener's, copied rather than encoded: H.264 that
 * every browser plays as it is (8-bit 4:2:0, progressive, SDR, square pixels, upright) and
 * small enough to warm edges with. Most uploads from cameras, phones held level and screen
 * recorders are; copying takes a fraction of a second where an encode of 1080p takes over one.
 */
export function openerCopiesVideo(p: ProbeResult): boolean {
  const v = p.video;
  if (v?.codec !== 'h264') return false;
  const bitRate = v.bitRate ?? p.bitRate;
  const picture = normalisePicture(v);
  return (
    (v.pixFmt === 'yuv420p' || v.pixFmt === 'yuvj420p') &&
    (v.bitDepth ?? 8) === 8 &&
    picture.deinterlace.length === 0 &&
    picture.colour.length === 0 &&
    v.rotation === 0 &&
    v.displayWidth === v.width &&
    v.displayHeight === v.height &&
    Math.max(v.width, v.height) <= COPY_MAX_SIZE.long &&
    Math.min(v.width, v.height) <= COPY_MAX_SIZE.short &&
    v.fps > 0 &&
    v.fps <= 60 &&
    bitRate !== undefined &&
    bitRate <= COPY_MAX_BITRATE
  );
}

/**
 * The first seconds as a self-contained faststart MP4, so an asset plays while its ladder
 * encodes: the source's own video where it is browser-safe (openerCopiesVideo), else an
 * encode to ≤ 720p. Reading stops at OPENER_SECONDS, so the cost is the same for any source
 * length.
 */
export async function makeOpener(
  src: string,
  outFile: string,
  probed: ProbeResult,
  opts: RunOptions = {},
  preset: EncodingPreset = DEFAULT_ENCODING,
): Promise<void> {
  // An audio-only preset's opener is the audio-only source's.
  const p = preset.video ? probed : { ...probed, video: undefined };
  const seconds = Math.min(OPENER_SECONDS, p.durationSec);
  const args = ['-t', String(OPENER_SECONDS), ...mediaInput(src, p.formatName)];
  // The plan always ends at or below 240p, so some rung fits.
  const rung = planLadder(p, preset).find((r) => Math.min(r.width, r.height) <= OPENER_MAX_SHORT_SIDE)!;
  // A copy is the source's own picture: only where the preset keeps it (no crop, not capped below it).
  const keepsPicture = !rung.crop && (!p.video || Math.min(p.video.displayWidth, p.video.displayHeight) <= preset.video!.max_height);
  if (p.video && keepsPicture && openerCopiesVideo(p)) {
    // The input starts at a keyframe and -t stops reading at the cut: the copy is whole.
    args.push('-map', `0:${p.video.index}`, '-c:v', 'copy');
    if (p.audio) {
      const copies = p.audio.codec === 'aac' && p.audio.channels <= 2;
      args.push('-map', `0:${p.audio.index}`, ...(copies ? ['-c:a', 'copy'] : aacArgs(rung.audioBitrate)));
    }
  } else if (p.video) {
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
    args.push('-map', `0:${p.audio.index}`, ...aacArgs(rung.audioBitrate));
  }
  args.push('-movflags', '+faststart', '-f', 'mp4', outFile);
  try {
    await runFfmpeg(args, { ...opts, durationSec: seconds });
  } catch (err) {
    await rm(outFile, { force: true });
    throw err;
  }
}
