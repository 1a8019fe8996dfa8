import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobOutputContentType, jobOutputKey } from '@kino/artifacts';
import { getAsset, type Sql } from '@kino/db';
import { fetchToFile, ImportError, type ImportDeps } from '@kino/ingest';
import {
  type FailureReport,
  finishUserJob,
  JobFailure,
  type JobContext,
  type JobOutput,
  LeaseLostError,
  type MediaJob,
  recordEncodeSpeed,
  type SpeedCodec,
  userJobById,
} from '@kino/jobs';
import {
  CommandError,
  checkCommand,
  commandArgv,
  describeMedia,
  type MediaFacts,
  type CommandLimits,
  measureQuality,
  MediaError,
  OperationError,
  type QualityScores,
  runFfmpeg,
  type RunOptions,
  scrub,
} from '@kino/media';
import { deleteObject, presignGet, putFile, type Storage } from '@kino/storage';
import { jobCommand, jobInputs, type JobInput, type JobRequest } from './job-request.ts';
import { NICENESS } from './job-scope.ts';
import { SCRATCH_PREFIX } from './scratch.ts';

export interface RunJobDeps {
  sql: Sql;
  /** Whose encode speed a convert records (recordEncodeSpeed). */
  workerId: string;
  storage: Storage;
  /** Where per-job scratch directories go; the OS temp dir when empty. */
  tmpRoot: string;
  limits: CommandLimits & { maxTotalOutputBytes: number; maxInputBytes: number; maxTotalInputBytes: number; timeoutMs: number };
  /** Memory and CPU seconds of the command's ffmpeg run (prlimit); none when absent. */
  rlimits?: RunOptions['rlimits'];
  /**
   * URL inputs are fetched as URL imports are: the SSRF guard, its policy and timeouts, and
   * `deadlineMs` (IMPORT_MAX_SECONDS) for all of a job's fetches together.
   */
  fetch: Pick<ImportDeps, 'timeoutMs' | 'egress'> & { deadlineMs: number };
  onEvents?: (accountId: string) => void;
}

/** What enable_metrics compares of a convert's output: seconds, in windows over the file. */
const METRICS_SAMPLE_SECONDS = 6;

/** Scores as the job's `metrics`: what was measured, and over how many seconds. */
const metricsOf = (q: QualityScores): Record<string, number> =>
  Object.fromEntries(
    Object.entries({ psnr: q.psnr, ssim: q.ssim, vmaf: q.vmaf, sampled_seconds: q.sampledSeconds }).filter(([, v]) => v !== undefined),
  ) as Record<string, number>;

/** A presigned read of an asset's source lives this long: ffmpeg opens it at once. */
const SOURCE_READ_SECONDS = 3600;
const PROBE_TIMEOUT_MS = 60_000;

/** A failure of the job's own making: no retry helps. */
const refuse = (code: string, message: string): JobFailure =>
  new JobFailure({ detail: `${code}: ${message}`, retryable: false, error: { code, message } });

/**
 * Runs one attempt of a job of the jobs API: inputs (the account's assets read at the origin
 * through a presigned URL; URLs fetched through the SSRF guard into the scratch directory),
 * the command built and checked again, ffmpeg confined and bounded (-fs, -t, the time
 * limit, niced as a ladder is), outputs checked, probed and stored under jobs/{id}/, then
 * the job succeeds with them. A failure or a cancel removes what it stored.
 */
export async function runUserJob(deps: RunJobDeps, job: MediaJob, ctx: JobContext): Promise<void> {
  const row = job.job_id ? await userJobById(deps.sql, job.job_id) : null;
  if (row?.state !== 'running') return;
  const request = row.request as unknown as JobRequest;
  const work = await mkdtemp(join(deps.tmpRoot || tmpdir(), `${SCRATCH_PREFIX}${job.id}-${process.pid}-`));
  const stored: string[] = [];
  const run = { signal: ctx.signal, scratchRoot: work };
  const finish = async (outputs: JobOutput[], metrics: Record<string, number> | null) => {
    await deps.sql.begin(async (tx) => {
      await ctx.holdLease(tx);
      if (!(await finishUserJob(tx, row.id, { outputs, metrics }))) throw new LeaseLostError();
    });
    deps.onEvents?.(row.account_id);
  };
  try {
    const inputs = jobInputs(request);
    const fetching = { deadline: AbortSignal.timeout(deps.fetch.deadlineMs), bytes: 0 };
    const sources: Record<string, { src: string; formatName: string; images: boolean }> = {};
    const facts = [];
    for (const [i, [name, input]] of inputs.entries()) {
      ctx.progress({ step: 'fetch', fraction: i / inputs.length });
      const src = await inputSource(deps, row.account_id, input, join(work, name), ctx.signal, fetching);
      const probed = await describeMedia(src, { ...run, timeoutMs: PROBE_TIMEOUT_MS }).catch((err: unknown) => {
        throw err instanceof MediaError && err.code === 'CORRUPT_SOURCE'
          ? refuse('INVALID_INPUT', `The input ${name} is not a media file ffmpeg can read.`)
          : err;
      });
      const video = probed.streams.find((s) => s.type === 'video');
      facts.push({
        hasAudio: probed.streams.some((s) => s.type === 'audio'),
        width: video?.width,
        height: video?.height,
        duration: probed.duration_sec,
      });
      // Job inputs may be single images (a watermark): their demuxers read one file too.
      sources[name] = { src, formatName: probed.formatName, images: true };
    }

    if (request.kind === 'analyze') {
      ctx.progress({ step: 'measure', fraction: 0 });
      const scores = await measureQuality({
        reference: sources['in_reference']!,
        distorted: sources['in_distorted']!,
        metrics: request.metrics,
        scratchDir: work,
        signal: ctx.signal,
        timeoutMs: deps.limits.timeoutMs,
        nice: NICENESS.background,
      });
      await finish([], metricsOf(scores));
      return;
    }
    const command = jobCommand(request, facts);
    const checked = checkCommand(command, deps.limits);
    const outDir = join(work, 'out');
    await mkdir(outDir);
    const files = Object.fromEntries(checked.outputs.map((name) => [name, join(outDir, command.outputs[name]!)]));
    const argv = commandArgv(checked, { inputs: sources, outputs: files }, deps.limits);
    const longest = Math.max(0, ...facts.map((f) => f.duration ?? 0));
    const started = performance.now();
    await runFfmpeg(argv, {
      ...run,
      timeoutMs: deps.limits.timeoutMs,
      rlimits: deps.rlimits,
      nice: NICENESS.background,
      durationSec: Math.min(longest, deps.limits.maxSeconds),
      onProgress: ({ fraction }) => ctx.progress({ step: 'encode', fraction }),
    });

    const outputs: JobOutput[] = [];
    const probes: Array<Omit<MediaFacts, 'formatName'>> = [];
    let total = 0;
    for (const [name, path] of Object.entries(files)) {
      const file = path.slice(outDir.length + 1);
      const bytes = (await stat(path).catch(() => null))?.size ?? 0;
      if (bytes === 0) throw refuse('EMPTY_OUTPUT', `The command wrote nothing to ${file} (${name}).`);
      // ffmpeg stops at -fs having written about that much: an output at the bound is cut.
      if (bytes >= deps.limits.maxOutputBytes)
        throw refuse('OUTPUT_TOO_LARGE', `${file} reached the limit of ${deps.limits.maxOutputBytes} bytes.`);
      total += bytes;
      if (total > deps.limits.maxTotalOutputBytes)
        throw refuse('OUTPUT_TOO_LARGE', `The outputs together are larger than ${deps.limits.maxTotalOutputBytes} bytes.`);
      ctx.progress({ step: 'probe', fraction: outputs.length / checked.outputs.length });
      const { formatName: _, ...probe } = await describeMedia(path, { ...run, timeoutMs: PROBE_TIMEOUT_MS });
      const key = jobOutputKey(row.id, file);
      const contentType = jobOutputContentType(file);
      stored.push(key);
      await putFile(deps.storage, key, path, { contentType, signal: ctx.signal });
      ctx.progress({ step: 'upload', fraction: stored.length / checked.outputs.length });
      outputs.push({ name: file, key, bytes, content_type: contentType, probe });
      probes.push(probe);
    }
    if (request.kind === 'typed' && request.operation === 'convert')
      await recordSpeed(deps, probes[0]!, (performance.now() - started) / 1000);

    // enable_metrics: the output against its input, sampled (a few seconds, whatever the length).
    let metrics: Record<string, number> | null = null;
    if (request.kind === 'typed' && request.enable_metrics) {
      ctx.progress({ step: 'measure', fraction: 0 });
      const output = Object.values(files)[0]!;
      const scores = await measureQuality({
        reference: sources['in_0']!,
        distorted: { src: output, formatName: (await describeMedia(output, { ...run, timeoutMs: PROBE_TIMEOUT_MS })).formatName },
        metrics: ['psnr', 'ssim'],
        sampleSeconds: METRICS_SAMPLE_SECONDS,
        scratchDir: work,
        signal: ctx.signal,
        timeoutMs: deps.limits.timeoutMs,
        nice: NICENESS.background,
      });
      metrics = metricsOf(scores);
    }
    await finish(outputs, metrics);
  } catch (err) {
    // A lost lease: the job is another worker's now, which writes the same keys, unless it
    // was lost to a cancel, which no worker runs on from: then what was stored is nobody's.
    const orphaned = !(err instanceof LeaseLostError) || (await userJobById(deps.sql, row.id).catch(() => null))?.state === 'cancelled';
    if (orphaned) for (const key of stored) await deleteObject(deps.storage, key).catch(() => {});
    if (err instanceof JobFailure || err instanceof LeaseLostError) throw err;
    throw new JobFailure(describeJobFailure(err));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A convert's encode speed, so estimates learn from jobs as from ladders (per codec and short side). */
async function recordSpeed(deps: RunJobDeps, probe: Omit<MediaFacts, 'formatName'>, wallSeconds: number): Promise<void> {
  const video = probe.streams.find((s) => s.type === 'video');
  const codec = { h264: 'h264', hevc: 'h265', av1: 'av1' }[video?.codec ?? ''] as SpeedCodec | undefined;
  if (!video || !codec || !probe.duration_sec) return;
  await recordEncodeSpeed(deps.sql, {
    workerId: deps.workerId,
    codec,
    height: Math.min(video.width ?? 0, video.height ?? 0),
    mediaSeconds: probe.duration_sec,
    wallSeconds,
  });
}

/**
 * Where ffmpeg reads an input: the account's asset at the origin, or the URL's body fetched
 * here, within what is left of the job's fetch deadline and of its total input bytes (a
 * source that trickles must not hold a slot, nor five of them fill the scratch disk).
 */
async function inputSource(
  deps: RunJobDeps,
  accountId: string,
  input: JobInput,
  file: string,
  signal: AbortSignal,
  fetching: { deadline: AbortSignal; bytes: number },
): Promise<string> {
  if ('url' in input) {
    const left = deps.limits.maxTotalInputBytes - fetching.bytes;
    try {
      fetching.bytes += await fetchToFile(deps.fetch, input.url, file, {
        maxBytes: Math.min(deps.limits.maxInputBytes, left),
        signal: AbortSignal.any([signal, fetching.deadline]),
      });
    } catch (err) {
      if (signal.aborted) throw err;
      if (fetching.deadline.aborted)
        throw refuse('INPUT_UNREACHABLE', `The inputs could not be fetched within ${Math.round(deps.fetch.deadlineMs / 1000)} s in all.`);
      if (err instanceof ImportError && err.code === 'SOURCE_TOO_LARGE' && left < deps.limits.maxInputBytes)
        throw refuse('INPUT_TOO_LARGE', `The URL inputs together are larger than ${deps.limits.maxTotalInputBytes} bytes.`);
      throw err;
    }
    return file;
  }
  const asset = await getAsset(deps.sql, accountId, input.asset_id);
  if (!asset || asset.deleted_at) throw refuse('INVALID_INPUT', 'An input asset was deleted.');
  if (asset.source_state !== 'uploaded') throw refuse('INVALID_INPUT', 'An input asset has no source yet.');
  return presignGet(deps.storage, asset.source_key, SOURCE_READ_SECONDS);
}

const INPUT_CODES: Record<ImportError['code'], string> = {
  SOURCE_UNREACHABLE: 'INPUT_UNREACHABLE',
  SOURCE_FORBIDDEN: 'INPUT_FORBIDDEN',
  SOURCE_TOO_LARGE: 'INPUT_TOO_LARGE',
  NOT_MEDIA: 'INVALID_INPUT',
};

/**
 * How a job's failure reads: what the caller's request or inputs did is final (a bad input,
 * ffmpeg refusing the command, the time limit); storage and database trouble is retried.
 * Everything is scrubbed: ffmpeg's words name presigned URLs and scratch paths.
 */
export function describeJobFailure(err: unknown): FailureReport {
  const final = (code: string, message: string, detail = message): FailureReport => ({
    detail: scrub(`${code}: ${detail}`),
    retryable: false,
    error: { code, message: scrub(message) },
  });
  if (err instanceof ImportError) return { ...final(INPUT_CODES[err.code], err.message, err.detail), retryable: err.retryable };
  if (err instanceof CommandError) return final('INVALID_COMMAND', err.message);
  if (err instanceof OperationError) return final('INVALID_OPTIONS', err.message);
  if (err instanceof MediaError) {
    if (err.code === 'FFMPEG_TIMEOUT') return final('JOB_TIMEOUT', err.message);
    if (err.code === 'CORRUPT_SOURCE' || err.code === 'NO_MEDIA_STREAMS') return final('INVALID_INPUT', err.message);
    return final('FFMPEG_FAILED', err.message, [err.message, err.stderrTail].filter(Boolean).join('\n'));
  }
  return {
    detail: scrub(err instanceof Error ? `${err.name}: ${err.message}` : String(err)),
    retryable: true,
    error: { code: 'PROCESSING_FAILED', message: 'The job failed after several attempts.' },
  };
}
