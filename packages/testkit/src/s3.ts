import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createStorage, embeddedS3Config, startEmbeddedS3, type EmbeddedS3Options, type Storage } from '@kino/storage';
import type { S3Config } from '@kino/config';

export interface TestS3 {
  storage: Storage;
  config: S3Config & { endpoint: string };
  close(): Promise<void>;
}

/** A private s3rver on a free port with its own bucket and directory. */
export async function createTestS3(opts: { onRequest?: EmbeddedS3Options['onRequest'] } = {}): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'kino-s3-'));
  const bucket = `kino-test-${randomBytes(4).toString('hex')}`;
  const server = await startEmbeddedS3({ directory, buckets: [bucket], onRequest: opts.onRequest });
  const config = embeddedS3Config(server.endpoint, bucket);
  const storage = createStorage(config);
  return {
    storage,
    config,
    async close() {
      storage.s3.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
