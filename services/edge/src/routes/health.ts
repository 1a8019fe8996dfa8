import type { FastifyInstance } from 'fastify';
import type { Origin } from '@kino/edge-cache';
import type { PlaybackVerifier } from '@kino/tokens';

const CHECK_TIMEOUT_MS = 2000;

const healthSchema = {
  type: 'object',
  properties: { status: { type: 'string' }, checks: { type: 'object', additionalProperties: { type: 'string' } } },
} as const;

export async function healthRoutes(app: FastifyInstance, deps: { origin: Origin; verifier: PlaybackVerifier }): Promise<void> {
  // The process is up.
  app.get('/healthz', { schema: { response: { 200: healthSchema } } }, async () => ({ status: 'ok' }));

  // The origin answers and playback keys are loaded.
  app.get('/readyz', { schema: { response: { 200: healthSchema, 503: healthSchema } } }, async (_request, reply) => {
    const origin = await deps.origin.check(AbortSignal.timeout(CHECK_TIMEOUT_MS)).then(
      () => 'ok',
      (err: Error) => err.message || err.name,
    );
    const stats = deps.verifier.stats();
    const keys = stats.keys > 0 ? 'ok' : `no playback keys loaded${stats.lastRefreshError ? `: ${stats.lastRefreshError}` : ''}`;
    const ok = origin === 'ok' && keys === 'ok';
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks: { origin, keys } });
  });
}
