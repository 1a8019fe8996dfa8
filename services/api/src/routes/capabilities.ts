import { IMAGE_LIMITS } from '@kino/artifacts';
import type { FastifyInstance } from 'fastify';
import { Nullable, typed } from '@kino/http';
import { readCapabilities } from '@kino/jobs';
import { ENCODERS, isAllowedFilter, MAX_JOB_OUTPUTS, MUXERS, OPERATIONS, QUALITY_METRICS } from '@kino/media';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { keyedErrors } from '../schemas.ts';

const Names = (description: string) => Type.Array(Type.String(), { description });

const CapabilitiesSchema = Type.Object({
  containers: Names('Output container formats (ffmpeg muxers) of the workers’ ffmpeg that a command may name with -f.'),
  video_codecs: Names('Video encoders of the workers’ ffmpeg that a command may name (libx264, libx265, libsvtav1, libvpx-vp9, …).'),
  audio_codecs: Names('Audio encoders of the workers’ ffmpeg that a command may name (aac, libopus, libmp3lame, …).'),
  filters: Names('Filters a job’s command may use: those of the workers’ ffmpeg that the command allowlist admits.'),
  operations: Type.Array(Type.String(), { description: 'Typed operations of POST /v1/jobs.' }),
  metrics: Type.Array(Type.String(), {
    description: 'Quality metrics POST /v1/analyze can measure here (vmaf only with libvmaf and its model).',
  }),
  vmaf: Type.Boolean({ description: 'Whether every live worker’s ffmpeg has libvmaf and its model.' }),
  limits: Type.Object({
    max_upload_bytes: Type.Integer({ description: 'MAX_UPLOAD_BYTES: the largest source an upload may send.' }),
    processing_timeout_seconds: Type.Integer({
      description: 'FFMPEG_TIMEOUT_SECONDS: one ffmpeg run of a media job is stopped after this.',
    }),
    job_max_outputs: Type.Integer({ description: 'Outputs one job of POST /v1/jobs may write.' }),
    job_max_output_bytes: Type.Integer({ description: 'JOBS_MAX_OUTPUT_BYTES: the largest output of a job.' }),
    job_max_total_output_bytes: Type.Integer({ description: 'JOBS_MAX_TOTAL_OUTPUT_BYTES: all outputs of a job together.' }),
    job_max_output_seconds: Type.Number({ description: 'JOBS_MAX_OUTPUT_SECONDS: the longest output of a job.' }),
    job_timeout_seconds: Type.Integer({ description: 'JOBS_TIMEOUT_SECONDS: a job’s ffmpeg run is killed after this.' }),
    job_max_input_bytes: Type.Integer({ description: 'JOBS_MAX_INPUT_BYTES: the largest input fetched from a URL.' }),
    image_max_dimension: Type.Integer({ description: 'Largest width or height of an on-demand image.' }),
    animated_max_seconds: Type.Number({ description: 'Longest on-demand animation.' }),
    animated_max_fps: Type.Integer({ description: 'Highest frame rate of an on-demand animation.' }),
  }),
  ffmpeg: Type.Object({
    version: Type.String({ description: 'The workers’ ffmpeg versions, comma-separated when they differ.' }),
    workers: Type.Integer({ description: 'Live workers the lists are the intersection of; 0 when stale.' }),
    stale: Type.Boolean({ description: 'True when no worker is alive: the lists are the most recent report of one that was.' }),
    probed_at: Nullable(Type.String({ format: 'date-time' }), {
      description: 'When that report was taken; null when no worker ever reported.',
    }),
  }),
});

/**
 * GET /v1/capabilities: what the encoding tier can do, from the ffmpeg of the workers that
 * would run a job (each reports its own at start: packages/jobs capabilities.ts). The same
 * for every account; it names no asset or job.
 */
export async function capabilitiesRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  typed(scope).get(
    '/v1/capabilities',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getCapabilities',
        summary: 'Containers, codecs, filters, operations and limits of the encoding tier',
        description:
          'Read from the live workers’ ffmpeg (`-muxers`, `-encoders`, `-filters`), not from a list in the api: the intersection ' +
          'over live workers, so whatever worker claims a job has it. With no worker alive, the last known report, `ffmpeg.stale: true`.',
        tags: ['jobs'],
        response: { 200: CapabilitiesSchema, ...keyedErrors() },
      },
    },
    async () => {
      const c = await readCapabilities(deps.sql);
      return {
        // What a command may name (-f, -c) and the workers' ffmpeg has: either alone promises too much.
        containers: c.muxers.filter((m) => MUXERS.includes(m)),
        video_codecs: c.videoEncoders.filter((e) => ENCODERS.includes(e)),
        audio_codecs: c.audioEncoders.filter((e) => ENCODERS.includes(e)),
        filters: c.filters.filter(isAllowedFilter),
        operations: [...OPERATIONS],
        metrics: QUALITY_METRICS.filter((m) => m !== 'vmaf' || c.vmaf),
        vmaf: c.vmaf,
        limits: {
          max_upload_bytes: deps.config.api.maxUploadBytes,
          processing_timeout_seconds: deps.config.worker.ffmpegTimeoutSeconds,
          job_max_outputs: MAX_JOB_OUTPUTS,
          job_max_output_bytes: deps.config.jobs.maxOutputBytes,
          job_max_total_output_bytes: deps.config.jobs.maxTotalOutputBytes,
          job_max_output_seconds: deps.config.jobs.maxOutputSeconds,
          job_timeout_seconds: deps.config.jobs.timeoutSeconds,
          job_max_input_bytes: deps.config.jobs.maxInputBytes,
          image_max_dimension: IMAGE_LIMITS.maxDimension,
          animated_max_seconds: IMAGE_LIMITS.maxAnimatedMs / 1000,
          animated_max_fps: IMAGE_LIMITS.maxFps,
        },
        ffmpeg: { version: c.ffmpegVersion, workers: c.workers, stale: c.stale, probed_at: c.probedAt?.toISOString() ?? null },
      };
    },
  );
}
