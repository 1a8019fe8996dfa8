import type { FastifyInstance } from 'fastify';
import { JOB_OUTPUT_NAME, jobOutputKey, jobPrefix } from '@kino/artifacts';
import { getAccount, getAsset } from '@kino/db';
import { checkImportUrl } from '@kino/ingest';
import {
  announceCancel,
  cancelUserJob,
  clearUserJobOutputs,
  createUserJob,
  FINISHED_STATES,
  getUserJob,
  listUserJobs,
  readCapabilities,
  type UserJobRow,
} from '@kino/jobs';
import {
  AUDIO_CODECS,
  CommandError,
  CONTAINERS,
  EXTRACT_CODECS,
  IMAGE_FORMATS,
  MAX_JOB_OUTPUTS,
  OperationError,
  OPERATIONS,
  POSITIONS,
  QUALITY_METRICS,
  VIDEO_CODECS,
} from '@kino/media';
import { knownPreset } from '@kino/presets';
import { checkJobRequest, presetConvertOptions, type CommandRequest, type JobInput, type JobRequest } from '@kino/pipeline';
import { accountLimits, accountUsage, quotaExceeded } from '@kino/tenancy';
import { signDownload, verifyDownload } from '@kino/tokens';
import {
  AnyObject,
  Dictionary,
  errorResponses,
  IdParams,
  Nullable,
  Page,
  PageQuery,
  pageOf,
  pageStart,
  refTo,
  StringEnum,
  typed,
  Uuid,
} from '@kino/http';
import { deletePrefix, readObject } from '@kino/storage';
import { Type, type Static } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { BODY, keyedErrors } from '../schemas.ts';

// The jobs API (issue 14 §2): FFmpeg as a service on the platform's own queue. A job is
// checked here with the functions the worker runs it with (packages/pipeline job-request.ts,
// packages/media command.ts), so refusals are synchronous and name what is wrong.

const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

const Input = Type.String({
  maxLength: 4096,
  description: 'An asset id of this account (its source is read) or an https/http URL, fetched like a URL import (through the SSRF guard).',
});
const Seconds = (description: string) => Type.Number({ minimum: 0, maximum: 86_400, description });
const Options = Type.Object(
  {
    container: Type.Optional(StringEnum(CONTAINERS, { description: 'convert: the output container.' })),
    video_codec: Type.Optional(
      StringEnum(VIDEO_CODECS, { description: 'convert: h264, h265, av1 (SVT-AV1) or vp9; the container’s default when unset.' }),
    ),
    audio_codec: Type.Optional(StringEnum(AUDIO_CODECS, { description: 'convert: the container’s default when unset.' })),
    width: Type.Optional(
      Type.Integer({ minimum: 16, maximum: 7680, description: 'convert, thumbnail, gif (≤ 1920), watermark (the mark’s width).' }),
    ),
    height: Type.Optional(Type.Integer({ minimum: 16, maximum: 4320, description: 'convert.' })),
    video_bitrate_kbps: Type.Optional(
      Type.Integer({ minimum: 50, maximum: 100_000, description: 'convert: a target bitrate instead of crf.' }),
    ),
    crf: Type.Optional(Type.Integer({ minimum: 0, maximum: 63, description: 'convert: constant quality.' })),
    audio_bitrate_kbps: Type.Optional(Type.Integer({ minimum: 16, maximum: 512, description: 'convert.' })),
    start: Type.Optional(Seconds('trim, gif.')),
    end: Type.Optional(Seconds('trim, gif: after start (a gif lasts at most 30 s).')),
    time: Type.Optional(Seconds('thumbnail: where the frame is taken.')),
    codec: Type.Optional(StringEnum(EXTRACT_CODECS, { description: 'extract_audio: aac (m4a) by default.' })),
    bitrate_kbps: Type.Optional(Type.Integer({ minimum: 16, maximum: 512, description: 'extract_audio, lossy codecs.' })),
    format: Type.Optional(StringEnum(IMAGE_FORMATS, { description: 'thumbnail: jpg by default.' })),
    fps: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, description: 'gif: 10 by default.' })),
    position: Type.Optional(StringEnum(POSITIONS, { description: 'watermark: bottom-right by default.' })),
    margin: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'watermark: pixels from the edges.' })),
    opacity: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'watermark.' })),
  },
  { additionalProperties: false, description: 'The operation’s options: each field says which operations take it.' },
);

const JobBody = Type.Object(
  {
    operation: Type.Optional(StringEnum(OPERATIONS, { description: 'A typed operation; or give ffmpeg_args instead.' })),
    inputs: Type.Optional(
      Type.Array(Input, {
        minItems: 1,
        maxItems: 5,
        description: 'Typed: the inputs in order (concat: 2–5; watermark: the video, then the image).',
      }),
    ),
    options: Type.Optional(Options),
    preset: Type.Optional(
      Type.String({
        maxLength: 40,
        description:
          'convert: a preset (GET /v1/presets) for the codec, size, quality and audio; options given win. Crop presets are not made by jobs yet.',
      }),
    ),
    enable_metrics: Type.Optional(Type.Boolean({ description: 'convert: PSNR and SSIM of the output against its input, in `metrics`.' })),
    ffmpeg_args: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 8192,
        description:
          'Command mode: ffmpeg arguments with `{{in_name}}` after each `-i` and `{{out_name}}` for each output, checked against an allowlist of options and filters (see the README).',
      }),
    ),
    input_files: Type.Optional(Dictionary(Input, { description: 'Command mode: `in_name` → asset id or URL.' })),
    output_files: Type.Optional(
      Dictionary(Type.String({ maxLength: 68 }), { description: `Command mode: \`out_name\` → file name (at most ${MAX_JOB_OUTPUTS}).` }),
    ),
  },
  { additionalProperties: false },
);

const AnalyzeBody = Type.Object(
  {
    reference: Input,
    distorted: Input,
    metrics: Type.Array(StringEnum(QUALITY_METRICS), {
      minItems: 1,
      maxItems: 3,
      uniqueItems: true,
      description: 'vmaf only where the worker’s ffmpeg has libvmaf (else 422 METRIC_UNAVAILABLE).',
    }),
  },
  { additionalProperties: false },
);

const Output = Type.Object({
  name: Type.String(),
  bytes: Type.Integer(),
  content_type: Type.String(),
  metadata: AnyObject({ description: 'ffprobe’s summary: format, duration_sec, bit_rate, streams.' }),
  download_url: Type.String({ description: 'Signed and expiring (JOBS_DOWNLOAD_TTL_SECONDS); needs no API key.' }),
  expires_at: Type.String({ format: 'date-time' }),
});
export const JobSchema = Type.Object(
  {
    id: Uuid(),
    operation: Type.String({ description: 'A typed operation, `command` or `analyze`.' }),
    state: StringEnum(JOB_STATES),
    progress: Type.Number({ minimum: 0, maximum: 1 }),
    error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
    outputs: Type.Array(Output),
    metrics: Nullable(Dictionary(Type.Number())),
    created_at: Type.String({ format: 'date-time' }),
    started_at: Nullable(Type.String({ format: 'date-time' })),
    finished_at: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'Job', description: 'A job of the jobs API.' },
);
type JobView = Static<typeof JobSchema>;

const ListQuery = Type.Object({ ...PageQuery, state: Type.Optional(StringEnum(JOB_STATES)) });
const OutputParams = Type.Object({ id: Uuid(), name: Type.String({ maxLength: 68 }) });

export async function jobRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  const base = deps.config.api.publicUrl;
  const limits = {
    maxOutputs: MAX_JOB_OUTPUTS,
    maxOutputBytes: deps.config.jobs.maxOutputBytes,
    maxSeconds: deps.config.jobs.maxOutputSeconds,
  };

  const view = (j: UserJobRow): JobView => {
    const expiresAt = Math.floor(Date.now() / 1000) + deps.config.jobs.downloadTtlSeconds;
    return {
      id: j.id,
      operation: j.operation,
      state: j.state,
      progress: Math.min(1, Math.max(0, j.progress)),
      error: j.error,
      outputs: j.outputs.map((o) => ({
        name: o.name,
        bytes: o.bytes,
        content_type: o.content_type,
        metadata: o.probe,
        download_url: `${base}/v1/jobs/${j.id}/outputs/${o.name}?token=${signDownload(deps.config.internalToken, { jobId: j.id, name: o.name, expiresAt })}`,
        expires_at: new Date(expiresAt * 1000).toISOString(),
      })),
      metrics: j.metrics,
      created_at: j.created_at.toISOString(),
      started_at: j.started_at?.toISOString() ?? null,
      finished_at: j.finished_at?.toISOString() ?? null,
    };
  };

  /**
   * Queues a checked job, within the account's user_jobs quota and while it has stored bytes
   * left (its outputs count there). A job's outputs are bounded by JOBS_MAX_TOTAL_OUTPUT_BYTES,
   * so the overshoot is at most the jobs running at once times that.
   */
  async function queue(accountId: string, operation: string, job: JobRequest): Promise<UserJobRow> {
    const account = await getAccount(deps.sql, accountId);
    const limits = accountLimits(deps.config.tenancy.plans, account!);
    const stored = (await accountUsage(deps.sql, accountId)).stored_bytes;
    if (stored >= limits.stored_bytes) throw quotaExceeded('stored_bytes', limits.stored_bytes, stored);
    const limit = limits.user_jobs;
    const created = await createUserJob(deps.sql, {
      accountId,
      operation,
      request: job as unknown as Record<string, unknown>,
      maxAttempts: deps.config.worker.maxAttempts,
      limit,
    });
    if (!created)
      throw new ApiError(
        429,
        'TOO_MANY_JOBS',
        `The account has ${limit} jobs queued or running, its user_jobs limit; wait for one to finish.`,
        {
          quota: 'user_jobs',
          limit,
        },
      );
    deps.announceJobs();
    deps.announceEvents(accountId);
    return created;
  }

  /** Each input: an asset of this account with its source in, or a URL the guard would fetch. */
  async function checkInput(accountId: string, name: string, ref: string): Promise<JobInput> {
    const refuse = (why: string) => new ApiError(422, 'INVALID_INPUT', `The input ${name} ${why}.`, { input: name });
    if (/^https?:\/\//i.test(ref)) {
      const checked = checkImportUrl(ref, { allowPrivate: deps.config.ingest.importAllowPrivate });
      if (!checked.ok)
        throw refuse(
          checked.problem === 'private'
            ? 'leads to a private, loopback or link-local address'
            : `is not a URL the platform fetches (${checked.problem})`,
        );
      return { url: checked.url.href };
    }
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref))
      throw refuse('is neither an asset id nor an http(s) URL');
    const asset = await getAsset(deps.sql, accountId, ref);
    // Another account's asset reads as none, as everywhere.
    if (!asset || asset.deleted_at) throw refuse('names no asset of this account');
    if (asset.source_state !== 'uploaded') throw refuse('is an asset whose source is not in yet');
    return { asset_id: asset.id };
  }

  app.post(
    '/v1/jobs',
    {
      config: { access: 'upload' },
      schema: {
        operationId: 'createJob',
        summary: 'Run an ffmpeg job: a typed operation or a command',
        description:
          'Answers 202 at once with the job queued; follow it with GET /v1/jobs/{id}, the SSE stream or webhooks (`job.*`). ' +
          'A command refused by the allowlist is 422 INVALID_COMMAND with `details.token`.',
        tags: ['jobs'],
        body: JobBody,
        response: { 202: refTo(JobSchema), ...keyedErrors(422, ...BODY) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const accountId = request.account.id;
      let job: CommandRequest;
      if ((b.operation === undefined) === (b.ffmpeg_args === undefined))
        throw new ApiError(
          400,
          'VALIDATION_ERROR',
          'Give either `operation` (with `inputs`) or `ffmpeg_args` (with `input_files` and `output_files`).',
        );
      if (b.operation) {
        if (!b.inputs || b.input_files || b.output_files)
          throw new ApiError(400, 'VALIDATION_ERROR', 'A typed job takes `inputs` and `options`, not input_files or output_files.');
        if (b.enable_metrics && b.operation !== 'convert') throw new ApiError(400, 'VALIDATION_ERROR', '`enable_metrics` is for convert.');
        let options: Record<string, unknown> = b.options ?? {};
        if (b.preset !== undefined) {
          if (b.operation !== 'convert') throw new ApiError(400, 'VALIDATION_ERROR', '`preset` is for convert.');
          const preset = await knownPreset(deps.sql, accountId, b.preset);
          const mapped = presetConvertOptions(preset, options);
          if (!mapped)
            throw new ApiError(422, 'INVALID_OPTIONS', `The preset ${b.preset} crops the picture, which jobs do not do yet.`, {
              field: 'preset',
            });
          options = mapped;
        }
        const inputs = [];
        for (const [i, ref] of b.inputs.entries()) inputs.push(await checkInput(accountId, `inputs[${i}]`, ref));
        job = {
          kind: 'typed',
          operation: b.operation,
          options,
          inputs,
          enable_metrics: b.enable_metrics ?? false,
          ...(b.preset !== undefined && { preset: b.preset }),
        };
      } else {
        if (b.inputs || b.options || b.preset !== undefined || b.enable_metrics !== undefined)
          throw new ApiError(
            400,
            'VALIDATION_ERROR',
            'A command takes `input_files` and `output_files`, not inputs, options or enable_metrics.',
          );
        const input_files: Record<string, JobInput> = {};
        for (const [name, ref] of Object.entries(b.input_files ?? {})) input_files[name] = await checkInput(accountId, name, ref);
        job = { kind: 'command', ffmpeg_args: b.ffmpeg_args!, input_files, output_files: b.output_files ?? {} };
      }
      try {
        checkJobRequest(job, limits);
      } catch (err) {
        if (err instanceof CommandError) throw new ApiError(422, 'INVALID_COMMAND', err.message, { token: err.token });
        if (err instanceof OperationError) throw new ApiError(422, 'INVALID_OPTIONS', err.message, { field: err.field });
        throw err;
      }
      const created = await queue(accountId, job.kind === 'typed' ? job.operation : 'command', job);
      return reply.code(202).send(view(created));
    },
  );

  app.post(
    '/v1/analyze',
    {
      config: { access: 'upload' },
      schema: {
        operationId: 'analyzeQuality',
        summary: 'Measure PSNR, SSIM or VMAF of a video against a reference',
        description:
          'A job of operation `analyze` (the jobs routes follow it): its `metrics` hold the scores and `sampled_seconds`; it has no outputs. ' +
          'The distorted video is scaled to the reference’s size and both compared from their first frame.',
        tags: ['jobs'],
        body: AnalyzeBody,
        response: { 202: refTo(JobSchema), ...keyedErrors(422, ...BODY) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      // The workers run the measure: what they reported, as GET /v1/capabilities says, not this host's ffmpeg.
      if (b.metrics.includes('vmaf') && !(await readCapabilities(deps.sql)).vmaf)
        throw new ApiError(
          422,
          'METRIC_UNAVAILABLE',
          'This deployment’s ffmpeg has no libvmaf: ask for psnr and ssim (GET /v1/capabilities says what it has).',
        );
      const accountId = request.account.id;
      const job: JobRequest = {
        kind: 'analyze',
        reference: await checkInput(accountId, 'reference', b.reference),
        distorted: await checkInput(accountId, 'distorted', b.distorted),
        metrics: b.metrics,
      };
      return reply.code(202).send(view(await queue(accountId, 'analyze', job)));
    },
  );

  app.get(
    '/v1/jobs',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listJobs',
        summary: 'Jobs of the account, newest first',
        description: 'Pages with `next_cursor`; pass it back as `cursor`.',
        tags: ['jobs'],
        querystring: ListQuery,
        response: { 200: Page(refTo(JobSchema)), ...keyedErrors() },
      },
    },
    async (request) => {
      const { cursor, limit: asked, ...given } = request.query;
      const { after, filters, limit } = pageStart({ cursor, limit: asked }, given, { state: JOB_STATES });
      if (after && !(await getUserJob(deps.sql, request.account.id, after)))
        throw new ApiError(400, 'INVALID_CURSOR', 'The cursor does not name a job of this account.');
      const rows = await listUserJobs(deps.sql, request.account.id, { limit: limit + 1, afterId: after, state: filters.state });
      return pageOf(rows, limit, view, filters as Record<string, string>);
    },
  );

  app.get(
    '/v1/jobs/:id',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getJob',
        summary: 'A job: state, progress, error, outputs with metadata and download URLs, metrics',
        tags: ['jobs'],
        params: IdParams,
        response: { 200: refTo(JobSchema), ...keyedErrors(404) },
      },
    },
    async (request) => {
      const job = await getUserJob(deps.sql, request.account.id, request.params.id);
      if (!job) throw notFound('Job');
      return view(job);
    },
  );

  app.delete(
    '/v1/jobs/:id',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'cancelJob',
        summary: 'Cancel a queued or running job',
        description:
          'A running ffmpeg is killed at once. A job already over is 409 JOB_FINISHED (its outputs: DELETE /v1/jobs/{id}/outputs).',
        tags: ['jobs'],
        params: IdParams,
        response: { 200: refTo(JobSchema), ...keyedErrors(404, 409) },
      },
    },
    async (request) => {
      const done = await cancelUserJob(deps.sql, request.account.id, request.params.id);
      if (!done) throw notFound('Job');
      if (done === 'finished') throw new ApiError(409, 'JOB_FINISHED', 'The job is already over; there is nothing to cancel.');
      // A lost announcement leaves the run to the worker's next lease renewal.
      void announceCancel(deps.redis, done.id).catch(() => {});
      deps.announceEvents(request.account.id);
      return view(done);
    },
  );

  app.delete(
    '/v1/jobs/:id/outputs',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'deleteJobOutputs',
        summary: 'Delete the stored outputs of a finished job',
        description: 'The job stays, with no outputs. A job still queued or running is 409 JOB_NOT_FINISHED.',
        tags: ['jobs'],
        params: IdParams,
        response: { 200: refTo(JobSchema), ...keyedErrors(404, 409) },
      },
    },
    async (request) => {
      const job = await getUserJob(deps.sql, request.account.id, request.params.id);
      if (!job) throw notFound('Job');
      if (!FINISHED_STATES.includes(job.state))
        throw new ApiError(409, 'JOB_NOT_FINISHED', 'The job is still queued or running: cancel it first.');
      await deletePrefix(deps.storage, jobPrefix(job.id));
      await clearUserJobOutputs(deps.sql, request.account.id, job.id);
      return view({ ...job, outputs: [] });
    },
  );
}

/** The download of an output: no API key, the URL's token is the grant (see jobRoutes' view). */
export async function jobDownloadRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  typed(scope).get(
    '/v1/jobs/:id/outputs/:name',
    {
      schema: {
        operationId: 'downloadJobOutput',
        summary: "Download a job's output (the signed URL from GET /v1/jobs/{id})",
        tags: ['jobs'],
        security: [],
        params: OutputParams,
        querystring: Type.Object({ token: Type.String({ maxLength: 128 }) }),
        response: {
          200: Type.Unsafe<Buffer | NodeJS.ReadableStream>({
            description: 'The file, as an attachment.',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          }),
          ...errorResponses([400, 403, 404, 429, 500]),
        },
      },
    },
    async (request, reply) => {
      const { id, name } = request.params;
      const verdict = verifyDownload(deps.config.internalToken, id, name, request.query.token);
      if (verdict !== 'ok')
        throw new ApiError(
          403,
          'INVALID_DOWNLOAD_TOKEN',
          verdict === 'expired' ? 'The download URL expired: read the job again for a fresh one.' : 'The download URL is not valid.',
        );
      if (!JOB_OUTPUT_NAME.test(name)) throw notFound('Job output');
      const [job] = await deps.sql<
        { outputs: Array<{ name: string; content_type: string }> }[]
      >`select outputs from user_jobs where id = ${id}`;
      const output = job?.outputs.find((o) => o.name === name);
      const object = output ? await readObject(deps.storage, jobOutputKey(id, name)) : null;
      if (!output || !object) throw notFound('Job output');
      return reply
        .header('content-type', output.content_type)
        .header('content-length', object.bytes)
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(object.body);
    },
  );
}
