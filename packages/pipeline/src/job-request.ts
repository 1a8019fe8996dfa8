import {
  type CommandLimits,
  type CommandSpec,
  checkCommand,
  type InputFacts,
  type Operation,
  operationCommand,
  type OperationOptions,
  type QualityMetric,
} from '@kino/media';

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
