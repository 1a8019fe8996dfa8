// Objective quality of an encode against its source: PSNR and SSIM from ffmpeg's own
// filters, VMAF where the machine's ffmpeg has libvmaf and its model. Both inputs go through
// the same confinement as every other run over user media (confine.ts). Scores are read
// from the filters' summary lines on stderr, never from a stats file: a written path would
// be one more thing a command could aim somewhere else.
import { assertConfined, mediaInput } from './confine.ts';
import { MediaError } from './errors.ts';
import { lastLine, runProcess } from './process.ts';
import { probe, type ProbeResult } from './probe.ts';

export type QualityMetric = 'psnr' | 'ssim' | 'vmaf';
export const QUALITY_METRICS: readonly QualityMetric[] = ['psnr', 'ssim', 'vmaf'];

export interface QualityScores {
  /** Mean PSNR of the luma and chroma planes, in dB; identical pictures score PSNR_CAP_DB. */
  psnr?: number;
  /** Mean SSIM over all planes (0–1, 1 = identical). */
  ssim?: number;
  /** Mean VMAF (0–100). */
  vmaf?: number;
  /** Seconds of video actually compared (the sampled windows, or the whole overlap). */
  sampledSeconds: number;
}

/** One confined input: a local path or a presigned URL, and its probed `format_name` when known. */
export interface MediaInput {
  src: string;
  formatName?: string;
}

export interface MeasureQualityOptions {
  reference: MediaInput;
  distorted: MediaInput;
  metrics: QualityMetric[];
  /**
   * Compare only about this many seconds, in SAMPLE_WINDOWS windows spread over the file, so
   * a measurement costs a few seconds of decoding whatever the length; the whole overlap
   * when unset or when the file is not longer than that.
   */
  sampleSeconds?: number;
  /** Where each run's own working directory is made. */
  scratchDir: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** Niceness for background measurements (the ladder's). */
  nice?: number;
}

/** ffmpeg says `inf` for identical pictures; JSON has no infinity, and nothing real scores above this. */
export const PSNR_CAP_DB = 100;
export const SAMPLE_WINDOWS = 3;

/**
 * Scores `distorted` against `reference`, picture against picture: the distorted video is
 * scaled to the reference's displayed size, both are compared as 8-bit 4:2:0 from their
 * first frame (timestamps reset), so a rendition at a lower rung is judged as a viewer would
 * see it upscaled. Windows are weighted by their length.
 */
export async function measureQuality(o: MeasureQualityOptions): Promise<QualityScores> {
  const metrics = [...new Set(o.metrics)];
  if (metrics.length === 0) throw new MediaError('UNSUPPORTED_METRIC', 'Name at least one metric: psnr, ssim or vmaf.');
  if (metrics.includes('vmaf') && !(await vmafAvailable({ scratchRoot: o.scratchDir }))) {
    throw new MediaError('UNSUPPORTED_METRIC', 'VMAF is not available on this server: its ffmpeg has no libvmaf with a model.');
  }
  const runOpts = { signal: o.signal, timeoutMs: o.timeoutMs, scratchRoot: o.scratchDir };
  const [ref, dist] = await Promise.all([probe(o.reference.src, runOpts), probe(o.distorted.src, runOpts)]);
  if (!ref.video || !dist.video) throw new MediaError('NO_MEDIA_STREAMS', 'Quality can only be measured between two videos.');
  const overlap = Math.min(ref.durationSec, dist.durationSec);
  const windows = sampleWindows(overlap, o.sampleSeconds);

  const deadline = Date.now() + o.timeoutMs;
  const sums: Partial<Record<QualityMetric, number>> = {};
  let seconds = 0;
  for (const w of windows) {
    const scores = await measureWindow(o, ref, dist, metrics, w, Math.max(1, deadline - Date.now()));
    for (const m of metrics) sums[m] = (sums[m] ?? 0) + scores[m]! * w.length;
    seconds += w.length;
  }
  const out: QualityScores = { sampledSeconds: round(seconds, 3) };
  for (const m of metrics) out[m] = round(sums[m]! / seconds, m === 'ssim' ? 6 : 3);
  return out;
}

export interface SampleWindow {
  start: number;
  length: number;
}

/** Where to look: the whole overlap, or SAMPLE_WINDOWS equal windows centred in equal parts of it. */
export function sampleWindows(durationSec: number, sampleSeconds?: number): SampleWindow[] {
  if (!sampleSeconds || sampleSeconds <= 0 || durationSec <= sampleSeconds) return [{ start: 0, length: durationSec }];
  const length = sampleSeconds / SAMPLE_WINDOWS;
  const part = durationSec / SAMPLE_WINDOWS;
  return Array.from({ length: SAMPLE_WINDOWS }, (_, i) => ({ start: round(i * part + (part - length) / 2, 3), length }));
}

async function measureWindow(
  o: MeasureQualityOptions,
  ref: ProbeResult,
  dist: ProbeResult,
  metrics: QualityMetric[],
  w: SampleWindow,
  timeoutMs: number,
): Promise<Partial<Record<QualityMetric, number>>> {
  const { displayWidth: width, displayHeight: height } = ref.video!;
  const prepare = `scale=${width}:${height},setsar=1,format=yuv420p,setpts=PTS-STARTPTS`;
  const n = metrics.length;
  const split = (label: string) => (n > 1 ? `,split=${n}${metrics.map((_, i) => `[${label}${i}]`).join('')}` : `[${label}0]`);
  // libvmaf and psnr/ssim take (distorted, reference) in that order.
  const graph = [
    `[0:v:0]${prepare}${split('r')}`,
    `[1:v:0]${prepare}${split('d')}`,
    ...metrics.map((m, i) => `[d${i}][r${i}]${m === 'vmaf' ? 'libvmaf' : m}`),
  ].join(';');
  const window = ['-ss', w.start.toFixed(3), '-t', w.length.toFixed(3)];
  // biome-ignore format: ffmpeg options read in pairs
  const args = [
    ...window, ...mediaInput(o.reference.src, o.reference.formatName ?? ref.formatName),
    ...window, ...mediaInput(o.distorted.src, o.distorted.formatName ?? dist.formatName),
    '-filter_complex', graph, '-an', '-f', 'null', '-',
  ];
  const stderr = await runMeasuring(args, { signal: o.signal, timeoutMs, scratchRoot: o.scratchDir, nice: o.nice });
  const scores: Partial<Record<QualityMetric, number>> = {};
  for (const m of metrics) scores[m] = parseScore(m, stderr);
  return scores;
}

/**
 * The metric filters print their summary at `info` level as the graph closes, so this run
 * keeps info on stderr (without the per-second stats line) instead of runFfmpeg's warnings.
 */
async function runMeasuring(args: string[], opts: Parameters<typeof runProcess>[2]): Promise<string> {
  assertConfined(args);
  const result = await runProcess('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'info', '-nostats', ...args], opts);
  if (result.code !== 0) {
    const why = lastLine(result.stderrTail);
    throw new MediaError('FFMPEG_FAILED', `Quality measurement failed${why ? `: ${why}` : '.'}`, { stderrTail: result.stderrTail });
  }
  return result.stderrTail;
}

const SUMMARY: Record<QualityMetric, RegExp> = {
  psnr: /\] PSNR .*?average:(inf|[\d.]+)/,
  ssim: /\] SSIM .*?All:([\d.]+)/,
  vmaf: /VMAF score[:=\s]+([\d.]+)/,
};

/** A metric's mean from its filter's summary line. */
export function parseScore(metric: QualityMetric, stderr: string): number {
  const m = SUMMARY[metric].exec(stderr);
  if (!m) throw new MediaError('FFMPEG_FAILED', `Quality measurement failed: ffmpeg printed no ${metric.toUpperCase()} score.`);
  return m[1] === 'inf' ? PSNR_CAP_DB : Math.min(Number(m[1]), metric === 'psnr' ? PSNR_CAP_DB : Number.POSITIVE_INFINITY);
}

let vmaf: Promise<boolean> | undefined;

/**
 * Whether this machine's ffmpeg can measure VMAF: it must have the libvmaf filter and find
 * its model, so a one-frame comparison of generated pictures must succeed. Asked once per
 * process (the answer only changes when ffmpeg is reinstalled). It runs in `scratchRoot`
 * like every other run of the caller (the first caller's, since the answer is kept).
 */
export function vmafAvailable(opts: { scratchRoot?: string } = {}): Promise<boolean> {
  vmaf ??= (async () => {
    const src = ['-f', 'lavfi', '-i', 'color=c=gray:s=64x64:d=0.04'];
    const args = [...src, ...src, '-filter_complex', '[0:v][1:v]libvmaf', '-f', 'null', '-'];
    try {
      return /VMAF score/.test(await runMeasuring(args, { timeoutMs: 30_000, ...opts }));
    } catch {
      return false;
    }
  })();
  return vmaf;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
