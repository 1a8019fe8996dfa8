import { S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '@kino/config';

export interface Storage {
  s3: S3Client;
  bucket: string;
}

export function createStorage(cfg: S3Config & { endpoint: string }): Storage {
  const s3 = new S3Client({
    endpoint: cfg.endpoint,
    region: cfg.region,
    forcePathStyle: cfg.forcePathStyle,
    credentials: { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey },
  });
  return { s3, bucket: cfg.bucket };
}
