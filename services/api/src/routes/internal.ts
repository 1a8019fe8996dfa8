import type { FastifyInstance } from 'fastify';
import { bearerMatches, clientErrors, Defaulted, typed } from '@kino/http';
import { recordEdgeHeartbeat, revocationsSince } from '@kino/db';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

/** Routes for Kino's own roles, guarded by the internal token rather than an API key. */
export async function internalRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  app.addHook('onRequest', async (request) => {
    if (!bearerMatches(request.headers.authorization, deps.config.internalToken)) {
      throw new ApiError(401, 'UNAUTHORIZED', 'Internal routes need the internal token.');
    }
  });

  app.post(
    '/internal/edges/heartbeat',
    {
      schema: {
        hide: true,
        body: Type.Object({
          id: Type.String({ minLength: 1, maxLength: 128 }),
          region: Type.String({ minLength: 1, maxLength: 64 }),
          public_url: Type.String({ format: 'uri', pattern: '^https?://' }),
          internal_url: Type.String({ format: 'uri', pattern: '^https?://' }),
        }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      await recordEdgeHeartbeat(deps.sql, {
        id: b.id,
        region: b.region,
        publicUrl: b.public_url.replace(/\/$/, ''),
        internalUrl: b.internal_url.replace(/\/$/, ''),
      });
      return reply.code(204).send();
    },
  );

  // The revocation list, incrementally: without `since` every asset deleted within the
  // longest token lifetime, then only what was deleted after the returned cursor. Pages
  // until `more` is false. The cursor is exact (see packages/db/src/revocations.ts).
  app.get(
    '/internal/revocations',
    {
      schema: {
        hide: true,
        querystring: Type.Object(
          {
            since: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'The cursor of the previous answer.' })),
            limit: Defaulted(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            window_seconds: Type.Integer(),
            cursor: Type.String(),
            more: Type.Boolean(),
            assets: Type.Array(Type.Partial(Type.Object({ id: Type.String(), deleted_at: Type.String() }))),
          }),
          ...clientErrors,
        },
      },
    },
    async (request) => {
      // A token outlives its asset at most by the longest lifetime a token can have.
      const window = deps.config.playback.maxTtlSeconds + 60;
      const { since, limit } = request.query;
      const page = await revocationsSince(deps.sql, {
        since: since === undefined ? undefined : Number(since),
        windowSeconds: window,
        limit,
      });
      return {
        window_seconds: window,
        cursor: String(page.cursor),
        more: page.more,
        assets: page.revocations.map((r) => ({ id: r.id, deleted_at: r.deleted_at.toISOString() })),
      };
    },
  );
}
