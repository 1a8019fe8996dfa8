import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCKED_ERROR, createWebhookAgent, sendWebhook, type Resolver } from '../src/index.ts';

// The address guard with names, not only IP literals and `localhost`: a stub resolver (the
// guard's seam) answers for made-up names, so the test decides what DNS says and counts how
// often it is asked. A loopback receiver counts what actually arrives.

let server: Server;
let port: number;
let hits = 0;
let connections = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Answers each lookup with the next of `answers` (the last one repeats), counting lookups. */
function stubResolver(answers: LookupAddress[][]): Resolver & { lookups: string[] } {
  const lookups: string[] = [];
  const resolve = ((hostname, _options, callback) => {
    const answer = answers[Math.min(lookups.length, answers.length - 1)]!;
    lookups.push(hostname);
    queueMicrotask(() => callback(null, answer));
  }) as Resolver & { lookups: string[] };
  resolve.lookups = lookups;
  return resolve;
}

const v4 = (address: string): LookupAddress => ({ address, family: 4 });

async function send(url: string, resolve: Resolver, allowPrivate = false, timeoutMs = 5_000) {
  const agent = createWebhookAgent({ allowPrivate, timeoutMs, resolve });
  try {
    return await sendWebhook(url, { 'content-type': 'application/json' }, '{}', { dispatcher: agent, allowPrivate, timeoutMs });
  } finally {
    await agent.close();
  }
}

describe('the webhook address guard with names', () => {
  it('reaches a name whose every address is allowed (the stub is what the socket uses)', async () => {
    const resolve = stubResolver([[v4('127.0.0.1')]]);
    const before = hits;
    const r = await send(`http://hooks.customer.test:${port}/hook`, resolve, true);
    expect(r).toMatchObject({ status: 200, blocked: false });
    expect(hits).toBe(before + 1);
    expect(resolve.lookups).toEqual(['hooks.customer.test']);
  });

  it('refuses a name that resolves to a public and a private address, before connecting', async () => {
    const before = { hits, connections };
    for (const answer of [
      [v4('93.184.216.34'), v4('127.0.0.1')],
      [v4('127.0.0.1'), v4('93.184.216.34')],
      [v4('93.184.216.34'), { address: '::ffff:10.0.0.1', family: 6 }],
    ]) {
      const resolve = stubResolver([answer]);
      const r = await send(`http://mixed.customer.test:${port}/hook`, resolve);
      expect(r).toMatchObject({ status: null, blocked: true });
      expect(r.error).toBe(`${BLOCKED_ERROR} (${answer.find((a) => a.address !== '93.184.216.34')!.address})`);
      expect(resolve.lookups).toHaveLength(1);
    }
    expect({ hits, connections }).toEqual(before);
  });

  it('is not fooled by rebinding: one lookup per connection, and the socket uses the answer that was checked', async () => {
    // A name that answers "private" to the first lookup and "public" afterwards: if anything
    // checked one answer and connected by another lookup, the receiver would be reached.
    const before = { hits, connections };
    const flips = stubResolver([[v4('127.0.0.1')], [v4('93.184.216.34')]]);
    const r = await send(`http://rebind.customer.test:${port}/hook`, flips);
    expect(r).toMatchObject({ status: null, blocked: true, error: `${BLOCKED_ERROR} (127.0.0.1)` });
    expect(flips.lookups).toHaveLength(1);

    // The other way round, with private targets allowed so the connection is made: the socket
    // goes to the first answer (the receiver), and no second lookup is made for it.
    const back = stubResolver([[v4('127.0.0.1')], [v4('10.255.255.1')]]);
    const ok = await send(`http://rebind.customer.test:${port}/hook`, back, true);
    expect(ok).toMatchObject({ status: 200 });
    expect(back.lookups).toHaveLength(1);
    expect({ hits, connections }).toEqual({ hits: before.hits + 1, connections: before.connections + 1 });
  });

  it('fails a name that resolves to nothing as a retryable error', async () => {
    const r = await send(`http://empty.customer.test:${port}/hook`, stubResolver([[]]));
    expect(r).toMatchObject({ status: null, blocked: false });
    expect(r.error).toMatch(/ENOTFOUND/);
  });
});
