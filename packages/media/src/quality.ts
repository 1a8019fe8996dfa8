// Objective quality of an encode against its source: PSNR and SSIM from ffmpeg's own
// filters, VMAF where a libvmaf-enabled ffmpeg is installed. Both inputs go through the
// same confinement as every other run over user media (confine.ts).
import { MediaError } from './errors.ts';

export type QualityMetric = 'psnr' | 'ssim' | 'vmaf';
export interface QualityScores {
  /** Mean PSNR over the measured frames, in dB; identical pictures are capped (see PSNR_CAP_DB). */
  psnr?: number;
  /** Mean SSIM (0–1, 1 = identical). */
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
  /** Measure only windows of about this many seconds in total, spread over the file; whole file when unset. */
  sampleSeconds?: number;
  /** Where the run's own working directory is made. */
  scratchDir: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** Niceness for background measurements (the ladder's). */
  nice?: number;
}

export async function measureQuality(_o: MeasureQualityOptions): Promise<QualityScores> {
  throw new MediaError('FFMPEG_FAILED', 'Quality measurement is not implemented yet.');
}

/** Whether this machine's ffmpeg can measure VMAF (has the libvmaf filter). */
export async function vmafAvailable(): Promise<boolean> {
  return false;
}
