import type { FastifyInstance } from 'fastify';
import { getAsset } from '@kino/db';
import { IdParams, typed } from '@kino/http';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { issuePlayback } from '../playback.ts';
import { keyedErrors, PlaybackRef, playbackQuery } from '../schemas.ts';

export async function playbackRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  typed(scope).get(
    '/v1/assets/:id/playback',
    {
      config: { access: 'playback' },
      schema: {
        operationId: 'getPlayback',
        summary: 'Signed playback URLs on the best healthy edge',
        description: 'A 404 ASSET_NOT_PLAYABLE until the opener is ready.',
        tags: ['playback'],
        params: IdParams,
        querystring: Type.Object(playbackQuery),
        response: { 200: PlaybackRef(), ...keyedErrors(404, 503) },
      },
    },
    async (request) => {
      const asset = await getAsset(deps.sql, request.account.id, request.params.id);
      if (!asset) throw notFound('Asset');
      const region = request.query.region ?? (request.headers['x-kino-region'] as string | undefined);
      return issuePlayback(deps, asset, { region, ttlSeconds: request.query.ttl_seconds });
    },
  );
}
