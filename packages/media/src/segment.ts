import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HLS_FILES, segmentFile } from '@kino/artifacts';
import { mediaInput } from './confine.ts';
import { aacArgs, holdLastFrame, renditionVideoArgs, videoFilter } from './encoding.ts';
import { runFfmpeg } from './ffmpeg.ts';
import { cutSamples, retimeSegment, trackTimescale } from './fmp4.ts';
import { hlsOutput } from './ladder.ts';
import type { ProbeResult } from './probe.ts';
import type { RunOptions } from './process.ts';
import { SEGMENT_SECONDS, type MediaPlan } from './segment-plan.ts';

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

/** AAC-LC at 48 kHz: 1024 samples a frame. */
const AAC_FRAME_SAMPLES = 1024;
const AAC_RATE = 48_000;
/** Frames encoded before a segment's first and cut off: the encoder's state settles over them. */
const AUDIO_LEAD_IN_FRAMES = 8;
/** Frames encoded past a segment's last, so that it is not the one the encoder flushes. */
const AUDIO_LEAD_OUT_FRAMES = 4;

/**
 * Encodes one planned segment of the audio rendition on its own, interchangeable with the
 * one the whole-track encode makes (makeAudio): the same init segment, the same AAC frames
 * at the same times. The whole track's segment n starts at frame ceil(n × 187.5) (ffmpeg's
 * HLS muxer cuts at the first frame at or past each 4 s line, counting the priming frame),
 * and frame j holds the source's samples from (j − 1) × 1024 on. So this seeks a few frames
 * before the segment's first, encodes a little past its last, and keeps exactly its frames
 * (cutSamples), stamped with the whole track's decode time.
 */
export async function encodeAudioSegment(
  src: string,
  p: ProbeResult,
  plan: MediaPlan,
  index: number,
  outDir: string,
  opts: RunOptions = {},
): Promise<EncodedSegment> {
  const audio = plan.audio;
  if (!p.audio || !audio || index < 0 || index >= plan.segments.length) {
    throw new RangeError(`audio segment ${index} is not in the plan`);
  }
  const framesPerSegment = (SEGMENT_SECONDS * AAC_RATE) / AAC_FRAME_SAMPLES;
  const firstOf = (n: number) => Math.ceil(n * framesPerSegment - 1e-9);
  const first = firstOf(index);
  const last = index === plan.segments.length - 1;
  const frame = AAC_FRAME_SAMPLES / AAC_RATE;
  // Segment 0 starts with the priming frame, as the whole track does: no lead-in there.
  const lead = index === 0 ? 0 : Math.min(AUDIO_LEAD_IN_FRAMES, first - 1);
  const start = index === 0 ? 0 : (first - 1 - lead) * frame;
  const end = last ? audio.durationSec : Math.min(audio.durationSec, (firstOf(index + 1) - 1 + AUDIO_LEAD_OUT_FRAMES) * frame);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  // biome-ignore format: ffmpeg options read in pairs
  const args = [
    '-ss', start.toFixed(6),
    ...mediaInput(src, p.formatName),
    '-map', `0:${p.audio.index}`,
    '-af', `apad=whole_dur=${(audio.durationSec - start).toFixed(6)}`,
    '-t', (end - start).toFixed(6),
    ...aacArgs(audio.bitrate),
    ...hlsOutput(outDir, index, 24 * 3600),
  ];
  const init = join(outDir, HLS_FILES.init);
  const segment = join(outDir, segmentFile(index));
  try {
    await runFfmpeg(args, { ...opts, durationSec: end - start });
    const timescale = trackTimescale(await readFile(init));
    const decodeTime = (BigInt(first) * BigInt(AAC_FRAME_SAMPLES) * BigInt(timescale)) / BigInt(AAC_RATE);
    const count = last ? undefined : firstOf(index + 1) - first;
    const skip = index === 0 ? 0 : lead + 1;
    await writeFile(segment, cutSamples(await readFile(segment), skip, count, decodeTime, index + 1));
    await rm(join(outDir, HLS_FILES.playlist), { force: true });
    return { init, segment };
  } catch (err) {
    await rm(outDir, { recursive: true, force: true });
    throw err;
  }
}
