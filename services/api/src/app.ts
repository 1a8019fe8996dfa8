import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import {
  AnyObject,
  checkResponsesAgainstDocument,
  errorResponses,
  newRequestId,
  roleLogging,
  type LogDestination,
  refuseUnknownParameters,
  responseChecksEnabled,
  strictAjv,
} from '@kino/http';
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
import { derivedRoutes } from './routes/derived.ts';
import { eventRoutes, EventSchema } from './routes/events.ts';
import { internalRoutes } from './routes/internal.ts';
import { KeySchema, keyRoutes } from './routes/keys.ts';
import { playbackRoutes } from './routes/playback.ts';
import { playerRoutes } from './routes/player.ts';
import { PresetSchema, presetRoutes } from './routes/presets.ts';
import { estimateRoutes } from './routes/estimate.ts';
import { publicRoutes } from './routes/public.ts';
import { statusRoutes } from './routes/status.ts';
import { capabilitiesRoutes } from './routes/capabilities.ts';
import { usageRoutes } from './routes/usage.ts';
import { tusRoutes } from './routes/tus.ts';
import { swaggerOptions } from './openapi.ts';
import { DeliverySchema, WebhookSchema, webhookRoutes } from './routes/webhooks.ts';
import { JobSchema, jobDownloadRoutes, jobRoutes } from './routes/jobs.ts';
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
  // Tests only (the testkit turns it on): every answer is checked against the document.
  if (responseChecksEnabled()) checkResponsesAgainstDocument(app, () => app.swagger());
  app.addSchema(EventSchema);
  app.addSchema(playbackBlockSchema);
  app.addSchema(AssetSchema);
  // Named in the document, so an SDK has a type for each.
  for (const schema of [WebhookSchema, DeliverySchema, KeySchema, PresetSchema, JobSchema]) app.addSchema(schema);

  await app.register(swagger, swaggerOptions(deps.config.api.publicUrl));
  app.get(
    '/openapi.json',
    {
      schema: {
        operationId: 'getOpenApiDocument',
        summary: 'This document (OpenAPI 3.1)',
        tags: ['meta'],
        security: [],
        response: { 200: AnyObject({ description: 'The OpenAPI document.' }), ...errorResponses([400, 500]) },
      },
    },
    async () => app.swagger(),
  );

  await app.register(async (scope) => healthRoutes(scope, deps));
  await app.register(async (scope) => publicRoutes(scope, deps));
  await app.register(async (scope) => playerRoutes(scope, deps));
  await app.register(async (scope) => internalRoutes(scope, deps));
  // A job output's download: its signed URL is the grant, so no API key.
  await app.register(async (scope) => jobDownloadRoutes(scope, deps));
  // Authenticated like /v1 (in its own scope: tus preflights come without a key).
  await app.register(async (scope) => tusRoutes(scope, deps));
  await app.register(async (v1) => {
    requireApiKey(v1, deps);
    await v1.register(async (scope) => videoRoutes(scope, deps));
    await v1.register(async (scope) => uploadRoutes(scope, deps));
    await v1.register(async (scope) => assetRoutes(scope, deps));
    await v1.register(async (scope) => derivedRoutes(scope, deps));
    await v1.register(async (scope) => playbackRoutes(scope, deps));
    await v1.register(async (scope) => eventRoutes(scope, deps));
    await v1.register(async (scope) => webhookRoutes(scope, deps));
    await v1.register(async (scope) => analyticsRoutes(scope, deps));
    await v1.register(async (scope) => statusRoutes(scope, deps));
    await v1.register(async (scope) => capabilitiesRoutes(scope, deps));
    await v1.register(async (scope) => usageRoutes(scope, deps));
    await v1.register(async (scope) => keyRoutes(scope, deps));
    await v1.register(async (scope) => accountRoutes(scope, deps));
    await v1.register(async (scope) => presetRoutes(scope, deps));
    await v1.register(async (scope) => estimateRoutes(scope, deps));
    await v1.register(async (scope) => jobRoutes(scope, deps));
  });
  return app;
}
