import { ffprobeJson } from './ffprobe.ts';
import type { ProcessOptions } from './process.ts';

/** What a job's answer says of a file: ffprobe's summary, in the API's words. */
export interface MediaFacts {
  format: string | null;
  duration_sec: number | null;
  bit_rate: number | null;
  streams: Array<{
    type: string;
    codec: string | null;
    width?: number;
    height?: number;
    frame_rate?: string;
    channels?: number;
    sample_rate?: number;
  }>;
}

const num = (v: string | undefined) => (v === undefined || !Number.isFinite(Number(v)) ? null : Number(v));

/**
 * ffprobe's summary of a job's input or output, confined like every probe (single images
 * allowed: a watermark, a thumbnail). Throws CORRUPT_SOURCE when ffprobe cannot read it.
 */
export async function describeMedia(file: string, opts: ProcessOptions = {}): Promise<MediaFacts & { formatName: string }> {
  const out = await ffprobeJson(file, ['-show_format', '-show_streams'], { ...opts, images: true });
  const streams = (out.streams ?? []).filter((s) => s.codec_type === 'video' || s.codec_type === 'audio');
  return {
    formatName: out.format?.format_name ?? '',
    format: out.format?.format_name ?? null,
    duration_sec: num(out.format?.duration),
    bit_rate: num(out.format?.bit_rate),
    streams: streams.map((s) => ({
      type: s.codec_type!,
      codec: s.codec_name ?? null,
      ...(s.width ? { width: s.width, height: s.height ?? 0 } : {}),
      ...(s.codec_type === 'video' && s.avg_frame_rate && s.avg_frame_rate !== '0/0' ? { frame_rate: s.avg_frame_rate } : {}),
      ...(s.channels ? { channels: s.channels } : {}),
      ...(s.sample_rate ? { sample_rate: Number(s.sample_rate) } : {}),
    })),
  };
}
