import type { FastifyInstance } from 'fastify';
import { STATIC_RENDITION_NAMES, type StaticRenditionName } from '@kino/artifacts';
import type { PlanLimits } from '@kino/config';
import { getAsset, type AssetRow } from '@kino/db';
import { IdParams, StringEnum, typed } from '@kino/http';
import { createClip, MIN_CLIP_SECONDS } from '@kino/ingest';
import { requestStaticRenditions } from '@kino/pipeline';
import { accountUsage, lockQuotas, quotaExceeded } from '@kino/tenancy';
import { Type } from 'typebox';
import { refuseWhenOverloaded } from '../admission.ts';
import { AssetRef, assetView, newAssetDetail, readAssetDetail } from '../asset-view.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { BODY, keyedErrors } from '../schemas.ts';

// Derived media of an asset: static renditions (downloads) and clips (new assets cut from it).

/** `highest,audio`: how an upload's query names the static renditions it wants. */
export const StaticRenditionsQuery = Type.String({
  pattern: `^(?:${STATIC_RENDITION_NAMES.join('|')})(?:,(?:${STATIC_RENDITION_NAMES.join('|')}))*$`,
  description: 'Static renditions (downloads) to make once the source is in: `highest` (MP4), `audio` (M4A), comma-separated.',
});

export const StaticRenditionsList = Type.Array(StringEnum(STATIC_RENDITION_NAMES), {
  minItems: 1,
  maxItems: STATIC_RENDITION_NAMES.length,
  uniqueItems: true,
  description: '`highest`: an MP4 of the top rung (H.264/AAC, faststart). `audio`: an M4A of the audio (AAC).',
});

export const parseStaticRenditions = (list: string | undefined): StaticRenditionName[] =>
  list ? [...new Set(list.split(',') as StaticRenditionName[])] : [];

/**
 * Asks for static renditions of an asset in one transaction (rows; the job once the source
 * is probed). With `limits`, a job it would queue must fit the account's active_jobs quota,
 * and the account must have stored bytes left (the renditions are artifacts it stores).
 * Returns the names that are new (or asked again after failing).
 */
export async function askStaticRenditions(
  deps: ApiDeps,
  asset: Pick<AssetRow, 'id' | 'account_id'>,
  names: readonly StaticRenditionName[],
  limits?: Pick<PlanLimits, 'active_jobs' | 'stored_bytes'>,
): Promise<StaticRenditionName[]> {
  if (names.length === 0) return [];
  const { added, job } = await deps.sql.begin(async (tx) => {
    if (limits) {
      await lockQuotas(tx, asset.account_id);
      const used = await accountUsage(tx, asset.account_id);
      const asked = await requestStaticRenditions(tx, asset, names, deps.config.worker.maxAttempts);
      // Refused only when it queues a job; the throw rolls the rows back with it.
      if (asked.job && used.active_jobs >= limits.active_jobs) throw quotaExceeded('active_jobs', limits.active_jobs, used.active_jobs);
      if (asked.job && used.stored_bytes >= limits.stored_bytes)
        throw quotaExceeded('stored_bytes', limits.stored_bytes, used.stored_bytes);
      return asked;
    }
    return requestStaticRenditions(tx, asset, names, deps.config.worker.maxAttempts);
  });
  if (job) deps.announceJobs();
  if (added.length > 0) deps.announceEvents(asset.account_id);
  return added;
}

const StaticRenditionsBody = Type.Object({ renditions: StaticRenditionsList });

const ClipBody = Type.Object({
  start: Type.Number({ description: 'Seconds into the asset where the clip starts.' }),
  end: Type.Number({ description: `Seconds into the asset where the clip ends (exclusive); at least ${MIN_CLIP_SECONDS} s after start.` }),
  title: Type.Optional(Type.String({ maxLength: 512 })),
});

export async function derivedRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  const base = deps.config.api.publicUrl;

  app.post(
    '/v1/assets/:id/static-renditions',
    {
      config: { access: 'upload' },
      schema: {
        operationId: 'createStaticRenditions',
        summary: 'Make downloadable files of an asset: an MP4 of the top rung, an M4A of the audio',
        description:
          'Made by a job once the source is probed; `static_renditions` on the asset shows each (`preparing`, `ready` with ffprobe ' +
          'metadata, or `errored`), `asset.static_rendition_ready` announces it, and the playback block has its signed edge URL ' +
          '(urls.static_renditions), served with Content-Disposition: attachment. Idempotent: renditions asked for already are left ' +
          'as they are (200); an errored one asked again is made again. 409 while the asset is not processed yet or when it failed.',
        tags: ['assets'],
        params: IdParams,
        body: StaticRenditionsBody,
        response: {
          202: AssetRef({ description: 'New renditions were asked for: they are `preparing`.' }),
          200: AssetRef({ description: 'Every rendition asked for was asked for before: the asset as it is.' }),
          ...keyedErrors(404, 409, ...BODY),
        },
      },
    },
    async (request, reply) => {
      const asset = await getAsset(deps.sql, request.account.id, request.params.id);
      if (!asset || asset.deleted_at) throw notFound('Asset');
      if (asset.source_state === 'failed' || asset.error) {
        throw new ApiError(409, 'ASSET_FAILED', 'The asset failed to process; it has nothing to make downloads from.');
      }
      if (!asset.media_probe) {
        throw new ApiError(
          409,
          'ASSET_NOT_READY',
          'The asset is not processed yet; ask once it is playable, or at upload with ?static_renditions=.',
        );
      }
      const added = await askStaticRenditions(deps, asset, request.body.renditions, request.limits);
      const view = assetView(asset, base, await readAssetDetail(deps.sql, asset.id));
      return reply.code(added.length > 0 ? 202 : 200).send(view);
    },
  );

  app.post(
    '/v1/assets/:id/clips',
    {
      config: { access: 'upload' },
      schema: {
        operationId: 'createClip',
        summary: 'Cut a clip of an asset: a new asset of its own',
        description:
          'The clip is a new asset (`clip_of`, `clip`), `importing` until a job cuts [start, end) from the parent’s source — copied ' +
          'when start is on a keyframe, encoded otherwise (`clip.mode`) — then processed like an upload, with its own events. It keeps ' +
          'its own source, so deleting the parent does not affect a clip once cut. Counts as an upload against the account’s quotas.',
        tags: ['assets'],
        params: IdParams,
        body: ClipBody,
        response: { 202: AssetRef({ description: 'The clip was created; its cut is queued.' }), ...keyedErrors(404, 409, 503, ...BODY) },
      },
    },
    async (request, reply) => {
      const admitted = await refuseWhenOverloaded(deps, reply);
      const { start, end, title } = request.body;
      const clip = await createClip(
        { sql: deps.sql, maxAttempts: deps.config.worker.maxAttempts, onJobQueued: deps.announceJobs, onEvents: deps.announceEvents },
        { accountId: request.account.id, parentId: request.params.id, start, end, title, quota: { limits: request.limits } },
      );
      const view = assetView(clip, base, await newAssetDetail(deps.sql, clip.id));
      return reply
        .code(202)
        .header('location', view.links.self)
        .send({ ...view, estimated_ready_at: admitted.estimatedReadyAt()?.toISOString() ?? null });
    },
  );
}
