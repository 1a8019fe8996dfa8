import type { FastifyInstance } from 'fastify';
import { readinessRoute } from '@kino/http';
import type { Origin } from '@kino/edge-cache';
import type { PlaybackVerifier } from '@kino/tokens';

const healthSchema = { type: 'object', properties: { status: { type: 'string' } } } as const;

export async function healthRoutes(app: FastifyInstance, deps: { origin: Origin; verifier: PlaybackVerifier; internalToken: string }): Promise<void> {
  // The process is up.
  app.get('/healthz', { schema: { response: { 200: healthSchema } } }, async () => ({ status: 'ok' }));

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
