import { errorFromResponse, isAbort, KinoError } from './errors.ts';
import { type Transport, url } from './http.ts';
import type { Asset } from './types.ts';
import { chunksOf, countedBody, streamsRequestBodies, type UploadBody, type UploadSource } from './body.ts';
import { sleep } from './sleep.ts';
import type { UploadOptions } from './uploads.ts';

// The tus 1.0 client (creation + core): one PATCH carries everything from the offset to the
// end, streamed, since the api's tus door takes a PATCH of any length and stores it as it comes
// (in 8 MiB S3 parts). Where a runtime cannot stream a request (browsers over HTTP/1.1) it
// sends PATCHes of BROWSER_PIECE bytes instead, a multiple of those parts, so no PATCH leaves
// a partial part behind for the next one to fetch back.
//
// The upload URL the api hands out (or a resume store hands back) is refused unless it is on
// the api's own origin: the API key goes with every request to it.

export const TUS_PATH = '/v1/uploads/tus';
const BROWSER_PIECE = 64 * 1024 * 1024;
const RETRY_MS = [250, 500, 1000, 2000, 4000, 8000];
const TUS = { 'tus-resumable': '1.0.0' };

/**
 * The request bodies that carry `body` (`length` bytes): itself, where requests stream, or
 * pieces of at most `size` (BROWSER_PIECE) bytes: slices of a Blob or an array, a stream
 * gathered into Blobs (memory bounded by the piece). The options are the tests'.
 */
export async function* pieces(
  body: UploadBody,
  length: number,
  { streams = streamsRequestBodies, size = BROWSER_PIECE } = {},
): AsyncGenerator<{ body: UploadBody; length: number }> {
  if (streams) return yield { body, length };
  if (body instanceof Blob || body instanceof Uint8Array) {
    for (let i = 0; i < length; i += size) {
      yield { body: body instanceof Blob ? body.slice(i, i + size) : body.subarray(i, i + size), length: Math.min(size, length - i) };
    }
    return;
  }
  let parts: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  for await (let chunk of chunksOf(body)) {
    while (bytes + chunk.length >= size) {
      const take = size - bytes;
      parts.push(chunk.subarray(0, take) as Uint8Array<ArrayBuffer>);
      yield { body: new Blob(parts), length: size };
      chunk = chunk.subarray(take);
      parts = [];
      bytes = 0;
    }
    if (chunk.length) {
      parts.push(chunk as Uint8Array<ArrayBuffer>);
      bytes += chunk.length;
    }
  }
  if (bytes) yield { body: new Blob(parts), length: bytes };
}

function metadata(opts: UploadOptions & { contentType: string }): string {
  const b64 = (s: string) => {
    let binary = '';
    for (const byte of new TextEncoder().encode(s)) binary += String.fromCharCode(byte);
    return btoa(binary);
  };
  const fields: Record<string, string | undefined> = {
    title: opts.title,
    passthrough: opts.passthrough,
    playback_policy: opts.playbackPolicy,
    filetype: opts.contentType,
    filename: opts.filename,
  };
  return Object.entries(fields)
    .filter((e): e is [string, string] => !!e[1])
    .map(([k, v]) => `${k} ${b64(v)}`)
    .join(',');
}

/** A cut, a restart, a moment of contention or a PATCH that kept nothing: worth asking the offset again and going on. */
function retryable(err: unknown): boolean {
  if (err instanceof KinoError)
    return err.status === 0 ? RETRIED_CLIENT.has(err.code) : err.status >= 500 || [409, 423, 429].includes(err.status);
  return err instanceof TypeError; // a body stream or connection that broke under fetch
}
const RETRIED_CLIENT = new Set(['NETWORK_ERROR', 'UPLOAD_STALLED']);

/** The upload's offset from an answer's Upload-Offset: an integer within [min, size], or the answer is refused. */
function offsetOf(r: Response, min: number, size: number): number {
  const value = r.headers.get('upload-offset') ?? '';
  const offset = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (offset >= min && offset <= size) return offset;
  throw new KinoError({
    code: 'UPLOAD_OFFSET_INVALID',
    status: 0,
    message: `The upload server answered an Upload-Offset that is not between ${min} and ${size}.`,
  });
}

/** The upload is gone for good on the server: its URL is not worth remembering. */
const dead = (err: unknown) => err instanceof KinoError && [404, 410, 413, 415].includes(err.status);

export async function tusUpload(t: Transport, source: UploadSource, opts: UploadOptions & { contentType: string }): Promise<Asset> {
  const size = source.size!;
  const signal = opts.signal ?? null;
  const fingerprint = opts.resume ? (opts.fingerprint ?? opts.idempotencyKey) : undefined;
  const progress = (sentBytes: number) => opts.onProgress?.({ sentBytes, totalBytes: size });
  const origin = new URL(t.baseUrl).origin;
  const ownUrl = (location: string): string => {
    let resolved: URL | undefined;
    try {
      resolved = location ? new URL(location, `${t.baseUrl}/`) : undefined;
    } catch {}
    if (resolved?.origin === origin) return resolved.href;
    throw new KinoError({
      code: 'UPLOAD_URL_FOREIGN',
      status: 0,
      message: `The upload URL is not on ${origin}: the API key is sent only to the api's own origin.`,
    });
  };

  const head = async (uploadUrl: string): Promise<number> => {
    const r = await t.fetch(uploadUrl, { method: 'HEAD', headers: { ...t.headers, ...TUS }, signal });
    if (!r.ok) throw await errorFromResponse(r);
    if (Number(r.headers.get('upload-length')) !== size) {
      // The client's own finding, not the server's 409: status 0, so it is not retried.
      throw new KinoError({ code: 'UPLOAD_MISMATCH', status: 0, message: 'The remembered upload is of a file of another size.' });
    }
    return offsetOf(r, 0, size);
  };

  const create = async (): Promise<string> => {
    const r = await t.fetch(url(t, TUS_PATH), {
      method: 'POST',
      headers: { ...t.headers, ...TUS, 'upload-length': String(size), 'upload-metadata': metadata(opts) },
      signal,
    });
    if (r.status !== 201) throw await errorFromResponse(r);
    const uploadUrl = ownUrl(r.headers.get('location') ?? '');
    if (fingerprint) await opts.resume!.set(fingerprint, uploadUrl);
    return uploadUrl;
  };

  const patch = async (uploadUrl: string, offset: number, piece: UploadBody): Promise<number> => {
    const { body, streamed } = countedBody(piece, (n) => progress(offset + n));
    const r = await t.fetch(uploadUrl, {
      method: 'PATCH',
      headers: { ...t.headers, ...TUS, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
      body,
      signal,
      ...(streamed ? { duplex: 'half' } : {}),
    } as RequestInit);
    if (!r.ok) throw await errorFromResponse(r);
    const next = offsetOf(r, offset, size);
    progress(next);
    return next;
  };

  let uploadUrl = fingerprint ? await opts.resume!.get(fingerprint) : undefined;
  let offset = 0;
  if (uploadUrl) {
    try {
      uploadUrl = ownUrl(uploadUrl);
      offset = await head(uploadUrl);
    } catch (err) {
      // Not this upload, or not this api's: forgotten, and a new upload begins.
      if (!(dead(err) || (err instanceof KinoError && (err.code === 'UPLOAD_MISMATCH' || err.code === 'UPLOAD_URL_FOREIGN')))) throw err;
      await opts.resume!.remove(fingerprint!);
      uploadUrl = undefined;
    }
  }
  uploadUrl ??= await create();
  progress(offset);

  let failures = 0;
  while (offset < size) {
    try {
      for await (const piece of pieces(source.open(offset), size - offset)) {
        const expected = offset + piece.length;
        const next = await patch(uploadUrl, offset, piece.body);
        // A 2xx that kept nothing is a failure like a cut, or the loop would spin on it.
        if (next === offset) throw new KinoError({ code: 'UPLOAD_STALLED', status: 0, message: 'The upload server kept none of a PATCH.' });
        offset = next;
        failures = 0;
        // The server kept less than was sent: reopen the source where it stands.
        if (offset !== expected) break;
      }
    } catch (err) {
      if (isAbort(err)) throw err;
      if (dead(err) && fingerprint) await opts.resume!.remove(fingerprint);
      if (!retryable(err) || failures >= RETRY_MS.length) throw err;
      await sleep(RETRY_MS[failures++]!, signal);
      signal?.throwIfAborted();
      offset = await head(uploadUrl).catch((e) => {
        if (retryable(e)) return offset; // still away: the next PATCH tries again (409 tells the real offset)
        throw e;
      });
    }
  }

  if (fingerprint) await opts.resume!.remove(fingerprint);
  const id = new URL(uploadUrl).pathname.split('/').pop()!;
  const asset = await t.fetch(url(t, `/v1/assets/${id}`), { headers: t.headers, signal });
  if (!asset.ok) throw await errorFromResponse(asset);
  return (await asset.json()) as Asset;
}
