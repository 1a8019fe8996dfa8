import type { FastifyInstance } from 'fastify';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { ApiDeps } from '../deps.ts';

const CHECK_TIMEOUT_MS = 2000;

async function check(name: string, fn: () => Promise<unknown>): Promise<[string, string]> {
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref()),
    ]);
    return [name, 'ok'];
  } catch (err) {
    return [name, err instanceof Error ? err.message : String(err)];
  }
}

const healthSchema = {
  type: 'object',
  properties: { status: { type: 'string' }, checks: { type: 'object', additionalProperties: { type: 'string' } } },
} as const;

export async function healthRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'The process is up', response: { 200: healthSchema } } },
    async () => ({ status: 'ok' }));

  app.get('/readyz', {
    schema: { tags: ['health'], summary: 'Postgres, Redis and S3 answer', response: { 200: healthSchema, 503: healthSchema } },
  }, async (_request, reply) => {
    const checks = Object.fromEntries(await Promise.all([
      check('postgres', () => deps.sql`select 1`),
      check('redis', () => deps.redis.ping()),
      check('s3', () => deps.storage.s3.send(new HeadBucketCommand({ Bucket: deps.storage.bucket }))),
    ]));
    const ok = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  });
}
