import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.ts';

/** Routes without an API key: the public keys edges and anyone else verify tokens with. */
export async function publicRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/.well-known/jwks.json', {
    schema: {
      summary: 'Public keys of playback tokens (JWKS)',
      tags: ['playback'],
      security: [],
      response: { 200: { type: 'object', properties: { keys: { type: 'array', items: { type: 'object', additionalProperties: true } } } } },
    },
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return deps.signer.jwks();
  });
}
