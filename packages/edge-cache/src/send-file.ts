import { read } from 'node:fs';
import type { ServerResponse } from 'node:http';

const CHUNK_BYTES = 512 * 1024;
// Idle buffers kept for the next responses; beyond this they are left to the GC.
const POOL_MAX = 32;
const pool: Buffer[] = [];

/**
 * Sends bytes `start`..`end` (inclusive) of an open file as the body of `res`, whose headers
 * are written: read a chunk into a pooled buffer, write it, and read the next one into the
 * same buffer once the socket has taken it. No stream objects, no buffer per chunk: a HIT
 * from disk allocates nothing that lives past the response. Calls `done` once, with the
 * body sent (true) or not (the response is destroyed, so the client sees it cut short).
 */
export function sendFile(res: ServerResponse, fd: number, start: number, end: number, done: (sent: boolean) => void): void {
  const buf = pool.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
  let pos = start;
  let settled = false;
  let reading = false;
  const finish = (sent: boolean) => {
    if (settled) return;
    settled = true;
    if (pool.length < POOL_MAX) pool.push(buf);
    if (!sent) res.destroy();
    else res.end();
    done(sent);
  };
  // The connection died. With a read in flight, onRead finishes once the file is let go of;
  // with a write in flight, the buffer may still be the socket's, so it goes to the GC
  // rather than back to the pool.
  res.once('close', () => {
    if (settled || reading) return;
    settled = true;
    done(false);
  });
  const next = (): void => {
    const n = Math.min(CHUNK_BYTES, end + 1 - pos);
    if (n <= 0) return finish(true);
    if (res.destroyed) return finish(false);
    reading = true;
    read(fd, buf, 0, n, pos, onRead);
  };
  const onRead = (err: Error | null, got: number) => {
    reading = false;
    // A file shorter than its index entry says: cut the response rather than pad it.
    if (err || got === 0 || res.destroyed) return finish(false);
    pos += got;
    res.write(got === CHUNK_BYTES ? buf : buf.subarray(0, got), onWritten);
  };
  const onWritten = (err?: Error | null) => (err ? finish(false) : next());
  next();
}
