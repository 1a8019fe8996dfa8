// Request bodies of uploads: what they can be, and how they are counted as they go.

/** What a request can carry: undici (Node) also takes an async iterable as a streamed body. */
export type UploadBody = Blob | Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Bytes that can be sent from any offset: a Blob or an array slices, a file reopens at the
 * offset (see @kino/sdk/node). `open` may be called again after a cut, from where the server
 * stands.
 */
export interface UploadSource {
  size: number | null;
  open(offset: number): UploadBody;
}

/** Does this runtime stream request bodies over HTTP/1.1? Node's fetch does; browsers only over HTTP/2. */
export const streamsRequestBodies =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/** One chunk after another of a body, each at most `max` bytes, as views (no copies) where the body allows. */
export async function* chunksOf(body: UploadBody, max = 1 << 20): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    for (let i = 0; i < body.length; i += max) yield body.subarray(i, i + max);
    return;
  }
  const iterable = body instanceof Blob ? body.stream() : body;
  yield* iterable as AsyncIterable<Uint8Array>;
}

/**
 * The body of one request that counts its bytes as the connection takes them (so progress
 * follows the network, with backpressure), or the body as it is where the runtime cannot
 * stream requests. `sent` is told the running count.
 */
export function countedBody(body: UploadBody, sent: (bytes: number) => void): { body: BodyInit; streamed: boolean } {
  if (!streamsRequestBodies) return { body: body as BodyInit, streamed: false };
  let n = 0;
  async function* counting() {
    for await (const chunk of chunksOf(body)) {
      yield chunk;
      n += chunk.length;
      sent(n);
    }
  }
  return { body: counting() as unknown as BodyInit, streamed: true };
}
