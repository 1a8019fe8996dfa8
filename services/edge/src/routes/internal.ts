import type { FastifyInstance } from 'fastify';
import { bearerMatches, clientErrors, Defaulted, QUIET_ROUTE, RawBody, StringEnum, typed } from '@kino/http';
import { ARTIFACT_PATH_PATTERN, ASSET_ID_PATTERN, cacheKeyFor } from '@kino/artifacts';
import type { EdgeCache } from '@kino/edge-cache';
import pMap from 'p-map';
import { Type } from 'typebox';
import { ApiError } from '../errors.ts';
import type { EdgeMetrics } from '../metrics.ts';
import type { EdgeTelemetry } from '../telemetry.ts';
import type { Revocations } from '../revocations.ts';

// Warm fills run this many at a time: a whole ladder's startup set should not take every
// fill slot from viewers.
const WARM_CONCURRENCY = 8;
const MAX_PATHS = 1000;

const assetId = Type.String({ pattern: `^${ASSET_ID_PATTERN}$`, description: 'A lowercase UUID.' });
const artifactPaths = Type.Array(Type.String({ pattern: `^(?:${ARTIFACT_PATH_PATTERN})$` }), { maxItems: MAX_PATHS });

export interface InternalDeps {
  internalToken: string;
  cache: EdgeCache;
  metrics: EdgeMetrics;
  telemetry: EdgeTelemetry | undefined;
  revocations: Revocations;
}

/** Warm, purge and metrics, for the api, the worker and Prometheus: the internal token only. */
export async function internalRoutes(scope: FastifyInstance, deps: InternalDeps): Promise<void> {
  const app = typed(scope);
  app.addHook('onRequest', async (request) => {
    if (!bearerMatches(request.headers.authorization, deps.internalToken)) {
      throw new ApiError(401, 'UNAUTHORIZED', 'Internal routes need Authorization: Bearer <internal token>.');
    }
  });

  // Fills artifacts ahead of viewers; each path's outcome is reported.
  app.post(
    '/internal/warm',
    {
      schema: {
        body: Type.Object({ asset_id: assetId, artifact_paths: artifactPaths }, { additionalProperties: false }),
        response: {
          200: Type.Partial(
            Type.Object({
              asset_id: Type.String(),
              results: Type.Array(
                Type.Partial(
                  Type.Object({
                    artifact_path: Type.String(),
                    status: StringEnum(['hit', 'filled', 'joined', 'not_found', 'busy', 'failed']),
                  }),
                ),
              ),
            }),
          ),
          ...clientErrors,
        },
      },
    },
    async (request) => {
      const { asset_id, artifact_paths } = request.body;
      // A warm that arrives after the asset's purge must not fill the cache again.
      if (deps.revocations.has(asset_id)) throw new ApiError(410, 'ASSET_DELETED', 'The asset was deleted.');
      const results = await pMap(
        artifact_paths,
        async (p) => ({ artifact_path: p, status: await deps.cache.warm(cacheKeyFor(asset_id, p)) }),
        { concurrency: WARM_CONCURRENCY },
      );
      return { asset_id, results };
    },
  );

  // Removes artifacts of an asset (all of them when artifact_paths is omitted) from RAM and
  // disk; `revoke` (a deleted asset) also refuses its tokens from now on.
  app.post(
    '/internal/purge',
    {
      schema: {
        body: Type.Object(
          {
            asset_id: assetId,
            artifact_paths: Type.Optional(artifactPaths),
            revoke: Defaulted(Type.Boolean({ default: false })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Partial(
            Type.Object({
              asset_id: Type.String(),
              purged: Type.Partial(Type.Object({ ram: Type.Integer(), disk: Type.Integer(), fills: Type.Integer() })),
            }),
          ),
          ...clientErrors,
        },
      },
    },
    async (request) => {
      const { asset_id, artifact_paths, revoke } = request.body;
      if (revoke) deps.revocations.add(asset_id);
      return { asset_id, purged: await deps.cache.purge(asset_id, artifact_paths) };
    },
  );

  app.get(
    '/metrics',
    {
      ...QUIET_ROUTE,
      schema: { response: { 200: RawBody(), ...clientErrors } },
    },
    async (_request, reply) =>
      reply.type('text/plain; version=0.0.4; charset=utf-8').send(deps.metrics.render(deps.cache.stats(), deps.telemetry?.stats())),
  );
}
