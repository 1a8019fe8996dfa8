import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { roleLogging, newRequestId, refuseUnknownParameters, strictAjv, type LogDestination } from '@kino/http';
import type { ApiDeps } from './deps.ts';
import { requireApiKey } from './auth.ts';
import { registerErrorHandling } from './errors.ts';
import { AssetSchema } from './asset-view.ts';
import { healthRoutes } from './routes/health.ts';
import { uploadRoutes } from './routes/uploads.ts';
import { videoRoutes } from './routes/videos.ts';
import { accountRoutes } from './routes/account.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { assetRoutes } from './routes/assets.ts';
import { eventRoutes, EventSchema } from './routes/events.ts';
import { internalRoutes } from './routes/internal.ts';
import { keyRoutes } from './routes/keys.ts';
import { playbackRoutes } from './routes/playback.ts';
import { playerRoutes } from './routes/player.ts';
import { publicRoutes } from './routes/public.ts';
import { statusRoutes } from './routes/status.ts';
import { TUS_REQUEST_BODIES, tusRoutes } from './routes/tus.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { playbackBlockSchema } from '@kino/playback';

/** `logStream`: where the log goes instead of stdout, for the tests that read it. */
export async function buildApp(deps: ApiDeps, logStream?: LogDestination): Promise<FastifyInstance> {
  const app = Fastify({
    ...roleLogging(deps.config, logStream),
    genReqId: newRequestId,
    requestIdHeader: false,
    // Uploads stream for as long as they take; everything else is small.
    requestTimeout: 0,
    bodyLimit: 1024 * 1024,
    trustProxy: deps.config.api.trustProxy,
    ajv: strictAjv,
  });
  refuseUnknownParameters(app);
  // JSON routes take JSON only: a text/plain body is a 415 naming the type, not a parse of a string.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandling(app);
  app.addSchema(EventSchema);
  app.addSchema(playbackBlockSchema);
  app.addSchema(AssetSchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Kino API', version: '0.1.0', description: 'Upload a video, get a playable asset.' },
      servers: [{ url: deps.config.api.publicUrl }],
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key.' } } },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    // The upload routes read their file bodies as streams, so only a URL import's JSON body
    // has a schema to generate a requestBody from; the others are described here.
    transformObject: (documentObject) => {
      if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
      const { openapiObject } = documentObject;
      const paths = (openapiObject as { paths?: Record<string, Record<string, Record<string, unknown>>> }).paths;
      for (const [path, bodies] of Object.entries(TUS_REQUEST_BODIES)) {
        for (const [method, requestBody] of Object.entries(bodies)) {
          const operation = paths?.[path]?.[method];
          if (operation) operation['requestBody'] = requestBody;
        }
      }
      const post = paths?.['/v1/videos']?.['post'];
      if (post) {
        const file = { schema: { type: 'string', format: 'binary' } };
        const generated = (post['requestBody'] as { content?: Record<string, unknown> } | undefined)?.content;
        post['requestBody'] = {
          required: true,
          content: {
            ...generated,
            'video/*': file,
            'audio/*': file,
            'application/octet-stream': file,
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: { title: { type: 'string' }, passthrough: { type: 'string' }, file: { type: 'string', format: 'binary' } },
                required: ['file'],
              },
            },
          },
        };
      }
      return openapiObject;
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (scope) => healthRoutes(scope, deps));
  await app.register(async (scope) => publicRoutes(scope, deps));
  await app.register(async (scope) => playerRoutes(scope, deps));
  await app.register(async (scope) => internalRoutes(scope, deps));
  // Authenticated like /v1 (in its own scope: tus preflights come without a key).
  await app.register(async (scope) => tusRoutes(scope, deps));
  await app.register(async (v1) => {
    requireApiKey(v1, deps);
    await v1.register(async (scope) => videoRoutes(scope, deps));
    await v1.register(async (scope) => uploadRoutes(scope, deps));
    await v1.register(async (scope) => assetRoutes(scope, deps));
    await v1.register(async (scope) => playbackRoutes(scope, deps));
    await v1.register(async (scope) => eventRoutes(scope, deps));
    await v1.register(async (scope) => webhookRoutes(scope, deps));
    await v1.register(async (scope) => analyticsRoutes(scope, deps));
    await v1.register(async (scope) => statusRoutes(scope, deps));
    await v1.register(async (scope) => keyRoutes(scope, deps));
    await v1.register(async (scope) => accountRoutes(scope, deps));
  });
  return app;
}
