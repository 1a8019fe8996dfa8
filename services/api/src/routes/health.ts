import type { FastifyInstance } from 'fastify';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { errorResponses, HealthSchema, readinessRoute, typed } from '@kino/http';
import type { ApiDeps } from '../deps.ts';

export async function healthRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  typed(app).get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['health'],
        summary: 'The process is up',
        security: [],
        response: { 200: HealthSchema, ...errorResponses([400, 500]) },
      },
    },
    async () => ({ status: 'ok' }),
  );

  readinessRoute(app, {
    summary: 'Postgres, Redis and S3 answer',
    internalToken: deps.config.internalToken,
    // Redis only carries wake-ups, key changes and rate-limit buckets, and each falls back
    // (polling, KEY_CACHE_MS, per-process limits): the api serves on without it.
    degradable: ['redis'],
    checks: {
      postgres: () => deps.sql`select 1`,
      redis: () => deps.redis.ping(),
      s3: (signal) => deps.storage.s3.send(new HeadBucketCommand({ Bucket: deps.storage.bucket }), { abortSignal: signal }),
    },
  });
}
