import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorResponses, IdParams, NoBody, typed } from '@kino/http';
import { createTusDoor, TUS_EXPOSED_HEADERS, TUS_METADATA_KEYS, type TusCall, type TusDoor } from '@kino/ingest';
import { Type } from 'typebox';
import { refuseWhenOverloaded } from '../admission.ts';
import { requireApiKey } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { KEYED_ERRORS } from '../schemas.ts';

// tus 1.0 at /v1/uploads/tus: the protocol is @kino/ingest's tus door; this file mounts
// it, authenticates it like every /v1 route, and describes it to the OpenAPI document.

export const TUS_PATH = '/v1/uploads/tus';
/** A tus request that sends nothing for this long is cut off. */
const TUS_IDLE_SECONDS = 60;

const Integer = (description: string, least: 0 | 1) =>
  Type.String({ pattern: least === 0 ? '^(0|[1-9][0-9]{0,15})$' : '^[1-9][0-9]{0,15}$', description });
const TusResumable = Type.Optional(Type.String({ description: 'The tus version: `1.0.0` (412 TUS_VERSION_UNSUPPORTED otherwise).' }));
const Header = (description: string) => Type.String({ description });
const AssetIdHeader = Header('The id of the asset this upload makes (it exists from the upload’s creation on).');
const ExpiresHeader = Header('When the unfinished upload expires (HTTP date); the asset then fails with UPLOAD_EXPIRED.');

/** The refusals particular to tus, named in the document beside the generic 4xx and 5xx. */
const REFUSALS = {
  404: 'NOT_FOUND: no upload of this account in progress here (another account’s upload included).',
  409: 'UPLOAD_OFFSET_MISMATCH (Upload-Offset is not where the upload stands) or UPLOAD_INTERRUPTED.',
  410: 'UPLOAD_EXPIRED: the upload was not finished in time.',
  412: 'TUS_VERSION_UNSUPPORTED: no `Tus-Resumable: 1.0.0`.',
  413: 'PAYLOAD_TOO_LARGE: over MAX_UPLOAD_BYTES, or past the Upload-Length.',
  415: 'NOT_MEDIA once the whole file is in (the asset fails, nothing is kept), or UNSUPPORTED_CONTENT_TYPE.',
  501: 'TUS_EXTENSION_UNSUPPORTED: concatenation or a deferred length.',
  503: 'OVERLOADED: the queue is too long for a new upload now; see Retry-After.',
} as const;
const refusals = (...statuses: (keyof typeof REFUSALS)[]) => errorResponses([...KEYED_ERRORS, ...statuses], REFUSALS);

/** The bodies the OpenAPI document cannot take from a schema: these routes read them as streams. */
export const TUS_REQUEST_BODIES: Record<string, Record<string, unknown>> = {
  [TUS_PATH]: {
    post: {
      required: false,
      description: 'creation-with-upload: the first bytes of the file may come with the creation.',
      content: { 'application/offset+octet-stream': { schema: { type: 'string', format: 'binary' } } },
    },
  },
  [`${TUS_PATH}/{id}`]: {
    patch: {
      required: true,
      content: { 'application/offset+octet-stream': { schema: { type: 'string', format: 'binary' } } },
    },
  },
};

async function answer(door: TusDoor, request: FastifyRequest, reply: FastifyReply, call: TusCall): Promise<void> {
  const a = await door.handle(request.raw, reply.raw, call);
  reply.headers(a.headers);
  if (a.error) throw a.error;
  await reply.code(a.status).send(a.body || undefined);
}

export async function tusRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const door = createTusDoor({
    sql: deps.sql,
    storage: deps.storage,
    s3: { ...deps.config.s3, endpoint: deps.config.s3.endpoint! },
    path: TUS_PATH,
    maxBytes: deps.config.api.maxUploadBytes,
    storageLeft: deps.storageLeft,
    maxAttempts: deps.config.worker.maxAttempts,
    expirySeconds: deps.config.ingest.uploadExpirySeconds,
    onJobQueued: deps.announceJobs,
    onEvents: deps.announceEvents,
  });
  // Runs once in-flight requests are done: their parts may still be on their way to S3.
  scope.addHook('onClose', () => door.close());
  // Bodies stream through the door unread; it checks their content type itself.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
  // Every answer readable from a browser, the refusals of auth and validation included.
  scope.addHook('onSend', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', TUS_EXPOSED_HEADERS.join(', '));
  });
  const app = typed(scope);
  const tags = ['uploads'];

  for (const url of [TUS_PATH, `${TUS_PATH}/:id`]) {
    app.options(
      url,
      {
        schema: {
          operationId: url === TUS_PATH ? 'getTusOptions' : 'getTusUploadOptions',
          summary: 'What the tus server offers (Tus-Version, Tus-Extension, Tus-Max-Size), and CORS preflight',
          tags,
          security: [],
          ...(url === TUS_PATH ? {} : { params: IdParams }),
          response: { 204: NoBody({ description: 'The tus capabilities, in headers.' }), ...errorResponses([400, 500]) },
        },
      },
      (request, reply) => answer(door, request, reply, {}),
    );
  }

  await app.register(async (authed) => {
    requireApiKey(authed, deps);
    // The store lends each PATCH one of a few part slots per process while its bytes come in
    // (packages/ingest tus.ts): a client that stops sending gives its slot back when cut off,
    // and resumes from what was stored, so a few silent ones cannot stall everyone's uploads.
    authed.addHook('onRequest', async (request) => {
      request.raw.setTimeout(TUS_IDLE_SECONDS * 1000, () => request.raw.socket.destroy());
    });
    const api = typed(authed);

    api.post(
      TUS_PATH,
      {
        config: { access: 'upload' },
        schema: {
          operationId: 'createTusUpload',
          summary: 'Create a resumable (tus 1.0) upload',
          description:
            'tus creation (and creation-with-upload). The asset exists from here on, in source_state `awaiting_upload`; ' +
            `its id is in Kino-Asset-Id and the upload URL in Location. Upload-Metadata keys: ${TUS_METADATA_KEYS.join(', ')}.`,
          tags,
          headers: Type.Object({
            'tus-resumable': TusResumable,
            'upload-length': Integer('The size of the whole file in bytes: at least 1, at most MAX_UPLOAD_BYTES (no deferred length)', 1),
            'upload-metadata': Type.Optional(
              Type.String({
                maxLength: 8192,
                description: `Comma-separated \`key base64(value)\`: ${TUS_METADATA_KEYS.join(', ')} (filetype: a video/*, audio/* or application/octet-stream type).`,
              }),
            ),
          }),
          response: {
            201: NoBody({
              description: 'The upload was created.',
              headers: {
                Location: Header('The upload URL (relative): PATCH the bytes there.'),
                'Kino-Asset-Id': AssetIdHeader,
                'Upload-Expires': ExpiresHeader,
                'Upload-Offset': Header('With creation-with-upload: the bytes stored so far.'),
              },
            }),
            ...refusals(412, 413, 415, 501, 503),
          },
        },
      },
      async (request, reply) => {
        // Before the asset exists and before a byte of creation-with-upload is read.
        await refuseWhenOverloaded(deps, reply);
        await answer(door, request, reply, { accountId: request.account.id, quota: { limits: request.limits } });
      },
    );

    api.route({
      method: 'HEAD',
      url: `${TUS_PATH}/:id`,
      // @fastify/swagger leaves HEAD routes out unless told: this one is the tus protocol's own.
      config: { access: 'transfer', swagger: { exposeHeadRoute: true } },
      schema: {
        operationId: 'getTusUploadOffset',
        summary: 'How much of a tus upload is stored',
        description: 'When the offset is the length, the upload is finished (and admitted, if it was not yet).',
        tags,
        params: IdParams,
        headers: Type.Object({ 'tus-resumable': TusResumable }),
        response: {
          200: NoBody({
            description: 'The upload’s state, in headers.',
            headers: {
              'Upload-Offset': Header('The bytes stored so far: resume from here.'),
              'Upload-Length': Header('The size of the whole file.'),
              'Upload-Metadata': Header('The metadata it was created with.'),
              'Kino-Asset-Id': AssetIdHeader,
              'Upload-Expires': ExpiresHeader,
            },
          }),
          ...refusals(404, 410, 412, 413, 415),
        },
      },
      handler: (request, reply) => answer(door, request, reply, { accountId: request.account.id, assetId: request.params.id }),
    });

    api.patch(
      `${TUS_PATH}/:id`,
      {
        config: { access: 'transfer' },
        schema: {
          operationId: 'appendTusUpload',
          summary: 'Send bytes of a tus upload, from Upload-Offset on',
          description:
            'The bytes stream to storage as they arrive. When the last one is in, the file is checked like a streamed upload ' +
            '(415 NOT_MEDIA, 413 PAYLOAD_TOO_LARGE: the asset fails and nothing is kept) and its processing is queued.',
          tags,
          params: IdParams,
          headers: Type.Object({
            'tus-resumable': TusResumable,
            'upload-offset': Integer('Where these bytes start: the offset HEAD answered (409 UPLOAD_OFFSET_MISMATCH otherwise)', 0),
          }),
          response: {
            204: NoBody({
              description: 'The bytes are stored.',
              headers: {
                'Upload-Offset': Header('The bytes stored so far.'),
                'Kino-Asset-Id': AssetIdHeader,
                'Upload-Expires': ExpiresHeader,
              },
            }),
            ...refusals(404, 409, 410, 412, 413, 415),
          },
        },
      },
      (request, reply) => answer(door, request, reply, { accountId: request.account.id, assetId: request.params.id }),
    );

    api.delete(
      `${TUS_PATH}/:id`,
      {
        config: { access: 'transfer' },
        schema: {
          operationId: 'terminateTusUpload',
          summary: 'Terminate an unfinished tus upload',
          description: 'Its stored bytes are removed and the asset fails with UPLOAD_CANCELLED (it stays listed).',
          tags,
          params: IdParams,
          headers: Type.Object({ 'tus-resumable': TusResumable }),
          response: {
            204: NoBody({ description: 'The upload is gone.', headers: { 'Kino-Asset-Id': AssetIdHeader } }),
            ...refusals(404, 410, 412),
          },
        },
      },
      (request, reply) => answer(door, request, reply, { accountId: request.account.id, assetId: request.params.id }),
    );
  });
}
