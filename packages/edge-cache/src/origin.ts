import { Agent } from 'node:http';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { S3Config } from '@kino/config';
import { createStorage } from '@kino/storage';

export interface OriginObject {
  body: Readable;
  size: number;
  lastModified: Date | undefined;
}

/** Where cold fills come from. The cache knows only this, so tests can put anything behind it. */
export interface Origin {
  get(key: string, signal: AbortSignal): Promise<OriginObject>;
  /** Resolves when the origin answers at all; for readiness checks. */
  check(signal: AbortSignal): Promise<void>;
  close(): void;
}

/**
 * Why the origin gave no object: it has none (`not_found`), it did not answer as it should
 * (`unavailable`), the object is being made and may be asked for again after
 * `retryAfterSec` (`not_ready`, see just-in-time.ts), or it is an image variant the asset
 * has no room for (`limited`).
 */
export class OriginError extends Error {
  constructor(
    readonly kind: 'not_found' | 'unavailable' | 'not_ready' | 'limited',
    message: string,
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

export interface S3OriginOptions {
  /** Sockets to the origin; one per concurrent fill is enough. */
  maxSockets: number;
  connectTimeoutMs?: number;
  /** A response that sends nothing for this long fails its fill. */
  idleTimeoutMs?: number;
}

/**
 * S3 (or anything speaking it) as the origin. A viewer is waiting on every fill, so a dead
 * origin must fail fast: a short connect timeout and one retry, instead of the SDK's
 * unbounded connect and three attempts with backoff.
 */
export function createS3Origin(cfg: S3Config & { endpoint: string }, o: S3OriginOptions): Origin {
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxSockets });
  const { s3, bucket } = createStorage(cfg, {
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({
      httpAgent: agent,
      connectionTimeout: o.connectTimeoutMs ?? 1000,
      socketTimeout: o.idleTimeoutMs ?? 30_000,
    }),
    // Fills check the length themselves; the SDK's response checksums would only add work.
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    async get(key, signal) {
      try {
        const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
        if (res.ContentLength === undefined) {
          (res.Body as Readable | undefined)?.destroy();
          throw new OriginError('unavailable', `origin sent ${key} without a Content-Length`);
        }
        return { body: res.Body as Readable, size: res.ContentLength, lastModified: res.LastModified };
      } catch (err) {
        if (err instanceof OriginError) throw err;
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404 || (err as Error).name === 'NoSuchKey') throw new OriginError('not_found', `${key} is not at the origin`);
        throw new OriginError('unavailable', `origin GET ${key} failed: ${(err as Error).message}`);
      }
    },
    async check(signal) {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: signal });
    },
    close() {
      s3.destroy();
      agent.destroy();
    },
  };
}
