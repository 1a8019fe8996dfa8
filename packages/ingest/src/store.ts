import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { deleteObject, uploadStream, type Storage } from '@kino/storage';
import { ByteLimit } from './byte-limit.ts';

export interface StoreOptions {
  /** Past this many bytes the store fails with PayloadTooLargeError. */
  maxBytes: number;
  contentType: string;
  /** Aborting stops the upload and removes what it sent. */
  signal?: AbortSignal | undefined;
}

/**
 * Streams `source` into the object at `key` through a byte counter, holding a few parts in
 * memory whatever its size, and resolves with the size. A failure leaves nothing: the
 * multipart upload is aborted, and an object that completed all the same is deleted. Both
 * sides settle before it throws, so the abort is over by then; the source's error (too
 * large, the sender gone) explains more than storage's echo of it, so it wins.
 */
export async function storeStream(storage: Storage, key: string, source: Readable, o: StoreOptions): Promise<number> {
  const limit = new ByteLimit(o.maxBytes);
  const [body, upload] = await Promise.allSettled([
    pipeline(source, limit),
    uploadStream(storage, key, limit, { contentType: o.contentType, signal: o.signal }).catch((err: unknown) => {
      limit.destroy(err as Error);
      throw err;
    }),
  ]);
  if (body.status === 'rejected') {
    if (upload.status === 'fulfilled') await deleteObject(storage, key).catch(() => {});
    throw body.reason;
  }
  if (upload.status === 'rejected') throw upload.reason;
  return limit.bytes;
}
