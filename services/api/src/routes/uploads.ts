import type { FastifyInstance } from 'fastify';
import { getAsset, listArtifacts, PLAYBACK_POLICIES } from '@kino/db';
import { Defaulted, IdParams, StringEnum, typed } from '@kino/http';
import { completeDirectUpload, createDirectUpload, MEDIA_CONTENT_TYPE, type UploadInstructions } from '@kino/ingest';
import { latestJobFor } from '@kino/jobs';
import { Type } from 'typebox';
import { assessWithoutRefusing, refuseWhenOverloaded } from '../admission.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { AssetRef, assetView, readAssetDetail } from '../asset-view.ts';
import { BODY, keyedErrors } from '../schemas.ts';

const CreateUpload = Type.Object({
  content_type: Type.String({
    pattern: MEDIA_CONTENT_TYPE.source,
    maxLength: 255,
    description: "The file's media type, stored with it: video/*, audio/* or application/octet-stream.",
  }),
  bytes: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: "The file's size. Above UPLOAD_SINGLE_PUT_MAX_BYTES the upload is multipart; completing with another size is refused.",
    }),
  ),
  title: Type.Optional(Type.String({ maxLength: 512 })),
  passthrough: Type.Optional(Type.String({ maxLength: 2048, description: 'Free text returned with the asset, for your own reference.' })),
  playback_policy: Defaulted(StringEnum(PLAYBACK_POLICIES, { default: 'signed' })),
});

const Upload = Type.Object({
  method: Type.Literal('PUT'),
  url: Type.Optional(
    Type.String({ description: 'A single PUT: send the whole file here (it is part 1 of a multipart upload, and dies with it).' }),
  ),
  part_bytes: Type.Optional(Type.Integer({ description: 'A multipart upload: every part but the last has exactly this many bytes.' })),
  parts: Type.Optional(
    Type.Array(Type.Object({ part: Type.Integer({ minimum: 1 }), url: Type.String() }), {
      description: 'PUT bytes [(part-1)×part_bytes, part×part_bytes) to each URL.',
    }),
  ),
  expires_at: Type.String({ format: 'date-time', description: 'The URLs stop working, and an upload not completed is given up.' }),
  complete_url: Type.String({ description: 'POST here once the bytes are sent.' }),
});

const CreatedUpload = Type.Object({ asset: AssetRef(), upload: Upload });

const CompleteUpload = Type.Object({
  parts: Type.Optional(
    Type.Array(Type.Object({ part: Type.Integer({ minimum: 1, maximum: 10_000 }), etag: Type.String({ minLength: 1, maxLength: 128 }) }), {
      minItems: 1,
      maxItems: 10_000,
      description:
        'Optional: the parts to join, each with the ETag its PUT answered (checked against storage). Without it, every part storage holds is joined.',
    }),
  ),
});

function uploadView(upload: UploadInstructions, completeUrl: string) {
  const common = { method: 'PUT' as const, expires_at: upload.expiresAt.toISOString(), complete_url: completeUrl };
  return upload.kind === 'put' ? { ...common, url: upload.url } : { ...common, part_bytes: upload.partBytes, parts: upload.parts };
}

/**
 * Direct uploads: the bytes go from the client straight to the bucket through presigned
 * URLs; the api only opens the upload and, once it is complete, admits the source.
 */
export async function uploadRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  const base = deps.config.api.publicUrl;
  const ingest = {
    sql: deps.sql,
    storage: deps.storage,
    maxAttempts: deps.config.worker.maxAttempts,
    maxBytes: deps.config.api.maxUploadBytes,
    storageLeft: deps.storageLeft,
    singlePutMaxBytes: deps.config.ingest.singlePutMaxBytes,
    partBytes: deps.config.ingest.partBytes,
    expirySeconds: deps.config.ingest.uploadExpirySeconds,
    onJobQueued: deps.announceJobs,
    onEvents: deps.announceEvents,
  };

  app.post(
    '/v1/uploads',
    {
      config: { access: 'upload' },
      schema: {
        operationId: 'createUpload',
        summary: 'Open a direct upload to storage',
        description:
          'Creates the asset (source_state `awaiting_upload`) and answers with presigned URLs: one PUT up to ' +
          'UPLOAD_SINGLE_PUT_MAX_BYTES (or when `bytes` is not given), numbered parts above it. Send the bytes there, ' +
          'then POST `complete_url`. An upload not completed by `expires_at` is given up (its asset fails with UPLOAD_EXPIRED). ' +
          'Refused with 503 OVERLOADED (and Retry-After) while the queue is too long, like every upload.',
        tags: ['videos'],
        body: CreateUpload,
        response: { 201: CreatedUpload, ...keyedErrors(...BODY, 503) },
      },
    },
    async (request, reply) => {
      // Refused here, not at completion: by then the client has paid for sending the bytes.
      await refuseWhenOverloaded(deps, reply);
      const b = request.body;
      const { asset, upload } = await createDirectUpload(ingest, {
        accountId: request.account.id,
        contentType: b.content_type,
        bytes: b.bytes,
        title: b.title,
        passthrough: b.passthrough,
        playbackPolicy: b.playback_policy,
        quota: { limits: request.limits },
      });
      const view = assetView(asset, base);
      return reply
        .code(201)
        .header('location', view.links.self)
        .send({ asset: view, upload: uploadView(upload, `${base}/v1/uploads/${asset.id}/complete`) });
    },
  );

  app.post(
    '/v1/uploads/:id/complete',
    {
      config: { access: 'transfer' },
      schema: {
        operationId: 'completeUpload',
        summary: 'Complete a direct upload and queue its processing',
        description:
          'Checks the stored file (the declared size, and that it is media, as a streamed upload is checked) and queues ' +
          'processing. Completing again answers the asset as it is. Before the bytes are all in: 409 UPLOAD_INCOMPLETE ' +
          '(nothing changes; send what is missing and complete again). Not media: 415 NOT_MEDIA, and the stored bytes are removed. ' +
          'The answer that queues processing carries `estimated_ready_at` for hls_ready.',
        tags: ['videos'],
        params: IdParams,
        body: CompleteUpload,
        response: { 200: AssetRef(), ...keyedErrors(404, 409, 410, ...BODY) },
      },
      // A single PUT's completion has nothing to say: `curl -X POST …/complete` with no body reads as `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const found = await getAsset(deps.sql, request.account.id, request.params.id);
      if (!found) throw notFound('Upload');
      if (found.deleted_at) throw new ApiError(409, 'ASSET_DELETED', 'The asset was deleted; its upload can no longer be completed.');
      const admitted = found.source_state === 'awaiting_upload' ? await assessWithoutRefusing(deps) : null;
      const asset = await completeDirectUpload(ingest, found, request.body.parts);
      const queued = admitted !== null && asset.source_state === 'uploaded';
      const readyAt = queued ? admitted.estimatedReadyAt() : null;
      return { ...assetView(asset, base, await readAssetDetail(deps.sql, asset.id)), estimated_ready_at: readyAt?.toISOString() ?? null };
    },
  );
}
