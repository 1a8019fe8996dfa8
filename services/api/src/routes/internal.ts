import type { FastifyInstance } from 'fastify';
import { bearerMatches } from '@kino/http';
import { recordEdgeHeartbeat, revocationsSince } from '@kino/db';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

/** Routes for Kino's own roles, guarded by the internal token rather than an API key. */
export async function internalRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.addHook('onRequest', async (request) => {
    if (!bearerMatches(request.headers.authorization, deps.config.internalToken)) {
      throw new ApiError(401, 'UNAUTHORIZED', 'Internal routes need the internal token.');
    }
  });

  app.post<{ Body: { id: string; region: string; public_url: string; internal_url: string } }>('/internal/edges/heartbeat', {
    schema: {
      hide: true,
      body: {
        type: 'object',
        required: ['id', 'region', 'public_url', 'internal_url'],
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 128 },
          region: { type: 'string', minLength: 1, maxLength: 64 },
          public_url: { type: 'string', format: 'uri', pattern: '^https?://' },
          internal_url: { type: 'string', format: 'uri', pattern: '^https?://' },
        },
      },
    },
  }, async (request, reply) => {
    const b = request.body;
    await recordEdgeHeartbeat(deps.sql, {
      id: b.id, region: b.region, publicUrl: b.public_url.replace(/\/$/, ''), internalUrl: b.internal_url.replace(/\/$/, ''),
    });
    return reply.code(204).send();
  });

  // The revocation list, incrementally: without `since` every asset deleted within the
  // longest token lifetime, then only what was deleted after the returned cursor. Pages
  // until `more` is false. The cursor is exact (see packages/db/src/revocations.ts).
  app.get<{ Querystring: { since?: string; limit: number } }>('/internal/revocations', {
    schema: {
      hide: true,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          since: { type: 'string', pattern: '^[0-9]{1,15}$', description: 'The cursor of the previous answer.' },
          limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 1000 },
        },
      },
      response: {
        200: {
          type: 'object',
          required: ['window_seconds', 'cursor', 'more', 'assets'],
          properties: {
            window_seconds: { type: 'integer' },
            cursor: { type: 'string' },
            more: { type: 'boolean' },
            assets: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, deleted_at: { type: 'string' } } } },
          },
        },
        '4xx': { $ref: 'Error#' },
      },
    },
  }, async (request) => {
    // A token outlives its asset at most by the longest lifetime a token can have.
    const window = deps.config.playback.maxTtlSeconds + 60;
    const { since, limit } = request.query;
    const page = await revocationsSince(deps.sql, { since: since === undefined ? undefined : Number(since), windowSeconds: window, limit });
    return {
      window_seconds: window,
      cursor: String(page.cursor),
      more: page.more,
      assets: page.revocations.map((r) => ({ id: r.id, deleted_at: r.deleted_at.toISOString() })),
    };
  });
}
