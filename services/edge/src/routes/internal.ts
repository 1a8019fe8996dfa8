import type { FastifyInstance } from 'fastify';
import { bearerMatches } from '@kino/http';
import { ARTIFACT_PATH_PATTERN, ASSET_ID_PATTERN, type EdgeCache, type WarmResult } from '@kino/edge-cache';
import { ApiError } from '../errors.ts';
import type { EdgeMetrics } from '../metrics.ts';
import type { EdgeTelemetry } from '../telemetry.ts';
import type { Revocations } from '../revocations.ts';

// Warm fills run this many at a time: a whole ladder's startup set should not take every
// fill slot from viewers.
const WARM_CONCURRENCY = 8;
const MAX_PATHS = 1000;

const assetId = { type: 'string', pattern: `^${ASSET_ID_PATTERN}$`, description: 'A lowercase UUID.' } as const;
const artifactPaths = {
  type: 'array',
  maxItems: MAX_PATHS,
  items: { type: 'string', pattern: `^(?:${ARTIFACT_PATH_PATTERN})$` },
} as const;

interface WarmBody {
  asset_id: string;
  artifact_paths: string[];
}

interface PurgeBody {
  asset_id: string;
  artifact_paths?: string[];
  revoke?: boolean;
}

export interface InternalDeps {
  internalToken: string;
  cache: EdgeCache;
  metrics: EdgeMetrics;
  telemetry: EdgeTelemetry | undefined;
  revocations: Revocations;
}

/** Warm, purge and metrics, for the api, the worker and Prometheus: the internal token only. */
export async function internalRoutes(app: FastifyInstance, deps: InternalDeps): Promise<void> {
  app.addHook('onRequest', async (request) => {
    if (!bearerMatches(request.headers.authorization, deps.internalToken)) {
      throw new ApiError(401, 'UNAUTHORIZED', 'Internal routes need Authorization: Bearer <internal token>.');
    }
  });

  // Fills artifacts ahead of viewers; each path's outcome is reported.
  app.post<{ Body: WarmBody }>('/internal/warm', {
    schema: {
      body: { type: 'object', required: ['asset_id', 'artifact_paths'], additionalProperties: false, properties: { asset_id: assetId, artifact_paths: artifactPaths } },
      response: {
        200: {
          type: 'object',
          properties: {
            asset_id: { type: 'string' },
            results: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  artifact_path: { type: 'string' },
                  status: { type: 'string', enum: ['hit', 'filled', 'joined', 'not_found', 'busy', 'failed'] },
                },
              },
            },
          },
        },
        '4xx': { $ref: 'Error#' },
      },
    },
  }, async (request) => {
    const { asset_id, artifact_paths } = request.body;
    // A warm that arrives after the asset's purge must not fill the cache again.
    if (deps.revocations.has(asset_id)) throw new ApiError(410, 'ASSET_DELETED', 'The asset was deleted.');
    const results: Array<{ artifact_path: string; status: WarmResult }> = artifact_paths.map((p) => ({ artifact_path: p, status: 'failed' }));
    let next = 0;
    const worker = async () => {
      while (next < results.length) {
        const r = results[next++]!;
        r.status = await deps.cache.warm(`${asset_id}/${r.artifact_path}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(WARM_CONCURRENCY, results.length) }, worker));
    return { asset_id, results };
  });

  // Removes artifacts of an asset (all of them when artifact_paths is omitted) from RAM and
  // disk; `revoke` (a deleted asset) also refuses its tokens from now on.
  app.post<{ Body: PurgeBody }>('/internal/purge', {
    schema: {
      body: {
        type: 'object',
        required: ['asset_id'],
        additionalProperties: false,
        properties: { asset_id: assetId, artifact_paths: artifactPaths, revoke: { type: 'boolean', default: false } },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            asset_id: { type: 'string' },
            purged: {
              type: 'object',
              properties: { ram: { type: 'integer' }, disk: { type: 'integer' }, fills: { type: 'integer' } },
            },
          },
        },
        '4xx': { $ref: 'Error#' },
      },
    },
  }, async (request) => {
    const { asset_id, artifact_paths, revoke } = request.body;
    if (revoke) deps.revocations.add(asset_id);
    return { asset_id, purged: await deps.cache.purge(asset_id, artifact_paths) };
  });

  app.get('/metrics', {
    schema: { response: { 200: { type: 'string' }, '4xx': { $ref: 'Error#' } } },
  }, async (_request, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(deps.metrics.render(deps.cache.stats(), deps.telemetry?.stats())));
}
