// What this machine's ffmpeg can do, read from ffmpeg itself (`-muxers`, `-encoders`,
// `-filters`): a worker reports it at start, and GET /v1/capabilities answers from the
// reports of the workers that would run a job, not from a list written here.
import { MediaError } from './errors.ts';
import { runProcess } from './process.ts';
import { vmafAvailable } from './quality.ts';

export interface FfmpegCapabilities {
  /** `ffmpeg version …`'s version word. */
  ffmpegVersion: string;
  /** Output container formats (muxers). */
  muxers: string[];
  videoEncoders: string[];
  audioEncoders: string[];
  /** Every filter this ffmpeg has; what a job's command may use is these ∩ isAllowedFilter. */
  filters: string[];
  vmaf: boolean;
}

const LIST_TIMEOUT_MS = 30_000;

/** Runs ffmpeg's own listings (no user input: no input file at all) and parses them. */
export async function readFfmpegCapabilities(opts: { scratchRoot?: string; signal?: AbortSignal } = {}): Promise<FfmpegCapabilities> {
  const [version, muxers, encoders, filters, vmaf] = await Promise.all([
    ffmpegStdout(['-version'], opts),
    ffmpegStdout(['-muxers'], opts),
    ffmpegStdout(['-encoders'], opts),
    ffmpegStdout(['-filters'], opts),
    vmafAvailable(opts),
  ]);
  const enc = parseEncoders(encoders);
  return {
    ffmpegVersion: /^ffmpeg version (\S+)/m.exec(version)?.[1] ?? 'unknown',
    muxers: parseMuxers(muxers),
    videoEncoders: enc.video,
    audioEncoders: enc.audio,
    filters: parseFilters(filters),
    vmaf,
  };
}

async function ffmpegStdout(args: string[], opts: { scratchRoot?: string; signal?: AbortSignal }): Promise<string> {
  const chunks: Buffer[] = [];
  const result = await runProcess('ffmpeg', ['-hide_banner', ...args], {
    ...opts,
    timeoutMs: LIST_TIMEOUT_MS,
    onStdout: (c) => void chunks.push(c),
  });
  if (result.code !== 0) throw new MediaError('FFMPEG_FAILED', `ffmpeg ${args[0]} failed.`, { stderrTail: result.stderrTail });
  return Buffer.concat(chunks).toString('utf8');
}

/** Rows after the `--` line: ` DE mp4   description`; a muxer has E in the flags. */
export function parseMuxers(text: string): string[] {
  return rowsAfterRule(text)
    .map((l) => /^\s*([D. ]?E)\s+(\S+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .flatMap((m) => m[2]!.split(','))
    .sort();
}

/** Rows after the `------` line: ` V....D libx264   description`. */
export function parseEncoders(text: string): { video: string[]; audio: string[] } {
  const video: string[] = [];
  const audio: string[] = [];
  for (const l of rowsAfterRule(text)) {
    const m = /^\s*([VAS])[.A-Z]{5}\s+(\S+)/.exec(l);
    if (m?.[1] === 'V') video.push(m[2]!);
    if (m?.[1] === 'A') audio.push(m[2]!);
  }
  return { video: video.sort(), audio: audio.sort() };
}

/** Rows after the legend: ` TSC psnr   VV->V   description`. */
export function parseFilters(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /^\s*[T.][S.][C.]\s+(\S+)\s+\S+->\S+/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined)
    .sort();
}

function rowsAfterRule(text: string): string[] {
  const lines = text.split('\n');
  const rule = lines.findIndex((l) => /^\s*-{2,}\s*$/.test(l));
  return rule < 0 ? [] : lines.slice(rule + 1).filter((l) => l.trim() !== '');
}
