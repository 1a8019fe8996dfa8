import { Readable } from 'node:stream';

/**
 * Reads the first `n` bytes of a stream (fewer if it ends first) and returns them with a
 * stream that still yields every byte, head included, without buffering the rest.
 */
export async function readHead(source: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let length = 0;
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  while (length < n) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = next.value as Buffer;
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks, length);
  async function* rest() {
    if (head.length > 0) yield head;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value as Buffer;
    }
  }
  // Destroying the joined stream leaves the source alone: an HTTP server wants to drain
  // the rest of a refused request body rather than reset the connection under its answer.
  const stream = Readable.from(rest(), { objectMode: false });
  return { head: head.subarray(0, Math.min(n, head.length)), stream };
}
