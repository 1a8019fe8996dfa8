// The guard itself is tested in @kino/egress; here, that deliveries go through it and
// report its refusals as blocked attempts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCKED_ERROR } from '@kino/egress';
import { createWebhookAgent, sendWebhook } from '../src/index.ts';

describe('sendWebhook address guard', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      req.resume();
      req.on('end', () => res.writeHead(302, { location: '/elsewhere' }).end('moved'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const send = (url: string, allowPrivate: boolean) => {
    const agent = createWebhookAgent({ allowPrivate, timeoutMs: 5000 });
    return sendWebhook(url, { 'content-type': 'application/json' }, '{}', { dispatcher: agent, allowPrivate, timeoutMs: 5000 }).finally(
      () => agent.close(),
    );
  };

  it('refuses a literal private address and a name that resolves to one, before connecting', async () => {
    const before = hits;
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      `http://localhost:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      `http://[::ffff:0:127.0.0.1]:${port}/hook`,
      `http://[64:ff9b::7f00:1]:${port}/hook`,
      `http://[2002:7f00:1::1]:${port}/hook`,
    ]) {
      const r = await send(url, false);
      expect(r).toMatchObject({ status: null, blocked: true });
      expect(r.error).toMatch(new RegExp(`^${BLOCKED_ERROR} \\(`));
    }
    expect(hits).toBe(before);
  });

  it('connects when private targets are allowed, and does not follow a redirect', async () => {
    const before = hits;
    const r = await send(`http://localhost:${port}/hook`, true);
    expect(r).toMatchObject({ status: 302, error: 'HTTP 302', blocked: false, responseBody: 'moved' });
    expect(hits).toBe(before + 1);
  });

  it('reports a refused connection as a retryable error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await send(`http://127.0.0.1:${freePort}/`, true);
    expect(r).toMatchObject({ status: null, blocked: false });
    expect(r.error).toMatch(/ECONNREFUSED/);
  });
});
