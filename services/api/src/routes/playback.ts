import type { FastifyInstance } from 'fastify';
import { getAsset } from '@kino/db';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { issuePlayback } from '../playback.ts';

export const playbackQuery = {
  region: { type: 'string', maxLength: 64, description: 'Prefer an edge in this region (also the x-kino-region header).' },
  ttl_seconds: { type: 'integer', minimum: 10, description: 'Lifetime of the signed URLs; capped by configuration.' },
} as const;

export async function playbackRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: { region?: string; ttl_seconds?: number } }>('/v1/assets/:id/playback', {
    schema: {
      operationId: 'getPlayback',
      summary: 'Signed playback URLs on the best healthy edge',
      description: 'A 404 ASSET_NOT_PLAYABLE until the opener is ready.',
      tags: ['playback'],
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
      querystring: { type: 'object', properties: playbackQuery },
      response: { 200: { $ref: 'Playback#' }, '4xx': { $ref: 'Error#' }, '5xx': { $ref: 'Error#' } },
    },
  }, async (request) => {
    const asset = await getAsset(deps.sql, request.account.id, request.params.id);
    if (!asset) throw notFound('Asset');
    const region = request.query.region ?? (request.headers['x-kino-region'] as string | undefined);
    return issuePlayback(deps, asset, { region, ttlSeconds: request.query.ttl_seconds });
  });
}
