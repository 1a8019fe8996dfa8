import Fastify from 'fastify';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { Config } from '@kino/config';
import { createStorage } from '@kino/storage';

export interface Edge {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The edge role. For now it only reports its health and whether the origin answers;
 * token checks, the disk cache and coalesced fills come with signed playback.
 */
export async function createEdge(config: Config): Promise<Edge> {
  const endpoint = config.s3.endpoint;
  if (!endpoint) throw new Error('S3_ENDPOINT is not set: the edge needs an S3 origin when run on its own.');
  const origin = createStorage({ ...config.s3, endpoint });
  const app = Fastify({ logger: { level: config.logLevel } });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await origin.s3.send(new HeadBucketCommand({ Bucket: origin.bucket }));
      return { status: 'ok', checks: { origin: 'ok' } };
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', checks: { origin: (err as Error).message } });
    }
  });

  const edge: Edge = {
    url: '',
    async start() {
      edge.url = await app.listen({ host: config.edge.host, port: config.edge.port });
    },
    async stop() {
      await app.close();
      origin.s3.destroy();
    },
  };
  return edge;
}
