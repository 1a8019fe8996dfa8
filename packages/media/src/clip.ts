import { mediaInput } from './confine.ts';
import { ffprobeText } from './ffprobe.ts';
import type { ProbeResult } from './probe.ts';
import type { RunOptions } from './process.ts';
import { encodeTo, topRungArgs } from './static-rendition.ts';

// A clip's source: [start, end) of another asset's source. Copying the streams is exact and
// takes a fraction of a second, but a copy can only start on a keyframe; anywhere else the
// range is encoded with the ladder's top-rung settings (a decoder would otherwise show
// nothing, or garbage, until the next keyframe).

export type ClipMode = 'copy' | 'encode';

/** Codecs an MP4 holds as they are: what a copy may carry over. */
const COPY_VIDEO = new Set(['h264', 'hevc']);
const COPY_AUDIO = new Set(['aac', 'mp3']);
/** How far around `start` keyframes are looked for, in seconds. */
const KEYFRAME_WINDOW = 1;

/** The source's keyframe times (in seconds from its start) near `start`: a short read, not a decode. */
export async function keyframesNear(src: string, p: ProbeResult, start: number, opts: RunOptions = {}): Promise<number[]> {
  if (!p.video) return [];
  const from = Math.max(0, start - KEYFRAME_WINDOW);
  // biome-ignore format: ffprobe options read in pairs
  const out = await ffprobeText(src, [
    '-select_streams', String(p.video.index),
    '-skip_frame', 'nokey',
    '-read_intervals', `${from}%${start + KEYFRAME_WINDOW}`,
    '-show_entries', 'frame=pts_time:format=start_time',
    '-print_format', 'json',
  ], { formatName: p.formatName, signal: opts.signal, timeoutMs: opts.timeoutMs, scratchRoot: opts.scratchRoot });
  const json = JSON.parse(out) as { frames?: Array<{ pts_time?: string }>; format?: { start_time?: string } };
  const origin = Number(json.format?.start_time ?? 0) || 0;
  return (json.frames ?? []).map((f) => Number(f.pts_time) - origin).filter((t) => Number.isFinite(t));
}

/**
 * How a cut at `start` is made: a copy when a keyframe of the video is there (within half a
 * frame) and its codecs fit an MP4; an audio-only source is always copied when it fits (every
 * AAC frame is a keyframe).
 */
export function clipMode(p: ProbeResult, start: number, keyframes: readonly number[]): ClipMode {
  if (p.audio && !COPY_AUDIO.has(p.audio.codec)) return 'encode';
  if (!p.video) return p.audio ? 'copy' : 'encode';
  if (!COPY_VIDEO.has(p.video.codec)) return 'encode';
  const half = 0.5 / (p.video.fps || 30);
  return keyframes.some((k) => Math.abs(k - start) <= half) ? 'copy' : 'encode';
}

/** Writes [start, end) of `src` as a faststart MP4, copied or encoded as `mode` says. */
export async function cutClip(
  src: string,
  outFile: string,
  p: ProbeResult,
  range: { start: number; end: number; mode: ClipMode },
  opts: RunOptions = {},
): Promise<void> {
  const duration = range.end - range.start;
  // Input options: read from `start` (an exact seek when encoding; the keyframe there when copying) for `duration`.
  const input = ['-ss', range.start.toFixed(6), '-t', duration.toFixed(6), ...mediaInput(src, p.formatName)];
  const output =
    range.mode === 'copy'
      ? [
          ...(p.video ? ['-map', `0:${p.video.index}`] : []),
          ...(p.audio ? ['-map', `0:${p.audio.index}`] : []),
          '-c',
          'copy',
          '-avoid_negative_ts',
          'make_zero',
        ]
      : topRungArgs(p);
  await encodeTo(outFile, [...input, ...output], duration, opts);
}
