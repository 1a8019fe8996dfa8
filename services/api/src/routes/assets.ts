import type { FastifyInstance } from 'fastify';
import {
  getAsset, listArtifacts, listAssets, markAssetDeleted, PLAYBACK_POLICIES, updateAsset, type PlayableState, type PlaybackPolicy, type SourceState,
} from '@kino/db';
import { appendEvent } from '@kino/events';
import { announceCancel, cancelJobsOf, enqueueJob, latestJobFor } from '@kino/jobs';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { assetView } from '../asset-view.ts';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;

interface ListQuery {
  limit: number;
  cursor?: string;
  source_state?: SourceState;
  playable_state?: PlayableState | 'deleted';
  include_deleted: boolean;
}

interface AssetPatch {
  playback_policy?: PlaybackPolicy;
  title?: string | null;
  passthrough?: string | null;
}

const patchSchema = {
  type: 'object',
  // Unknown fields are refused rather than dropped (fastify's ajv strips what
  // additionalProperties forbids), so a misspelt field is an error, not a silent no-op.
  propertyNames: { enum: ['playback_policy', 'title', 'passthrough'] },
  minProperties: 1,
  properties: {
    playback_policy: {
      type: 'string', enum: PLAYBACK_POLICIES,
      description: 'Tokens minted by the public player before a change to `signed` stay valid until they expire (PLAYER_TOKEN_TTL_SECONDS, minutes).',
    },
    title: { type: ['string', 'null'], maxLength: 512 },
    passthrough: { type: ['string', 'null'], maxLength: 2048 },
  },
} as const;

/** Which deleted assets a list includes: a state filter is exact, as assets read in views. */
function deletedFilter(q: ListQuery): 'exclude' | 'include' | 'only' {
  if (q.playable_state === 'deleted') return 'only';
  if (q.playable_state !== undefined) return 'exclude';
  return q.include_deleted ? 'include' : 'exclude';
}

export async function assetRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const base = deps.config.api.publicUrl;

  app.get<{ Params: { id: string } }>('/v1/assets/:id', {
    schema: {
      operationId: 'getAsset',
      summary: 'An asset with its states, source metadata, progress and artifacts',
      tags: ['assets'],
      params: idParams,
      response: { 200: { $ref: 'Asset#' }, '4xx': { $ref: 'Error#' } },
    },
  }, async (request) => {
    const asset = await getAsset(deps.sql, request.account.id, request.params.id);
    if (!asset) throw notFound('Asset');
    const [artifacts, job] = await Promise.all([listArtifacts(deps.sql, asset.id), latestJobFor(deps.sql, asset.id)]);
    return assetView(asset, base, { artifacts, job });
  });

  app.patch<{ Params: { id: string }; Body: AssetPatch }>('/v1/assets/:id', {
    schema: {
      operationId: 'updateAsset',
      summary: "Change an asset's playback policy, title or passthrough",
      description: 'Only the fields given change. A deleted asset cannot be changed (409 ASSET_DELETED).',
      tags: ['assets'],
      params: idParams,
      body: patchSchema,
      response: { 200: { $ref: 'Asset#' }, '4xx': { $ref: 'Error#' } },
    },
  }, async (request) => {
    const b = request.body;
    const accountId = request.account.id;
    const asset = await updateAsset(deps.sql, accountId, request.params.id, { playbackPolicy: b.playback_policy, title: b.title, passthrough: b.passthrough });
    if (!asset) {
      if (!(await getAsset(deps.sql, accountId, request.params.id))) throw notFound('Asset');
      throw new ApiError(409, 'ASSET_DELETED', 'The asset was deleted; it can no longer be changed.');
    }
    const [artifacts, job] = await Promise.all([listArtifacts(deps.sql, asset.id), latestJobFor(deps.sql, asset.id)]);
    return assetView(asset, base, { artifacts, job });
  });

  app.get<{ Querystring: ListQuery }>('/v1/assets', {
    schema: {
      operationId: 'listAssets',
      summary: 'Assets of the account, newest first',
      description:
        'Pages with `next_cursor`; pass it back as `cursor`. Items omit progress and artifacts: fetch one asset for those. ' +
        'Deleted assets are left out unless `include_deleted=true`; `playable_state=deleted` lists only them.',
      tags: ['assets'],
      querystring: {
        type: 'object',
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
          cursor: { type: 'string', format: 'uuid', description: 'next_cursor of the previous page.' },
          source_state: { type: 'string', enum: ['uploading', 'uploaded', 'failed'] },
          playable_state: {
            type: 'string', enum: ['not_playable', 'opener_ready', 'hls_ready', 'deleted'],
            description: 'As the assets read: a deleted asset matches only `deleted`.',
          },
          include_deleted: { type: 'boolean', default: false, description: 'List deleted assets too (playable_state `deleted`).' },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: { data: { type: 'array', items: { $ref: 'Asset#' } }, next_cursor: { type: ['string', 'null'] } },
        },
        '4xx': { $ref: 'Error#' },
      },
    },
  }, async (request) => {
    const q = request.query;
    if (q.cursor && !(await getAsset(deps.sql, request.account.id, q.cursor))) {
      throw new ApiError(400, 'INVALID_CURSOR', 'The cursor does not name an asset of this account.');
    }
    // One extra row tells whether another page exists.
    const rows = await listAssets(deps.sql, request.account.id, {
      limit: q.limit + 1, afterId: q.cursor, sourceState: q.source_state,
      playableState: q.playable_state === 'deleted' ? undefined : q.playable_state, deleted: deletedFilter(q),
    });
    const page = rows.slice(0, q.limit);
    return {
      data: page.map((a) => assetView(a, base)),
      next_cursor: rows.length > q.limit ? page[page.length - 1]!.id : null,
    };
  });

  app.delete<{ Params: { id: string } }>('/v1/assets/:id', {
    schema: {
      operationId: 'deleteAsset',
      summary: 'Delete an asset everywhere',
      description:
        'Idempotent. Playback stops at once, including URLs already handed out (edges apply a revocation list); ' +
        'processing is cancelled; cached copies and origin objects are removed in the background (event asset.purged).',
      tags: ['assets'],
      params: idParams,
      response: { 200: { $ref: 'Asset#' }, '4xx': { $ref: 'Error#' } },
    },
  }, async (request) => {
    const accountId = request.account.id;
    const result = await deps.sql.begin(async (tx) => {
      const marked = await markAssetDeleted(tx, accountId, request.params.id);
      if (!marked?.first) return marked;
      const { quietAfter } = await cancelJobsOf(tx, marked.asset.id);
      // The purge waits until no cancelled worker can still be writing to the origin.
      await enqueueJob(tx, { assetId: marked.asset.id, accountId, kind: 'purge_asset', maxAttempts: PURGE_ATTEMPTS, runAt: quietAfter });
      await appendEvent(tx, { accountId, assetId: marked.asset.id, type: 'asset.deleted', data: {} });
      return marked;
    });
    if (!result) throw notFound('Asset');
    if (result.first) {
      void announceCancel(deps.redis, result.asset.id).catch(() => {});
      deps.announceJobs();
      deps.announceEvents(accountId);
    }
    const [artifacts, job] = await Promise.all([listArtifacts(deps.sql, result.asset.id), latestJobFor(deps.sql, result.asset.id)]);
    return assetView(result.asset, base, { artifacts, job });
  });
}

// With the queue's backoff capped at 10 minutes, about 16 hours of retries: a purge must
// outlast an S3 outage, not give up during one.
const PURGE_ATTEMPTS = 100;
