// The jobs API's typed operations, each written as a command (command.ts) so that a typed
// job and a user's command are checked, bounded and confined by the one path.
import type { CommandSpec } from './command.ts';

export const OPERATIONS = ['convert', 'trim', 'extract_audio', 'thumbnail', 'gif', 'concat', 'watermark'] as const;
export type Operation = (typeof OPERATIONS)[number];

export const CONTAINERS = ['mp4', 'webm', 'mkv', 'mov', 'm4a', 'mp3'] as const;
export const VIDEO_CODECS = ['h264', 'h265', 'av1', 'vp9'] as const;
export const AUDIO_CODECS = ['aac', 'opus', 'mp3'] as const;
export const EXTRACT_CODECS = ['aac', 'mp3', 'opus', 'flac', 'wav'] as const;
export const IMAGE_FORMATS = ['jpg', 'png', 'webp'] as const;
export const POSITIONS = ['top-left', 'top-right', 'bottom-left', 'bottom-right', 'center'] as const;

export interface ConvertOptions {
  container: (typeof CONTAINERS)[number];
  video_codec?: (typeof VIDEO_CODECS)[number];
  audio_codec?: (typeof AUDIO_CODECS)[number];
  width?: number;
  height?: number;
  /** The short side at most (a preset's max_height): never upscaled, applied once the input is probed. */
  max_height?: number;
  video_bitrate_kbps?: number;
  crf?: number;
  audio_bitrate_kbps?: number;
}
export interface TrimOptions {
  start: number;
  end: number;
}
export interface ExtractAudioOptions {
  codec?: (typeof EXTRACT_CODECS)[number];
  bitrate_kbps?: number;
}
export interface ThumbnailOptions {
  time?: number;
  width?: number;
  format?: (typeof IMAGE_FORMATS)[number];
}
export interface GifOptions {
  start?: number;
  end: number;
  fps?: number;
  width?: number;
}
export interface WatermarkOptions {
  position?: (typeof POSITIONS)[number];
  margin?: number;
  opacity?: number;
  /** The watermark's width in pixels; its own when unset. */
  width?: number;
}
export type ConcatOptions = Record<string, never>;

export type OperationOptions = {
  convert: ConvertOptions;
  trim: TrimOptions;
  extract_audio: ExtractAudioOptions;
  thumbnail: ThumbnailOptions;
  gif: GifOptions;
  concat: ConcatOptions;
  watermark: WatermarkOptions;
};

/** What the worker's probe of the inputs says, where an operation depends on it. */
export interface InputFacts {
  hasAudio: boolean;
  width?: number | undefined;
  height?: number | undefined;
}

/** Options that do not fit together: `field` names the one at fault. */
export class OperationError extends Error {
  override name = 'OperationError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** How many inputs each operation reads. */
export const INPUT_COUNT: Record<Operation, { min: number; max: number }> = {
  convert: { min: 1, max: 1 },
  trim: { min: 1, max: 1 },
  extract_audio: { min: 1, max: 1 },
  thumbnail: { min: 1, max: 1 },
  gif: { min: 1, max: 1 },
  concat: { min: 2, max: 5 },
  watermark: { min: 2, max: 2 },
};

const REQUIRED: Record<Operation, readonly string[]> = {
  convert: ['container'],
  trim: ['start', 'end'],
  extract_audio: [],
  thumbnail: [],
  gif: ['end'],
  concat: [],
  watermark: [],
};

/** The one output every typed operation writes. */
export const OUTPUT = 'out_result';
const inputNames = (n: number) => Array.from({ length: n }, (_, i) => `in_${i}`);

const VIDEO_ENCODER = {
  h264: '-c:v libx264 -preset veryfast -pix_fmt yuv420p',
  h265: '-c:v libx265 -preset veryfast -pix_fmt yuv420p',
  av1: '-c:v libsvtav1 -preset 10 -pix_fmt yuv420p',
  vp9: '-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -pix_fmt yuv420p',
} as const;
export const DEFAULT_CRF = { h264: 23, h265: 28, av1: 35, vp9: 33 } as const;
const AUDIO_ENCODER = { aac: 'aac', opus: 'libopus', mp3: 'libmp3lame' } as const;
const AUDIO_ONLY = new Set(['m4a', 'mp3']);
/** What each container holds: the codecs in the order of preference (the first is the default). */
const FITS: Record<ConvertOptions['container'], { video: readonly string[]; audio: readonly string[] }> = {
  mp4: { video: ['h264', 'h265', 'av1'], audio: ['aac', 'mp3', 'opus'] },
  mov: { video: ['h264', 'h265'], audio: ['aac'] },
  mkv: { video: ['h264', 'h265', 'av1', 'vp9'], audio: ['aac', 'opus', 'mp3'] },
  webm: { video: ['vp9', 'av1'], audio: ['opus'] },
  m4a: { video: [], audio: ['aac'] },
  mp3: { video: [], audio: ['mp3'] },
};
const FASTSTART = new Set(['mp4', 'mov', 'm4a']);

/**
 * The command of a typed operation over `inputs` inputs. `facts` (the worker's probe) is
 * needed by concat, which scales to the first input and joins sound only when all have it;
 * the api checks a request without it.
 */
export function operationCommand<O extends Operation>(
  operation: O,
  options: OperationOptions[O],
  inputs: number,
  facts?: readonly InputFacts[],
): CommandSpec {
  for (const field of REQUIRED[operation])
    if ((options as Record<string, unknown>)[field] === undefined) throw new OperationError(field, `${operation} needs options.${field}.`);
  const range = INPUT_COUNT[operation];
  if (inputs < range.min || inputs > range.max)
    throw new OperationError(
      'inputs',
      `${operation} takes ${range.min === range.max ? range.min : `${range.min} to ${range.max}`} inputs.`,
    );
  const build = BUILDERS[operation] as (o: OperationOptions[O], n: number, f?: readonly InputFacts[]) => { args: string; file: string };
  const { args, file } = build(options, inputs, facts);
  return { args, inputs: inputNames(inputs), outputs: { [OUTPUT]: file } };
}

const out = `{{${OUTPUT}}}`;
/** Seconds as the command's time syntax takes them: `String(1e-7)` would be `1e-7`, refused there. */
const seconds = (s: number) => s.toFixed(3);
const span = (start: number, end: number, field = 'end') => {
  if (!(end > start)) throw new OperationError(field, `${field} must be after start.`);
  return `-ss ${seconds(start)} -t ${seconds(end - start)}`;
};
/** A GIF is a short loop: past these it is a video file, many times the bytes of one. */
export const GIF_LIMITS = { maxSeconds: 30, maxWidth: 1920 } as const;
const h264 = `${VIDEO_ENCODER.h264} -crf 20 -c:a aac -b:a 128k -movflags +faststart`;

const BUILDERS: { [O in Operation]: (o: OperationOptions[O], n: number, f?: readonly InputFacts[]) => { args: string; file: string } } = {
  convert(o, _n, facts) {
    const fits = FITS[o.container];
    const audioOnly = AUDIO_ONLY.has(o.container);
    if (audioOnly && (o.video_codec || o.width || o.height || o.video_bitrate_kbps || o.crf !== undefined))
      throw new OperationError(o.video_codec ? 'video_codec' : 'container', `${o.container} holds sound only: no video options.`);
    const video = o.video_codec ?? fits.video[0];
    const audio = o.audio_codec ?? fits.audio[0]!;
    if (video && !fits.video.includes(video)) throw new OperationError('video_codec', `${o.container} does not hold ${video}.`);
    if (!fits.audio.includes(audio)) throw new OperationError('audio_codec', `${o.container} does not hold ${audio}.`);
    if (o.video_bitrate_kbps !== undefined && o.crf !== undefined)
      throw new OperationError('crf', 'Give video_bitrate_kbps or crf, not both.');
    const parts = [`-i {{in_0}}`];
    if (video) {
      const codec = video as keyof typeof VIDEO_ENCODER;
      parts.push('-map 0:v:0 -map 0:a:0?', VIDEO_ENCODER[codec]);
      parts.push(
        o.video_bitrate_kbps ? `-b:v ${o.video_bitrate_kbps}k` : `-crf ${o.crf ?? DEFAULT_CRF[codec]}${codec === 'vp9' ? ' -b:v 0' : ''}`,
      );
      if (codec === 'h265' && (o.container === 'mp4' || o.container === 'mov')) parts.push('-tag:v hvc1');
      if (o.width || o.height) parts.push(`-vf scale=${o.width ?? -2}:${o.height ?? -2}`);
      else if (o.max_height) {
        const w = facts?.[0]?.width ?? 0;
        const h = facts?.[0]?.height ?? Number.POSITIVE_INFINITY;
        // The short side, as a ladder's rungs are named; a smaller source is left as it is.
        if (Math.min(w || h, h) > o.max_height) parts.push(`-vf scale=${w > h ? `-2:${o.max_height}` : `${o.max_height}:-2`}`);
      }
    } else parts.push('-vn -map 0:a:0');
    parts.push(`-c:a ${AUDIO_ENCODER[audio as keyof typeof AUDIO_ENCODER]} -b:a ${o.audio_bitrate_kbps ?? 128}k`);
    if (FASTSTART.has(o.container)) parts.push('-movflags +faststart');
    return { args: `${parts.join(' ')} ${out}`, file: `output.${o.container}` };
  },
  trim: (o) => ({ args: `${span(o.start, o.end)} -i {{in_0}} -map 0:v:0 -map 0:a:0? ${h264} ${out}`, file: 'output.mp4' }),
  extract_audio(o) {
    const codec = o.codec ?? 'aac';
    const { encoder, ext } = {
      aac: { encoder: 'aac', ext: 'm4a' },
      mp3: { encoder: 'libmp3lame', ext: 'mp3' },
      opus: { encoder: 'libopus', ext: 'opus' },
      flac: { encoder: 'flac', ext: 'flac' },
      wav: { encoder: 'pcm_s16le', ext: 'wav' },
    }[codec];
    const lossy = codec === 'aac' || codec === 'mp3' || codec === 'opus';
    if (!lossy && o.bitrate_kbps) throw new OperationError('bitrate_kbps', `${codec} is lossless: it takes no bitrate.`);
    const rate = lossy ? ` -b:a ${o.bitrate_kbps ?? 128}k` : '';
    return {
      args: `-i {{in_0}} -vn -map 0:a:0 -c:a ${encoder}${rate}${ext === 'm4a' ? ' -movflags +faststart' : ''} ${out}`,
      file: `output.${ext}`,
    };
  },
  thumbnail(o) {
    const format = o.format ?? 'jpg';
    const encoder = { jpg: '-c:v mjpeg -q:v 3 -pix_fmt yuvj420p', png: '-c:v png', webp: '-c:v libwebp' }[format];
    const scale = o.width ? ` -vf scale=${o.width}:-2` : '';
    return {
      args: `-ss ${seconds(o.time ?? 0)} -i {{in_0}} -map 0:v:0 -frames:v 1 -update 1${scale} ${encoder} ${out}`,
      file: `output.${format}`,
    };
  },
  gif(o) {
    if ((o.width ?? 0) > GIF_LIMITS.maxWidth) throw new OperationError('width', `A gif is at most ${GIF_LIMITS.maxWidth} pixels wide.`);
    if (o.end - (o.start ?? 0) > GIF_LIMITS.maxSeconds)
      throw new OperationError('end', `A gif lasts at most ${GIF_LIMITS.maxSeconds} s (end - start).`);
    const graph = `[0:v]fps=${o.fps ?? 10},scale=${o.width ?? 320}:-1:flags=lanczos,split[a][b];[a]palettegen[p];[b][p]paletteuse`;
    return { args: `${span(o.start ?? 0, o.end)} -i {{in_0}} -filter_complex ${graph} ${out}`, file: 'output.gif' };
  },
  concat(_o, n, facts) {
    const first = facts?.[0];
    const w = even(first?.width ?? 1280);
    const h = even(first?.height ?? 720);
    const audio = facts ? facts.every((f) => f.hasAudio) : true;
    const chains: string[] = [];
    const pads: string[] = [];
    for (let i = 0; i < n; i++) {
      chains.push(
        `[${i}:v]scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30,format=yuv420p[v${i}]`,
      );
      if (audio) chains.push(`[${i}:a]aformat=sample_rates=48000:channel_layouts=stereo[a${i}]`);
      pads.push(audio ? `[v${i}][a${i}]` : `[v${i}]`);
    }
    chains.push(`${pads.join('')}concat=n=${n}:v=1:a=${audio ? 1 : 0}[v]${audio ? '[a]' : ''}`);
    const inputs = Array.from({ length: n }, (_, i) => `-i {{in_${i}}}`).join(' ');
    return { args: `${inputs} -filter_complex ${chains.join(';')} -map [v]${audio ? ' -map [a]' : ''} ${h264} ${out}`, file: 'output.mp4' };
  },
  watermark(o) {
    const m = o.margin ?? 16;
    const xy = {
      'top-left': `${m}:${m}`,
      'top-right': `W-w-${m}:${m}`,
      'bottom-left': `${m}:H-h-${m}`,
      'bottom-right': `W-w-${m}:H-h-${m}`,
      center: '(W-w)/2:(H-h)/2',
    }[o.position ?? 'bottom-right'];
    const size = o.width ? `scale=${o.width}:-1,` : '';
    const graph = `[1:v]${size}format=rgba,colorchannelmixer=aa=${o.opacity ?? 1}[wm];[0:v][wm]overlay=${xy},format=yuv420p[v]`;
    return { args: `-i {{in_0}} -i {{in_1}} -filter_complex ${graph} -map [v] -map 0:a:0? ${h264} ${out}`, file: 'output.mp4' };
  },
};

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
