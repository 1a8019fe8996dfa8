import { mediaInput } from './confine.ts';
import { CORRUPT_SOURCE_MESSAGE, MediaError } from './errors.ts';
import { runProcess, type ProcessOptions } from './process.ts';

/** The subset of `ffprobe -print_format json` this package reads. */
export interface FfprobeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  field_order?: string;
  color_range?: string;
  color_space?: string;
  color_transfer?: string;
  color_primaries?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  bit_rate?: string;
  channels?: number;
  sample_rate?: string;
  extradata?: string;
  disposition?: Record<string, number>;
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
}

export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; size?: string; bit_rate?: string };
}

export type FfprobeOptions = ProcessOptions & {
  /** The demuxer, from an earlier probe's `format_name`; otherwise ffprobe picks among the allowlist. */
  formatName?: string;
  /** Single images are media here too (IMAGE_DEMUXERS). */
  images?: boolean;
};

/** Probes a file whose structure the caller needs; a file ffprobe cannot open is a corrupt source. */
export async function ffprobeJson(file: string, showArgs: string[], opts: FfprobeOptions = {}): Promise<FfprobeOutput> {
  const out = await ffprobeText(file, ['-print_format', 'json', ...showArgs], opts);
  return JSON.parse(out) as FfprobeOutput;
}

/** ffprobe over one confined input (see confine.ts). */
export async function ffprobeText(file: string, args: string[], opts: FfprobeOptions = {}): Promise<string> {
  const chunks: Buffer[] = [];
  const { formatName, images, ...run } = opts;
  const onStdout = run.onStdout ?? ((c: Buffer) => chunks.push(c));
  const result = await runProcess('ffprobe', ['-v', 'error', ...args, ...mediaInput(file, formatName, { images })], { ...run, onStdout });
  if (result.code !== 0) {
    throw new MediaError('CORRUPT_SOURCE', CORRUPT_SOURCE_MESSAGE, { stderrTail: result.stderrTail });
  }
  return Buffer.concat(chunks).toString('utf8');
}
