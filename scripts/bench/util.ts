import { createServer } from 'node:net';
import { createStorage, embeddedS3Config, type Storage } from '@kino/storage';

/** A client of the embedded s3rver. */
export function embeddedStorage(endpoint: string, bucket: string): Storage {
  return createStorage(embeddedS3Config(endpoint, bucket));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port free right now on loopback (the server that takes it starts a moment later). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** Waits up to 30 s for `url` to answer as `ok` says (by default: anything but a 5xx). */
export async function waitFor(url: string, what: string, ok = (status: number) => status < 500): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(url).then(
        (r) => ok(r.status),
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  throw new Error(`${what} never answered at ${url}`);
}

/** The value at fraction `p` of an ascending list (NaN when empty). */
export const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
};

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
