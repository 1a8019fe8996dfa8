import { errorFromResponse, isAbort, KinoError } from './errors.ts';
import { type Transport, url } from './http.ts';
import { countedBody, type UploadBody, type UploadSource } from './body.ts';
import { TUS_PATH, tusUpload } from './tus.ts';
import type { Asset } from './types.ts';

/** Where tus upload URLs are remembered between runs, by fingerprint (a Map-like store works). */
export interface UploadResumeStore {
  get(fingerprint: string): Promise<string | undefined>;
  set(fingerprint: string, uploadUrl: string): Promise<void>;
  remove(fingerprint: string): Promise<void>;
}

export interface UploadProgress {
  sentBytes: number;
  totalBytes: number | null;
}

export interface UploadOptions {
  title?: string;
  passthrough?: string;
  playbackPolicy?: 'signed' | 'public';
  /** The size of a ReadableStream input (Blob and Uint8Array know theirs). Without it a stream goes as one streamed POST. */
  size?: number;
  filename?: string;
  /** video/mp4 and the like; the Blob's type, else application/octet-stream. */
  contentType?: string;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
  /** Remembers the tus upload URL under `fingerprint`, so a later call with the same one resumes. */
  resume?: UploadResumeStore;
  fingerprint?: string;
  /** Sent as Idempotency-Key on a streamed POST; for tus it is the fingerprint when none is given. */
  idempotencyKey?: string;
}

export type UploadInput = Blob | Uint8Array | ReadableStream<Uint8Array>;
/** A ReadableStream can be read once: `open` skips to the offset asked the first time, and refuses a second time. */
function streamSource(stream: ReadableStream<Uint8Array>, size: number | null): UploadSource {
  let opened = false;
  return {
    size,
    open(offset) {
      if (opened) {
        throw new KinoError({
          code: 'UPLOAD_INTERRUPTED',
          status: 0,
          message:
            'The upload was cut and a stream cannot be read again: call uploads.create again with a new stream and the same fingerprint to resume.',
        });
      }
      opened = true;
      return offset === 0 ? stream : skip(stream, offset);
    },
  };
}

async function* skip(stream: ReadableStream<Uint8Array>, bytes: number): AsyncGenerator<Uint8Array> {
  let left = bytes;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

export type { UploadBody, UploadSource };

export function sourceOf(input: UploadInput, size?: number): UploadSource {
  if (input instanceof Uint8Array) return { size: input.length, open: (offset) => input.subarray(offset) };
  if (input instanceof Blob) return { size: input.size, open: (offset) => input.slice(offset) };
  return streamSource(input, size ?? null);
}

/** Content type of the upload: the option, the Blob's own type, else a generic one. */
export function contentTypeOf(input: unknown, opts: UploadOptions): string {
  return opts.contentType || (input instanceof Blob && input.type) || 'application/octet-stream';
}

/** POST /v1/videos with the whole file as a streamed body: one request, no resumption. */
async function streamedPost(t: Transport, source: UploadSource, contentType: string, opts: UploadOptions): Promise<Asset> {
  const total = source.size;
  const { body, streamed } = countedBody(source.open(0), (n) => opts.onProgress?.({ sentBytes: n, totalBytes: total }));
  const response = await t.fetch(
    url(t, '/v1/videos', { title: opts.title, passthrough: opts.passthrough, playback_policy: opts.playbackPolicy }),
    {
      method: 'POST',
      headers: {
        ...t.headers,
        'content-type': contentType,
        ...(opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {}),
      },
      body,
      signal: opts.signal ?? null,
      ...(streamed || body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit,
  );
  if (!response.ok) throw await errorFromResponse(response);
  if (!streamed && total !== null) opts.onProgress?.({ sentBytes: total, totalBytes: total });
  return (await response.json()) as Asset;
}

export function uploadsApi(t: Transport) {
  let offered: Promise<boolean> | undefined;
  /** Whether the api speaks tus 1.0 (its OPTIONS answer), asked once per client. */
  const tusOffered = (): Promise<boolean> =>
    (offered ??= t
      .fetch(url(t, TUS_PATH), { method: 'OPTIONS', headers: { 'tus-resumable': '1.0.0' } })
      .then((r) => r.ok && (r.headers.get('tus-version') ?? '').split(/\s*,\s*/).includes('1.0.0'))
      .catch((err) => {
        offered = undefined;
        throw err;
      }));

  const createFromSource = async (source: UploadSource, opts: UploadOptions & { contentType: string }): Promise<Asset> => {
    try {
      if (source.size !== null && source.size > 0 && (await tusOffered())) return await tusUpload(t, source, opts);
      return await streamedPost(t, source, opts.contentType, opts);
    } catch (err) {
      if (isAbort(err) && opts.signal?.reason !== undefined) throw opts.signal.reason;
      throw err;
    }
  };

  return {
    /**
     * Uploads a file and resolves with its asset (processing goes on in the background: see
     * assets.waitUntil). Over tus when the api offers it and the size is known: resumable,
     * within this call after a cut, and across calls with `resume` + `fingerprint`. Otherwise
     * one streamed POST /v1/videos.
     */
    create: (input: UploadInput, opts: UploadOptions = {}): Promise<Asset> =>
      createFromSource(sourceOf(input, opts.size), { ...opts, contentType: contentTypeOf(input, opts) }),
    /** The same from any source that can be reopened at an offset (a file: @kino/sdk/node's uploadFile). */
    createFromSource,
  };
}
