import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCKED_ERROR, createWebhookAgent, isPrivateAddress, sendWebhook } from '../src/index.ts';

describe('isPrivateAddress', () => {
  it.each([
    '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '127.0.0.1', '127.8.9.10',
    '169.254.169.254', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1',
    '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::127.0.0.1',
    '64:ff9b::a00:1', '2002:c0a8:101::1', '[::1]', 'not-an-address',
  ])('refuses %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'lets %s through', (ip) => {
      expect(isPrivateAddress(ip)).toBe(false);
    },
  );
});

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
    return sendWebhook(url, { 'content-type': 'application/json' }, '{}', { dispatcher: agent, allowPrivate, timeoutMs: 5000 })
      .finally(() => agent.close());
  };

  it('refuses a literal private address and a name that resolves to one, before connecting', async () => {
    const before = hits;
    for (const url of [`http://127.0.0.1:${port}/hook`, `http://localhost:${port}/hook`, `http://[::ffff:127.0.0.1]:${port}/hook`]) {
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
