import type { FastifyInstance } from 'fastify';
import { getAsset, listArtifacts, listAssets, PLAYBACK_POLICIES, SOURCE_STATES, updateAsset } from '@kino/db';
import { IdParams, Nullable, Page, PageQuery, pageOf, pageStart, StringEnum, typed, type PageFilters } from '@kino/http';
import { announceCancel, latestJobFor } from '@kino/jobs';
import { deleteAsset } from '@kino/pipeline';
import { Type, type Static } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { AssetRef, assetView, readAssetDetail } from '../asset-view.ts';
import { BODY, keyedErrors } from '../schemas.ts';

const PLAYABLE_STATES = ['not_playable', 'opener_ready', 'hls_ready', 'deleted'] as const;

const ListQuery = Type.Object({
  ...PageQuery,
  source_state: Type.Optional(StringEnum(SOURCE_STATES)),
  playable_state: Type.Optional(
    StringEnum(PLAYABLE_STATES, {
      description: 'As the assets read: a deleted asset matches only `deleted`.',
    }),
  ),
  // Not defaulted: a cursor keeps the filters of the first page, so "not given" must differ from "false".
  include_deleted: Type.Optional(Type.Boolean({ description: 'List deleted assets too (playable_state `deleted`). Default false.' })),
});

/** The filters of an asset list, and the values a cursor may carry for each. */
type ListFilters = Pick<Static<typeof ListQuery>, 'source_state' | 'playable_state' | 'include_deleted'>;
const LIST_FILTERS = { source_state: SOURCE_STATES, playable_state: PLAYABLE_STATES, include_deleted: [true, false] };

const AssetPatch = Type.Object(
  {
    playback_policy: Type.Optional(
      StringEnum(PLAYBACK_POLICIES, {
        description:
          'Tokens minted by the public player before a change to `signed` stay valid until they expire (PLAYER_TOKEN_TTL_SECONDS, minutes).',
      }),
    ),
    title: Type.Optional(Nullable(Type.String({ maxLength: 512 }))),
    passthrough: Type.Optional(Nullable(Type.String({ maxLength: 2048 }))),
  },
  { minProperties: 1 },
);

/** Which deleted assets a list includes: a state filter is exact, as assets read in views. */
function deletedFilter(q: ListFilters): 'exclude' | 'include' | 'only' {
  if (q.playable_state === 'deleted') return 'only';
  if (q.playable_state !== undefined) return 'exclude';
  return q.include_deleted ? 'include' : 'exclude';
}

export async function assetRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  const base = deps.config.api.publicUrl;

  app.get(
    '/v1/assets/:id',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getAsset',
        summary: 'An asset with its states, source metadata, progress and artifacts',
        tags: ['assets'],
        params: IdParams,
        response: { 200: AssetRef(), ...keyedErrors(404) },
      },
    },
    async (request) => {
      // One snapshot: a job's failure and the asset's error commit together (failJob), so
      // they are read together too; separate reads could show a failed job without its error.
      const read = await deps.sql.begin('isolation level repeatable read read only', async (tx) => {
        const asset = await getAsset(tx, request.account.id, request.params.id);
        if (!asset) return null;
        return { asset, detail: await readAssetDetail(tx, asset.id) };
      });
      if (!read) throw notFound('Asset');
      return assetView(read.asset, base, read.detail);
    },
  );

  app.patch(
    '/v1/assets/:id',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'updateAsset',
        summary: "Change an asset's playback policy, title or passthrough",
        description: 'Only the fields given change. A deleted asset cannot be changed (409 ASSET_DELETED).',
        tags: ['assets'],
        params: IdParams,
        body: AssetPatch,
        response: { 200: AssetRef(), ...keyedErrors(404, 409, ...BODY) },
      },
    },
    async (request) => {
      const b = request.body;
      const accountId = request.account.id;
      const asset = await updateAsset(deps.sql, accountId, request.params.id, {
        playbackPolicy: b.playback_policy,
        title: b.title,
        passthrough: b.passthrough,
      });
      if (!asset) {
        if (!(await getAsset(deps.sql, accountId, request.params.id))) throw notFound('Asset');
        throw new ApiError(409, 'ASSET_DELETED', 'The asset was deleted; it can no longer be changed.');
      }
      return assetView(asset, base, await readAssetDetail(deps.sql, asset.id));
    },
  );

  app.get(
    '/v1/assets',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listAssets',
        summary: 'Assets of the account, newest first',
        description:
          'Pages with `next_cursor`; pass it back as `cursor`. Items omit progress and artifacts: fetch one asset for those. ' +
          'Deleted assets are left out unless `include_deleted=true`; `playable_state=deleted` lists only them.',
        tags: ['assets'],
        querystring: ListQuery,
        response: { 200: Page(AssetRef()), ...keyedErrors() },
      },
    },
    async (request) => {
      const { cursor, limit: asked, ...given } = request.query;
      const { after, filters: q, limit } = pageStart({ cursor, limit: asked }, given as ListFilters, LIST_FILTERS);
      if (after && !(await getAsset(deps.sql, request.account.id, after))) {
        throw new ApiError(400, 'INVALID_CURSOR', 'The cursor does not name an asset of this account.');
      }
      const rows = await listAssets(deps.sql, request.account.id, {
        limit: limit + 1,
        afterId: after,
        sourceState: q.source_state,
        playableState: q.playable_state === 'deleted' ? undefined : q.playable_state,
        deleted: deletedFilter(q),
      });
      return pageOf(rows, limit, (a) => assetView(a, base), q as PageFilters);
    },
  );

  app.delete(
    '/v1/assets/:id',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'deleteAsset',
        summary: 'Delete an asset everywhere',
        description:
          'Idempotent. Playback stops at once, including URLs already handed out (edges apply a revocation list); ' +
          'processing is cancelled; cached copies and origin objects are removed in the background (event asset.purged).',
        tags: ['assets'],
        params: IdParams,
        response: { 200: AssetRef(), ...keyedErrors(404) },
      },
    },
    async (request) => {
      const asset = await deleteAsset(
        {
          sql: deps.sql,
          // A lost announcement only lets a running job go on until its next lease renewal.
          onJobsCancelled: (id) => void announceCancel(deps.redis, id).catch(() => {}),
          onJobQueued: deps.announceJobs,
          onEvents: deps.announceEvents,
        },
        request.account.id,
        request.params.id,
      );
      if (!asset) throw notFound('Asset');
      return assetView(asset, base, await readAssetDetail(deps.sql, asset.id));
    },
  );
}
