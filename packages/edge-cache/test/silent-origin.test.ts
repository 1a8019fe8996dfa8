import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Origin, OriginError } from '../src/index.ts';

// An origin that accepts connections and then says nothing (a hung S3 node, a black-holing
// load balancer) is not the same failure as a closed port: the connect succeeds, so only
// the idle timeout ends the fill. The edge uses the default (30 s); here a short one.

let server: Server;
let endpoint: string;
const sockets: Socket[] = [];
let requestsSeen = 0;
beforeAll(async () => {
  server = createServer((s) => {
    sockets.push(s);
    s.on('data', () => requestsSeen++); // reads the request, never answers
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

const s3 = () => ({
  endpoint,
  bucket: 'kino-silent',
  region: 'us-east-1',
  accessKeyId: 'x',
  secretAccessKey: 'y',
  forcePathStyle: true,
  embeddedPort: 0,
});

describe('an origin that accepts and never answers', () => {
  it('fails the GET as unavailable after the idle timeout, with one retry, instead of hanging', async () => {
    const origin = createS3Origin(s3(), { maxSockets: 4, idleTimeoutMs: 300 });
    try {
      const err = await origin.get('videos/x/opener.mp4', new AbortController().signal).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(OriginError);
      expect((err as OriginError).kind).toBe('unavailable');
      // Connected and asked twice (the one retry), never answered.
      expect(sockets).toHaveLength(2);
      expect(requestsSeen).toBeGreaterThanOrEqual(2);
    } finally {
      origin.close();
    }
  });

  it("lets the viewer's abort end the wait at once", async () => {
    const origin = createS3Origin(s3(), { maxSockets: 4, idleTimeoutMs: 600_000 });
    try {
      const before = sockets.length;
      const ac = new AbortController();
      const pending = origin.get('videos/x/opener.mp4', ac.signal).then(
        () => null,
        (e: unknown) => e,
      );
      await expect.poll(() => sockets.length, { timeout: 30_000, interval: 20 }).toBe(before + 1);
      ac.abort();
      const err = await pending;
      expect(err).toBeInstanceOf(OriginError);
      expect((err as OriginError).kind).toBe('unavailable');
    } finally {
      origin.close();
    }
  });
});
