import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { recordEdgeHeartbeat, revokedAssets } from '@kino/db';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

/** Routes for Kino's own roles, guarded by the internal token rather than an API key. */
export async function internalRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const expected = Buffer.from(`Bearer ${deps.config.internalToken}`);
  app.addHook('onRequest', async (request) => {
    const got = Buffer.from(request.headers.authorization ?? '');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
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

  app.get('/internal/revocations', {
    schema: {
      hide: true,
      response: {
        200: {
          type: 'object',
          properties: {
            window_seconds: { type: 'integer' },
            assets: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, deleted_at: { type: 'string' } } } },
          },
        },
      },
    },
  }, async () => {
    // A token outlives its asset at most by the longest lifetime a token can have.
    const window = deps.config.playback.maxTtlSeconds + 60;
    const rows = await revokedAssets(deps.sql, new Date(Date.now() - window * 1000));
    return { window_seconds: window, assets: rows.map((r) => ({ id: r.id, deleted_at: r.deleted_at.toISOString() })) };
  });
}
