import { Readable } from 'node:stream';

/**
 * Reads the first `n` bytes of a stream (fewer if it ends first) and returns them with a
 * stream that still yields every byte, head included, without buffering the rest. `extend`
 * may ask for a longer head once it has seen `n` bytes (an ID3 tag announces its length),
 * so one wrapper serves both reads.
 *
 * Destroying the returned stream lets go of the source without destroying it: an HTTP
 * server wants to drain the rest of a refused request body rather than reset the
 * connection under its answer, and draining needs the source free of our listeners.
 */
export async function readHead(
  source: Readable,
  n: number,
  extend?: (head: Buffer) => number | undefined,
): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = source.iterator({ destroyOnReturn: false });
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  for (let asked = false; ; asked = true) {
    while (length < n) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      chunks.push(next.value as Buffer);
      length += (next.value as Buffer).length;
    }
    const wanted = asked || ended || !extend ? undefined : extend(Buffer.concat(chunks, length).subarray(0, n));
    if (wanted === undefined || wanted <= n) break;
    n = wanted;
  }
  const whole = Buffer.concat(chunks, length);
  let pending: Buffer | null = whole.length > 0 ? whole : null;
  const stream = new Readable({
    read() {
      if (pending) {
        this.push(pending);
        pending = null;
        return;
      }
      if (ended) return void this.push(null);
      iterator.next().then(
        (next) => this.push(next.done ? null : (next.value as Buffer)),
        (err: Error) => this.destroy(err),
      );
    },
    destroy(err, callback) {
      iterator.return?.().catch(() => {});
      callback(err);
    },
  });
  return { head: whole.subarray(0, Math.min(n, whole.length)), stream };
}
