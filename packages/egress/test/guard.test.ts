import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCKED_ERROR, blockedCause, createGuardedAgent, type Resolver } from '../src/index.ts';

// The address guard with names, not only IP literals and `localhost`: a stub resolver (the
// guard's seam) answers for made-up names, so the test decides what DNS says and counts how
// often it is asked. A loopback server counts what actually arrives.

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

/** One GET through a guarded agent of its own: the status, or the error it failed with. */
async function get(url: string, resolve: Resolver | undefined, allowPrivate = false) {
  const agent = createGuardedAgent({ allowPrivate, resolve, connectTimeoutMs: 5_000, headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000 });
  try {
    const res = await request(url, { dispatcher: agent });
    await res.body.dump();
    return { status: res.statusCode, error: null };
  } catch (err) {
    return { status: null, error: err as Error & { code?: string } };
  } finally {
    await agent.close();
  }
}

describe('the address guard', () => {
  it('reaches a name whose every address is allowed (the stub is what the socket uses)', async () => {
    const resolve = stubResolver([[v4('127.0.0.1')]]);
    const before = hits;
    const r = await get(`http://media.customer.test:${port}/`, resolve, true);
    expect(r.status).toBe(200);
    expect(hits).toBe(before + 1);
    expect(resolve.lookups).toEqual(['media.customer.test']);
  });

  it('refuses a name that resolves to a public and a private address, before connecting', async () => {
    const before = { hits, connections };
    for (const answer of [
      [v4('93.184.216.34'), v4('127.0.0.1')],
      [v4('127.0.0.1'), v4('93.184.216.34')],
      [v4('93.184.216.34'), { address: '::ffff:10.0.0.1', family: 6 }],
    ]) {
      const resolve = stubResolver([answer]);
      const r = await get(`http://mixed.customer.test:${port}/`, resolve);
      expect(blockedCause(r.error)?.message).toBe(`${BLOCKED_ERROR} (${answer.find((a) => a.address !== '93.184.216.34')!.address})`);
      expect(resolve.lookups).toHaveLength(1);
    }
    expect({ hits, connections }).toEqual(before);
  });

  it('is not fooled by rebinding: one lookup per connection, and the socket uses the answer that was checked', async () => {
    // A name that answers "private" to the first lookup and "public" afterwards: if anything
    // checked one answer and connected by another lookup, the server would be reached.
    const before = { hits, connections };
    const flips = stubResolver([[v4('127.0.0.1')], [v4('93.184.216.34')]]);
    const r = await get(`http://rebind.customer.test:${port}/`, flips);
    expect(blockedCause(r.error)?.message).toBe(`${BLOCKED_ERROR} (127.0.0.1)`);
    expect(flips.lookups).toHaveLength(1);

    // The other way round, with private targets allowed so the connection is made: the socket
    // goes to the first answer (the server), and no second lookup is made for it.
    const back = stubResolver([[v4('127.0.0.1')], [v4('10.255.255.1')]]);
    const ok = await get(`http://rebind.customer.test:${port}/`, back, true);
    expect(ok.status).toBe(200);
    expect(back.lookups).toHaveLength(1);
    expect({ hits, connections }).toEqual({ hits: before.hits + 1, connections: before.connections + 1 });
  });

  it('refuses a literal private address before connecting, however it is written', async () => {
    const before = { hits, connections };
    for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:0:127.0.0.1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::1]', '2130706433']) {
      const r = await get(`http://${host}:${port}/`, undefined);
      expect(blockedCause(r.error)).not.toBeNull();
    }
    expect({ hits, connections }).toEqual(before);
    expect((await get(`http://127.0.0.1:${port}/`, undefined, true)).status).toBe(200);
  });

  it('fails a name that resolves to nothing as not found', async () => {
    const r = await get(`http://empty.customer.test:${port}/`, stubResolver([[]]));
    expect(blockedCause(r.error)).toBeNull();
    expect(r.error?.code).toBe('ENOTFOUND');
  });
});
