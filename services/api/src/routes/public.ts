import type { FastifyInstance } from 'fastify';
import { AnyObject, typed } from '@kino/http';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';

/** Routes without an API key: the public keys edges and anyone else verify tokens with. */
export async function publicRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  typed(app).get(
    '/.well-known/jwks.json',
    {
      schema: {
        summary: 'Public keys of playback tokens (JWKS)',
        tags: ['playback'],
        security: [],
        response: { 200: Type.Partial(Type.Object({ keys: Type.Array(AnyObject()) })) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return deps.signer.jwks();
    },
  );
}
