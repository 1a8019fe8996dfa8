import { stat } from 'node:fs/promises';
import { readTopLevelBoxes } from './boxes.ts';
import { CORRUPT_SOURCE_MESSAGE, MediaError } from './errors.ts';
import { ffprobeJson, ffprobeText, type FfprobeOptions, type FfprobeStream } from './ffprobe.ts';
import type { RunOptions } from './process.ts';

export interface ProbeResult {
  durationSec: number;
  sizeBytes: number;
  formatName: string;
  bitRate?: number;
  video?: {
    /** Input stream index, so encoders map exactly the stream described here. */
    index: number;
    codec: string;
    /** Coded size, as stored. */
    width: number;
    height: number;
    /** Size as shown: sample aspect ratio applied, then rotation. */
    displayWidth: number;
    displayHeight: number;
    /** Clockwise degrees the player must turn the coded picture: 0, 90, 180 or 270. */
    rotation: number;
    fps: number;
    pixFmt?: string;
    /** Bits per sample: 8 for yuv420p, 10 for yuv420p10le. */
    bitDepth?: number;
    /**
     * ffprobe's `field_order`: `progressive`, `tt`, `bb`, `tb`, `bt` (interlaced: which field
     * is coded and shown first) or `unknown`.
     */
    fieldOrder?: string;
    /** ffprobe's colour tags, when the stream has them: `smpte2084` (PQ), `arib-std-b67` (HLG), `bt709`, … */
    colorTransfer?: string;
    colorPrimaries?: string;
    colorSpace?: string;
    bitRate?: number;
  };
  audio?: { index: number; codec: string; channels: number; sampleRate: number; bitRate?: number };
}

/** Header reads should take milliseconds; a probe that hangs means a pathological file. */
const DEFAULT_PROBE_TIMEOUT_MS = 60_000;

/**
 * `file` may also be an http(s) URL (a presigned origin URL), so the worker can start on
 * the opener before the whole source has downloaded. The check that an MP4's boxes are all
 * there needs the whole file, so a URL probe skips it; probe the local copy for that.
 */
export async function probe(file: string, opts: RunOptions = {}): Promise<ProbeResult> {
  const remote = /^https?:\/\//.test(file);
  const runOpts = { signal: opts.signal, timeoutMs: opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, scratchRoot: opts.scratchRoot };
  // ffprobe picks the demuxer here, among the media-file allowlist only (see confine.ts).
  const out = await ffprobeJson(file, ['-show_format', '-show_streams'], runOpts);
  const formatName = out.format?.format_name ?? '';
  if (!remote && /\b(mov|mp4)\b/.test(formatName) && !(await readTopLevelBoxes(file)).complete) {
    throw new MediaError('CORRUPT_SOURCE', CORRUPT_SOURCE_MESSAGE);
  }

  const streams = out.streams ?? [];
  const v = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const a = streams.find((s) => s.codec_type === 'audio');
  if (!v && !a) {
    throw new MediaError('NO_MEDIA_STREAMS', 'The file contains no video or audio to play.');
  }

  let durationSec = positive(out.format?.duration) ?? maxOf(streams.map((s) => positive(s.duration)));
  // Streamed recordings (MediaRecorder WebM, raw elementary streams) carry no duration header.
  durationSec ??= await durationFromPackets(file, (v ?? a)!.index, { ...runOpts, formatName });
  if (!durationSec) {
    throw new MediaError('ZERO_DURATION', 'The file has no duration: it holds no playable frames or samples.');
  }

  const sizeBytes = positive(out.format?.size) ?? (remote ? 0 : (await stat(file)).size);
  const result: ProbeResult = { durationSec, sizeBytes, formatName };
  const bitRate = positive(out.format?.bit_rate);
  if (bitRate) result.bitRate = bitRate;
  if (v) result.video = videoInfo(v);
  if (a) result.audio = audioInfo(a);
  return result;
}

function videoInfo(s: FfprobeStream): NonNullable<ProbeResult['video']> {
  const width = s.width ?? 0;
  const height = s.height ?? 0;
  if (!width || !height) throw new MediaError('CORRUPT_SOURCE', CORRUPT_SOURCE_MESSAGE);
  const sar = ratio(s.sample_aspect_ratio, ':');
  // Anamorphic sources store fewer columns than they show; players stretch by the SAR.
  const shownWidth = sar && sar > 0 ? Math.round(width * sar) : width;
  const rotation = rotationOf(s);
  const quarterTurn = rotation === 90 || rotation === 270;
  const info: NonNullable<ProbeResult['video']> = {
    index: s.index,
    codec: s.codec_name ?? 'unknown',
    width,
    height,
    displayWidth: quarterTurn ? height : shownWidth,
    displayHeight: quarterTurn ? shownWidth : height,
    rotation,
    fps: frameRate(s),
  };
  if (s.pix_fmt) info.pixFmt = s.pix_fmt;
  const bitDepth = bitDepthOf(s);
  if (bitDepth) info.bitDepth = bitDepth;
  if (s.field_order) info.fieldOrder = s.field_order;
  if (s.color_transfer) info.colorTransfer = s.color_transfer;
  if (s.color_primaries) info.colorPrimaries = s.color_primaries;
  if (s.color_space) info.colorSpace = s.color_space;
  const bitRate = positive(s.bit_rate);
  if (bitRate) info.bitRate = bitRate;
  return info;
}

/**
 * The pixel format names its depth (`yuv420p10le`, `p010le`, `gray12le`; 16 bits a channel in
 * `rgb48le`); formats without a number are 8-bit. The decoder's own count is the fallback.
 */
function bitDepthOf(s: FfprobeStream): number | undefined {
  const fmt = s.pix_fmt;
  if (fmt) {
    const depth = /^(?:p[0-4]|y[0-4]|gray|.*p)(\d{2})(?:le|be)$/.exec(fmt)?.[1];
    if (depth) return Number(depth);
    if (/^(?:rgb|bgr)(?:48|a64|64)/.test(fmt)) return 16;
    if (!/\d{2}(?:le|be)$/.test(fmt)) return 8;
  }
  return positive(s.bits_per_raw_sample);
}

function audioInfo(s: FfprobeStream): NonNullable<ProbeResult['audio']> {
  const info: NonNullable<ProbeResult['audio']> = {
    index: s.index,
    codec: s.codec_name ?? 'unknown',
    channels: s.channels ?? 0,
    sampleRate: positive(s.sample_rate) ?? 0,
  };
  const bitRate = positive(s.bit_rate);
  if (bitRate) info.bitRate = bitRate;
  return info;
}

/**
 * ffmpeg 5.1 reports a phone's orientation as the display matrix's `rotation` (counter-clockwise,
 * so a portrait phone clip shows -90) and older muxers as a `rotate` tag (clockwise).
 */
function rotationOf(s: FfprobeStream): number {
  const matrix = s.side_data_list?.find((d) => typeof d.rotation === 'number');
  const clockwise = matrix ? -matrix.rotation! : Number(s.tags?.rotate ?? 0);
  if (!Number.isFinite(clockwise)) return 0;
  return (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
}

function frameRate(s: FfprobeStream): number {
  for (const r of [s.avg_frame_rate, s.r_frame_rate]) {
    const fps = ratio(r, '/');
    if (fps && fps > 0 && fps <= 1000) return fps;
  }
  return 30;
}

async function durationFromPackets(file: string, streamIndex: number, opts: FfprobeOptions): Promise<number | undefined> {
  let end = 0;
  let packets = 0;
  let pending = '';
  const consume = (line: string) => {
    const [pts, dur] = line.trim() ? line.split(',').map(Number) : [];
    if (pts === undefined || !Number.isFinite(pts)) return;
    packets++;
    end = Math.max(end, pts + (dur !== undefined && Number.isFinite(dur) ? dur : 0));
  };
  await ffprobeText(file, ['-select_streams', String(streamIndex), '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0'], {
    ...opts,
    onStdout: (chunk) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(consume);
    },
  });
  consume(pending);
  // A single packet is a still image, which has nothing to play over time.
  return packets > 1 && end > 0 ? end : undefined;
}

function positive(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

function maxOf(values: Array<number | undefined>): number | undefined {
  const defined = values.filter((x): x is number => x !== undefined);
  return defined.length ? Math.max(...defined) : undefined;
}

function ratio(value: string | undefined, sep: string): number | undefined {
  const [num, den] = (value ?? '').split(sep).map(Number);
  return num !== undefined && den !== undefined && Number.isFinite(num) && den > 0 ? num / den : undefined;
}
