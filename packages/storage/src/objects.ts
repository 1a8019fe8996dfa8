import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Storage } from './client.ts';

export async function ensureBucket({ s3, bucket }: Storage): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

export interface StreamUploadOptions {
  contentType: string;
  /** Aborting stops the upload and removes every part already sent. */
  signal?: AbortSignal;
  /** Bytes per part; with `queueSize` this bounds the memory an upload holds. */
  partSize?: number;
  queueSize?: number;
}

/**
 * Streams `body` into one object with a multipart upload. At most partSize × queueSize
 * bytes are held in memory, whatever the object's size. On failure or abort the multipart
 * upload is aborted so no orphaned parts remain.
 */
export async function uploadStream(st: Storage, key: string, body: Readable, o: StreamUploadOptions): Promise<void> {
  const upload = new Upload({
    client: st.s3,
    params: { Bucket: st.bucket, Key: key, Body: body, ContentType: o.contentType },
    partSize: o.partSize ?? 8 * 1024 * 1024,
    queueSize: o.queueSize ?? 4,
    leavePartsOnError: false,
  });
  const onAbort = () => void upload.abort().catch(() => {});
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await upload.done();
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}

export interface PutFileOptions {
  contentType: string;
  cacheControl?: string;
  signal?: AbortSignal;
}

export async function putFile(st: Storage, key: string, file: string, o: PutFileOptions): Promise<number> {
  const { size } = await stat(file);
  await st.s3.send(
    new PutObjectCommand({
      Bucket: st.bucket,
      Key: key,
      Body: createReadStream(file),
      ContentLength: size,
      ContentType: o.contentType,
      CacheControl: o.cacheControl,
    }),
    { abortSignal: o.signal },
  );
  return size;
}

export async function downloadToFile(st: Storage, key: string, file: string, signal?: AbortSignal): Promise<void> {
  const res = await st.s3.send(new GetObjectCommand({ Bucket: st.bucket, Key: key }), { abortSignal: signal });
  await pipeline(res.Body as Readable, createWriteStream(file), { signal });
}

/** An object's size in bytes, or null when there is no such object. */
export async function objectSize(st: Storage, key: string): Promise<number | null> {
  try {
    const head = await st.s3.send(new HeadObjectCommand({ Bucket: st.bucket, Key: key }));
    return head.ContentLength ?? 0;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
    throw err;
  }
}

/** The first `n` bytes of an object (all of it when shorter), with one ranged GET. */
export async function readObjectHead(st: Storage, key: string, n: number): Promise<Buffer> {
  const res = await st.s3.send(new GetObjectCommand({ Bucket: st.bucket, Key: key, Range: `bytes=0-${n - 1}` }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

export async function objectExists(st: Storage, key: string): Promise<boolean> {
  try {
    await st.s3.send(new HeadObjectCommand({ Bucket: st.bucket, Key: key }));
    return true;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw err;
  }
}

export async function listKeys(st: Storage, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await st.s3.send(new ListObjectsV2Command({ Bucket: st.bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Deletes every object under `prefix`, a thousand per request (the S3 maximum). */
export async function deletePrefix(st: Storage, prefix: string): Promise<number> {
  const keys = await listKeys(st, prefix);
  for (let i = 0; i < keys.length; i += 1000) {
    const res = await st.s3.send(
      new DeleteObjectsCommand({
        Bucket: st.bucket,
        Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true },
      }),
    );
    // A 200 can still report keys it did not delete (SlowDown, AccessDenied): not done.
    const failed = res.Errors ?? [];
    if (failed.length > 0) {
      throw new Error(
        `S3 did not delete ${failed.length} object(s), e.g. ${failed[0]!.Key}: ${failed[0]!.Code} ${failed[0]!.Message ?? ''}`,
      );
    }
  }
  return keys.length;
}

export interface PendingUpload {
  key: string;
  uploadId: string;
  initiated: Date | undefined;
}

export async function listMultipartUploads(st: Storage, prefix = ''): Promise<PendingUpload[]> {
  const uploads: PendingUpload[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  do {
    const page = await st.s3.send(
      new ListMultipartUploadsCommand({
        Bucket: st.bucket,
        Prefix: prefix,
        KeyMarker: keyMarker,
        UploadIdMarker: uploadIdMarker,
      }),
    );
    for (const u of page.Uploads ?? []) uploads.push({ key: u.Key!, uploadId: u.UploadId!, initiated: u.Initiated });
    [keyMarker, uploadIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [undefined, undefined];
  } while (keyMarker);
  return uploads;
}

export async function abortMultipartUpload(st: Storage, key: string, uploadId: string): Promise<void> {
  await st.s3.send(new AbortMultipartUploadCommand({ Bucket: st.bucket, Key: key, UploadId: uploadId }));
}

export async function deleteObject(st: Storage, key: string): Promise<void> {
  await st.s3.send(new DeleteObjectCommand({ Bucket: st.bucket, Key: key }));
}

export async function createMultipartUpload(st: Storage, key: string, contentType: string): Promise<string> {
  const res = await st.s3.send(new CreateMultipartUploadCommand({ Bucket: st.bucket, Key: key, ContentType: contentType }));
  return res.UploadId!;
}

/**
 * A time-limited PUT URL for one part (numbered from 1) of a multipart upload. With `bytes`
 * its length is signed in, so S3 refuses a PUT of another size: the bound on what a client
 * may store this way. It stops working when the upload is completed or aborted.
 */
export async function presignPart(
  st: Storage,
  key: string,
  uploadId: string,
  part: number,
  bytes: number | undefined,
  expiresInSeconds: number,
): Promise<string> {
  const command = new UploadPartCommand({ Bucket: st.bucket, Key: key, UploadId: uploadId, PartNumber: part, ContentLength: bytes });
  return getSignedUrl(st.s3, command, { expiresIn: expiresInSeconds });
}

export interface UploadedPart {
  part: number;
  etag: string;
}

export interface StoredPart extends UploadedPart {
  bytes: number;
}

/** The parts of a multipart upload S3 holds whole, by number; null when the upload is over (completed or aborted). */
export async function listParts(st: Storage, key: string, uploadId: string): Promise<StoredPart[] | null> {
  const parts: StoredPart[] = [];
  let marker: string | undefined;
  try {
    do {
      const page = await st.s3.send(new ListPartsCommand({ Bucket: st.bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }));
      for (const p of page.Parts ?? []) parts.push({ part: p.PartNumber!, etag: p.ETag!, bytes: p.Size ?? 0 });
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker);
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
    throw err;
  }
  return parts.sort((a, b) => a.part - b.part);
}

/** Joins the parts into the object; S3 refuses a part it does not have or an ETag that differs. */
export async function completeMultipartUpload(st: Storage, key: string, uploadId: string, parts: UploadedPart[]): Promise<void> {
  await st.s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: st.bucket,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.part, ETag: p.etag })) },
    }),
  );
}

/** A time-limited GET URL for one object, for tools that read over HTTP (ffmpeg). */
export async function presignGet(st: Storage, key: string, expiresInSeconds: number): Promise<string> {
  return getSignedUrl(st.s3, new GetObjectCommand({ Bucket: st.bucket, Key: key }), { expiresIn: expiresInSeconds });
}

/** An object's body as a stream, with its size; null when there is no such object. */
export async function readObject(st: Storage, key: string, signal?: AbortSignal): Promise<{ body: Readable; bytes: number } | null> {
  try {
    const res = await st.s3.send(new GetObjectCommand({ Bucket: st.bucket, Key: key }), { abortSignal: signal });
    return { body: res.Body as Readable, bytes: res.ContentLength ?? 0 };
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
    throw err;
  }
}
