import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart, { type MultipartFile } from '@fastify/multipart';
import { listArtifacts, PLAYBACK_POLICIES, type PlaybackPolicy } from '@kino/db';
import { Defaulted, StringEnum, typed } from '@kino/http';
import { createImport, ingestUpload, MAX_IMPORT_URL_LENGTH } from '@kino/ingest';
import { uploadPreset } from '@kino/presets';
import { latestJobFor } from '@kino/jobs';
import { Type, type Static } from 'typebox';
import { scopesAllow } from '@kino/tenancy';
import type { ApiDeps } from '../deps.ts';
import { refuseWhenOverloaded } from '../admission.ts';
import { ApiError } from '../errors.ts';
import { AssetRef, assetView } from '../asset-view.ts';
import { issuePlayback, waitUntilPlayable } from '../playback.ts';
import { BODY, keyedErrors, playbackQuery } from '../schemas.ts';

/** What an asset is created with, whichever way its source comes. */
const assetFields = {
  title: Type.Optional(Type.String({ maxLength: 512 })),
  passthrough: Type.Optional(Type.String({ maxLength: 2048, description: 'Free text returned with the asset, for your own reference.' })),
  playback_policy: Defaulted(
    StringEnum(PLAYBACK_POLICIES, {
      default: 'signed',
      description: '`signed`: playback URLs only from authenticated calls. `public`: anyone with the id may also watch it at /player/{id}.',
    }),
  ),
  preset: Type.Optional(
    Type.String({
      maxLength: 64,
      description:
        'Encode to this preset (GET /v1/presets) instead of the default ladder; snapshotted on the asset. Unknown: 400 UNKNOWN_PRESET; one uploads cannot use yet (H.265, AV1): 422 PRESET_NOT_SUPPORTED_FOR_UPLOADS.',
    }),
  ),
};

const UploadQuery = Type.Object({
  ...assetFields,
  wait: Type.Optional(
    StringEnum(['playable'], {
      description:
        'Hold the response until the opener is ready (or timeout_seconds pass) and include a playback block, and `wait` saying whether it timed out.',
    }),
  ),
  timeout_seconds: Type.Optional(
    Type.Integer({ minimum: 1, description: 'How long wait=playable may hold; capped by configuration. Only with wait=playable.' }),
  ),
  ...playbackQuery,
});

// No length or format in the schema: ajv's refusals quote the value, and this one may carry a
// credential. createImport checks it and says what is wrong without repeating it.
const ImportBody = Type.Object({
  url: Type.String({
    description:
      `The http(s) URL to fetch the video from, at most ${MAX_IMPORT_URL_LENGTH} characters (a presigned URL works). ` +
      'Fetched by a worker through the SSRF guard; never shown again, in the asset or anywhere else.',
  }),
  ...assetFields,
});

const FORM_FIELDS = ['title', 'passthrough', 'playback_policy', 'preset'];

type Parts = ReturnType<FastifyRequest['parts']>;

/**
 * A form's text fields up to its file. Fields must come first: the asset is made, with
 * its title, before the file streams in. `nothingAfterTheFile` runs once the file has
 * been read and refuses a form with anything after it (a title put last would otherwise
 * be lost without a word), which leaves nothing behind like any refused upload.
 */
async function readFormUpTo(
  parts: Parts,
): Promise<{ fields: Record<string, string>; file: MultipartFile; nothingAfterTheFile: () => Promise<void> }> {
  const fields: Record<string, string> = {};
  for (let next = await parts.next(); !next.done; next = await parts.next()) {
    const part = next.value;
    if (part.type === 'file') {
      return {
        fields,
        file: part,
        async nothingAfterTheFile() {
          const late: string[] = [];
          for (let after = await parts.next(); !after.done; after = await parts.next()) late.push(after.value.fieldname);
          if (late.length > 0) {
            throw new ApiError(
              400,
              'VALIDATION_ERROR',
              `Form fields must come before the file: ${late.map((n) => `\`${n}\``).join(', ')} came after it (with curl, put -F title=… before -F file=@…).`,
              late.map((n) => ({ path: n, message: 'comes after the file' })),
            );
          }
        },
      };
    }
    fields[part.fieldname] = String(part.value);
  }
  throw new ApiError(400, 'EMPTY_BODY', 'The form has no file field: add the video as a file.');
}

/** A URL import: its fields come in the JSON body, so a query parameter is a mistake worth naming. */
async function importVideo(deps: ApiDeps, accountId: string, body: Static<typeof ImportBody>, request: FastifyRequest) {
  const sent = [...new URLSearchParams(request.url.split('?')[1] ?? '').keys()];
  if (sent.length > 0) {
    throw new ApiError(
      400,
      'VALIDATION_ERROR',
      `A URL import takes its fields in the JSON body and no query parameters: ${sent.map((n) => `\`${n}\``).join(', ')} came in the query.`,
      sent.map((n) => ({ path: n, message: 'not a parameter of a URL import' })),
    );
  }
  return createImport(
    { sql: deps.sql, maxAttempts: deps.config.worker.maxAttempts, onJobQueued: deps.announceJobs, onEvents: deps.announceEvents },
    {
      accountId,
      url: body.url,
      title: body.title,
      passthrough: body.passthrough,
      playbackPolicy: body.playback_policy,
      preset: await uploadPreset(deps.sql, accountId, body.preset),
      idempotencyKey: request.headers['idempotency-key'] as string | undefined,
      allowPrivate: deps.config.ingest.importAllowPrivate,
      quota: { limits: request.limits },
    },
  );
}

/**
 * POST /v1/videos: the body streams from the socket through a byte counter into an S3
 * multipart upload; neither memory nor disk ever holds the whole file.
 */
export async function videoRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  // This plugin is its own scope: only media, forms and a URL import's JSON are accepted
  // here, and raw bodies are handed over unread for ingestUpload to stream.
  app.removeAllContentTypeParsers();
  const leaveUnread = (_request: unknown, _payload: unknown, done: (err: null) => void) => done(null);
  app.addContentTypeParser('application/octet-stream', leaveUnread);
  app.addContentTypeParser(/^(video|audio)\//i, leaveUnread);
  // A JSON body is a URL import, small: the only body this scope parses.
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 16 * 1024 }, app.getDefaultJsonParser('error', 'error'));
  await app.register(multipart, { limits: { files: 1, fields: 10, fieldSize: 4096, fileSize: deps.config.api.maxUploadBytes + 1 } });

  app.post(
    '/v1/videos',
    {
      config: { access: 'upload', accepts: ['video/*', 'audio/*', 'application/octet-stream', 'multipart/form-data', 'application/json'] },
      schema: {
        operationId: 'createVideo',
        summary: 'Upload a video, or import one from a URL',
        description:
          'Send the file as the raw body (any video/*, audio/* or application/octet-stream content type) or as ' +
          'multipart/form-data with one file field (form fields title, passthrough and playback_policy must come before the file). ' +
          'Returns at once with the asset; processing continues in the background. ' +
          'Or send JSON `{"url": …}` (with title, passthrough, playback_policy in the same object, and no query parameters): ' +
          'the answer is 202 with the asset `importing`, and a worker fetches the URL, then processes it like an upload.',
        tags: ['videos'],
        querystring: UploadQuery,
        body: { content: { 'application/json': { schema: ImportBody } } },
        headers: Type.Object({
          'idempotency-key': Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 255,
              description: 'Repeat a request safely: the same key returns the same asset.',
            }),
          ),
        }),
        response: {
          201: AssetRef({ description: 'The asset was created.' }),
          202: AssetRef({ description: 'A URL import was queued: the asset is `importing` until its source is fetched.' }),
          200: AssetRef({ description: 'An earlier request with the same Idempotency-Key created this asset.' }),
          ...keyedErrors(409, ...BODY, 422, 503),
        },
      },
    },
    async (request, reply) => {
      // Only a JSON body is parsed in this scope; ajv checked it against ImportBody.
      if (request.body !== undefined) {
        // Refused before its asset exists, like every door.
        const admitted = await refuseWhenOverloaded(deps, reply);
        const { asset, created } = await importVideo(deps, request.account.id, request.body as Static<typeof ImportBody>, request);
        const view = assetView(asset, deps.config.api.publicUrl, { artifacts: [], job: null });
        return reply
          .code(created ? 202 : 200)
          .header('location', view.links.self)
          .send({ ...view, estimated_ready_at: created ? (admitted.estimatedReadyAt()?.toISOString() ?? null) : null });
      }
      const max = deps.config.api.maxUploadBytes;
      const declared = Number(request.headers['content-length']);
      if (declared > max)
        throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `The upload is larger than the limit of ${max} bytes.`, { max_bytes: max });

      if (request.query.timeout_seconds !== undefined && request.query.wait === undefined) {
        throw new ApiError(
          400,
          'VALIDATION_ERROR',
          '`timeout_seconds` only means something with `wait=playable`: add it, or leave both out.',
          [{ path: 'timeout_seconds', message: 'needs wait=playable' }],
        );
      }
      // Before a byte of the body (or a form's first field) is read.
      const admitted = await refuseWhenOverloaded(deps, reply);
      let body: Readable;
      let contentType: string;
      let declaredBytes: number | undefined;
      let afterBody: (() => Promise<void>) | undefined;
      let { title, passthrough, playback_policy: playbackPolicy, preset: presetName } = request.query;
      if (request.isMultipart()) {
        const form = await readFormUpTo(request.parts());
        const unknown = Object.keys(form.fields).filter((name) => !FORM_FIELDS.includes(name));
        if (unknown.length > 0) {
          throw new ApiError(
            400,
            'VALIDATION_ERROR',
            `Unknown form field ${unknown.map((n) => `\`${n}\``).join(', ')}: a form takes ${FORM_FIELDS.map((n) => `\`${n}\``).join(', ')} and one file.`,
            unknown.map((n) => ({ path: n, message: 'unknown form field' })),
          );
        }
        body = form.file.file;
        contentType = form.file.mimetype;
        title = form.fields['title'] ?? title;
        passthrough = form.fields['passthrough'] ?? passthrough;
        if ((title?.length ?? 0) > 512 || (passthrough?.length ?? 0) > 2048) {
          throw new ApiError(400, 'VALIDATION_ERROR', 'title is limited to 512 characters and passthrough to 2048.');
        }
        const policy = form.fields['playback_policy'];
        if (policy !== undefined) {
          if (!PLAYBACK_POLICIES.includes(policy as PlaybackPolicy)) {
            const message = `\`playback_policy\` must be one of: ${PLAYBACK_POLICIES.join(', ')} (got ${JSON.stringify(policy)}).`;
            throw new ApiError(400, 'VALIDATION_ERROR', message, [{ path: 'playback_policy', message }]);
          }
          playbackPolicy = policy as PlaybackPolicy;
        }
        presetName = form.fields['preset'] ?? presetName;
        afterBody = form.nothingAfterTheFile;
      } else {
        body = request.raw;
        contentType = request.headers['content-type'] ?? 'application/octet-stream';
        declaredBytes = Number.isFinite(declared) ? declared : undefined;
      }

      // Fields come before the file, so a form's preset is known before the file is read too.
      const preset = await uploadPreset(deps.sql, request.account.id, presetName);
      const { asset, created } = await ingestUpload(
        {
          sql: deps.sql,
          storage: deps.storage,
          maxAttempts: deps.config.worker.maxAttempts,
          stallSeconds: deps.config.api.uploadStallSeconds,
          onJobQueued: deps.announceJobs,
          onEvents: deps.announceEvents,
        },
        {
          accountId: request.account.id,
          body,
          contentType,
          maxBytes: max,
          title,
          passthrough,
          playbackPolicy,
          preset,
          idempotencyKey: request.headers['idempotency-key'],
          declaredBytes,
          afterBody,
          quota: { limits: request.limits },
        },
      );
      // From now, when its job was queued; a replay's asset was admitted (and estimated) before.
      const estimatedReadyAt = created ? admitted.estimatedReadyAt() : null;
      let latest = asset;
      let wait: { timed_out: boolean; waited_seconds: number } | undefined;
      if (request.query.wait === 'playable') {
        const timeout = Math.min(request.query.timeout_seconds ?? deps.config.playback.waitMaxSeconds, deps.config.playback.waitMaxSeconds);
        const gone = new AbortController();
        reply.raw.once('close', () => gone.abort());
        const started = performance.now();
        latest = await waitUntilPlayable(deps, request.account.id, asset.id, timeout * 1000, gone.signal);
        wait = {
          timed_out: latest.playable_state === 'not_playable' && !latest.error && !latest.deleted_at,
          waited_seconds: Math.round(performance.now() - started) / 1000,
        };
      }
      const detail =
        request.query.wait === 'playable'
          ? { artifacts: await listArtifacts(deps.sql, latest.id), job: await latestJobFor(deps.sql, latest.id) }
          : { artifacts: [], job: null };
      const view = assetView(latest, deps.config.api.publicUrl, detail);
      // The asset exists whatever happens next: a playback block that cannot be had (no edge
      // right now) is left out rather than turning the upload into an error a client retries.
      // A key that may not mint playback URLs gets none this way either.
      const playback =
        request.query.wait === 'playable' && latest.playable_state !== 'not_playable' && scopesAllow(request.scopes, 'playback')
          ? await issuePlayback(deps, latest, {
              region: request.query.region ?? (request.headers['x-kino-region'] as string | undefined),
              ttlSeconds: request.query.ttl_seconds,
            }).catch((err) => {
              request.log.warn({ err }, 'upload is playable but no playback block could be issued');
              return undefined;
            })
          : undefined;
      return reply
        .code(created ? 201 : 200)
        .header('location', view.links.self)
        .send({ ...view, playback, wait, estimated_ready_at: estimatedReadyAt?.toISOString() ?? null });
    },
  );
}
