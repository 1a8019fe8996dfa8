import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Config } from '@kino/config';

export interface Storage {
  s3: S3Client;
  bucket: string;
}

/**
 * The S3 client settings of every Kino client of a bucket, ours and the ones libraries
 * make for themselves (the tus store), so they all address it alike.
 */
export function s3ClientConfig(cfg: S3Config & { endpoint: string }): S3ClientConfig {
  return {
    endpoint: cfg.endpoint,
    region: cfg.region,
    forcePathStyle: cfg.forcePathStyle,
    credentials: { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey },
    // By default the SDK sends streamed bodies aws-chunked with a trailing checksum, which
    // s3rver and some other S3-compatible servers store verbatim, framing and all.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  };
}

/** `client` adds or overrides S3Client settings: the edge's short timeouts and single retry. */
export function createStorage(cfg: S3Config & { endpoint: string }, client: S3ClientConfig = {}): Storage {
  const s3 = new S3Client({ ...s3ClientConfig(cfg), ...client });
  return { s3, bucket: cfg.bucket };
}
