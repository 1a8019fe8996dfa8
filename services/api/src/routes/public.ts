import type { FastifyInstance } from 'fastify';
import { AnyObject, errorResponses, typed } from '@kino/http';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';

/**
 * Every answer of `scope`'s routes readable from any origin: errors included (a validation
 * 400, a 404, a 429), or a browser on another origin sees a network failure instead of our
 * message. An onSend hook of the scope runs for the error handler's answers too; the error
 * details a page may want (Retry-After, the request id) are exposed with them.
 */
export function openToEveryOrigin(scope: FastifyInstance): void {
  scope.addHook('onSend', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', 'retry-after, x-request-id');
  });
}

/** Routes without an API key: the public keys edges and anyone else verify tokens with. */
export async function publicRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  openToEveryOrigin(app);
  typed(app).get(
    '/.well-known/jwks.json',
    {
      schema: {
        operationId: 'getJwks',
        summary: 'Public keys of playback tokens (JWKS)',
        tags: ['playback'],
        security: [],
        // Open: verifiers add cache-busting parameters to key URLs.
        querystring: Type.Object({}, { additionalProperties: true }),
        response: { 200: Type.Object({ keys: Type.Array(AnyObject()) }), ...errorResponses([500]) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return deps.signer.jwks();
    },
  );
}
