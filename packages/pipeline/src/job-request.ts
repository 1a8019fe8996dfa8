import {
  type CommandLimits,
  type CommandSpec,
  checkCommand,
  type InputFacts,
  type Operation,
  operationCommand,
  type OperationOptions,
  type QualityMetric,
  type ConvertOptions,
  DEFAULT_CRF,
} from '@kino/media';
import type { Preset } from '@kino/presets';

// A job of the jobs API as it is stored (user_jobs.request) once the api accepted it: the
// api checks it with the same functions the worker runs it with, so a request that passed
// at the door fails at run time only for what the inputs turn out to be.

/** An input: an asset of the caller's account, or a URL fetched through the SSRF guard. */
export type JobInput = { asset_id: string } | { url: string };

export type JobRequest =
  | {
      kind: 'typed';
      operation: Operation;
      options: Record<string, unknown>;
      /** In order: in_0, in_1, … */
      inputs: JobInput[];
      enable_metrics: boolean;
      /** The preset the options came from (convert), for usage by preset. */
      preset?: string;
    }
  | {
      kind: 'command';
      ffmpeg_args: string;
      /** Placeholder name (in_…) → input. */
      input_files: Record<string, JobInput>;
      /** Placeholder name (out_…) → file name. */
      output_files: Record<string, string>;
    }
  | {
      /** POST /v1/analyze: quality metrics of `distorted` against `reference`, no outputs. */
      kind: 'analyze';
      reference: JobInput;
      distorted: JobInput;
      metrics: QualityMetric[];
    };

/** The command of a request that runs ffmpeg over its inputs (every kind but analyze). */
export type CommandRequest = Exclude<JobRequest, { kind: 'analyze' }>;

/** The placeholder each input is known by, and the input. */
export function jobInputs(r: JobRequest): Array<[string, JobInput]> {
  if (r.kind === 'analyze')
    return [
      ['in_reference', r.reference],
      ['in_distorted', r.distorted],
    ];
  return r.kind === 'typed' ? r.inputs.map((input, i) => [`in_${i}`, input]) : Object.entries(r.input_files);
}

/** The command a request runs; `facts` (in jobInputs' order) from the worker's probe. */
export function jobCommand(r: CommandRequest, facts?: readonly InputFacts[]): CommandSpec {
  if (r.kind === 'command') return { args: r.ffmpeg_args, inputs: Object.keys(r.input_files), outputs: r.output_files };
  return operationCommand(r.operation, r.options as unknown as OperationOptions[typeof r.operation], r.inputs.length, facts);
}

/** Throws CommandError or OperationError naming what is wrong; the api's check at the door. */
export function checkJobRequest(r: CommandRequest, limits: CommandLimits): void {
  checkCommand(jobCommand(r), limits);
}

/**
 * A preset's encoder settings as a convert's options (the options given win): its codec,
 * its short side as max_height, a lower crf for `high`, its audio bitrate; an audio-only
 * preset converts to m4a. Null for what a job cannot make yet: a preset's centre crop.
 */
export function presetConvertOptions(preset: Preset, given: Partial<ConvertOptions>): Partial<ConvertOptions> | null {
  if (preset.video?.crop) return null;
  const fromPreset: Partial<ConvertOptions> = preset.video
    ? {
        container: 'mp4',
        video_codec: preset.video.codec,
        max_height: preset.video.max_height,
        crf: DEFAULT_CRF[preset.video.codec] - (preset.video.quality === 'high' ? 3 : 0),
        audio_codec: preset.audio.codec,
        audio_bitrate_kbps: preset.audio.bitrate_kbps,
      }
    : { container: 'm4a', audio_codec: preset.audio.codec, audio_bitrate_kbps: preset.audio.bitrate_kbps };
  // A bitrate given replaces the preset's quality target (they cannot both be set).
  if (given.video_bitrate_kbps !== undefined) delete fromPreset.crf;
  return { ...fromPreset, ...given };
}
