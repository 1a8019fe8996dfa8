import type { FastifyInstance } from 'fastify';
import { HealthSchema, QUIET_ROUTE, readinessRoute, typed } from '@kino/http';
import type { Origin } from '@kino/edge-cache';
import type { PlaybackVerifier } from '@kino/tokens';

export async function healthRoutes(
  app: FastifyInstance,
  deps: { origin: Origin; verifier: PlaybackVerifier; internalToken: string },
): Promise<void> {
  // The process is up.
  typed(app).get('/healthz', { ...QUIET_ROUTE, schema: { response: { 200: HealthSchema } } }, async () => ({ status: 'ok' }));

  // The origin answers and playback keys are loaded.
  readinessRoute(app, {
    internalToken: deps.internalToken,
    checks: {
      origin: (signal) => deps.origin.check(signal),
      keys: async () => {
        const stats = deps.verifier.stats();
        if (stats.keys === 0) throw new Error(`no playback keys loaded${stats.lastRefreshError ? `: ${stats.lastRefreshError}` : ''}`);
      },
    },
  });
}
