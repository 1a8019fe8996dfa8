import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createSharedLimiter, type Policy } from '../src/index.ts';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redisPort = Number(new URL(url).port || 6379);
const redisHost = new URL(url).hostname;
// This run's buckets only: other files and runs share the Redis.
const prefix = `kino:test:rl:${randomUUID()}:`;
const clients: Redis[] = [];
function client(target = url): Redis {
  const r = new Redis(target);
  r.on('error', () => {});
  clients.push(r);
  return r;
}
afterAll(() => {
  for (const r of clients) r.disconnect();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function log() {
  const lines: Array<[level: 'warn' | 'info', msg: string]> = [];
  return {
    lines,
    warn: (_: object, msg: string) => void lines.push(['warn', msg]),
    info: (_: object, msg: string) => void lines.push(['info', msg]),
  };
}

describe('the shared limiter', () => {
  it('shares one bucket between processes (here: two connections)', async () => {
    const policy: Policy = { name: 'reads', limit: 3, windowSeconds: 60 };
    const a = createSharedLimiter({ redis: client(), prefix });
    const b = createSharedLimiter({ redis: client(), prefix });
    expect(await a.take('acct-1', policy)).toMatchObject({ ok: true, remaining: 2, shared: true });
    expect(await a.take('acct-1', policy)).toMatchObject({ ok: true, remaining: 1, shared: true });
    // b sees a's takes.
    expect(await b.take('acct-1', policy)).toMatchObject({ ok: true, remaining: 0, shared: true });
    expect(await b.take('acct-1', policy)).toEqual({
      ok: false,
      limit: 3,
      remaining: 0,
      resetSeconds: 20,
      retryAfterSeconds: 20,
      policy,
      shared: true,
    });
    expect((await a.take('acct-1', policy)).ok).toBe(false);
    // Another key, and the same key under another policy, are other buckets.
    expect((await b.take('acct-2', policy)).ok).toBe(true);
    expect((await b.take('acct-1', { ...policy, name: 'uploads' })).ok).toBe(true);
    expect([a.fallbackActive, a.fallbackDecisions, b.fallbackActive, b.fallbackDecisions]).toEqual([false, 0, false, 0]);
  });

  it('takes a busy bucket a chunk at a time, never granting more than the limit between processes', async () => {
    // 300 a minute: chunks of 3, once a process has been asked for three within a second.
    const policy: Policy = { name: 'reads', limit: 300, windowSeconds: 60 };
    const redis = client();
    const a = createSharedLimiter({ redis, prefix });
    const b = createSharedLimiter({ redis: client(), prefix });
    const key = `${prefix}reads:busy`;
    // Two takes one by one, then the third reserves a chunk: 3 + 2 out of the bucket.
    for (const left of [299, 298, 297]) expect(await a.take('busy', policy)).toMatchObject({ ok: true, remaining: left, shared: true });
    const afterChunk = await redis.get(key);
    // Served from a's reserve: Redis is not asked.
    await a.take('busy', policy);
    await a.take('busy', policy);
    expect(await redis.get(key)).toBe(afterChunk);
    // Twenty takes of one key at once wait for one reservation between them: b takes seven
    // chunks (21), not twenty (60), so a third process finds the rest of the bucket.
    await Promise.all(Array.from({ length: 20 }, () => b.take('busy', policy)));
    const c = createSharedLimiter({ redis: client(), prefix });
    expect((await c.take('busy', policy)).remaining).toBeGreaterThanOrEqual(300 - 5 - 21 - 1);
    // Drain it from both processes: every grant came out of the one bucket.
    let granted = 5 + 20 + 1;
    for (let refusals = 0; refusals < 2; ) {
      for (const l of [a, b]) {
        if ((await l.take('busy', policy)).ok) granted++;
        else refusals++;
      }
    }
    // Refill during the drain may add a token or two; a reserve held at the end keeps at most a chunk less one.
    expect(granted).toBeLessThanOrEqual(300 + 3);
    expect(granted).toBeGreaterThanOrEqual(300 - 2 * 2 - 1);
  });

  it('takes a quiet key one token at a time, and gives a lapsed reserve back', async () => {
    const policy: Policy = { name: 'reads', limit: 300, windowSeconds: 60 };
    const t = clock();
    const l = createSharedLimiter({ redis: client(), prefix, now: t.now });
    // One take a second never reserves: each is one token.
    for (const left of [299, 298, 297, 296]) {
      expect((await l.take('quiet', policy)).remaining).toBe(left);
      t.advance(1000);
    }
    // Three in a second reserve a chunk (the third takes 3, holding 2)…
    await l.take('burst', policy);
    await l.take('burst', policy);
    expect((await l.take('burst', policy)).remaining).toBe(297);
    // …and once the reserve has lapsed its two tokens go back before the next take, which is
    // one token again (without the refund it would leave 294).
    t.advance(1000);
    expect((await l.take('burst', policy)).remaining).toBe(296);
  });

  it('refills continuously on Redis time, and an idle bucket leaves no key', async () => {
    const redis = client();
    const policy: Policy = { name: 'refill', limit: 2, windowSeconds: 1 };
    const l = createSharedLimiter({ redis, prefix });
    const takes = async (n: number) => {
      const oks: boolean[] = [];
      for (let i = 0; i < n; i++) oks.push((await l.take('k', policy)).ok);
      return oks;
    };
    expect(await takes(3)).toEqual([true, true, false]);
    expect(await redis.pttl(`${prefix}refill:k`)).toBeGreaterThan(0);
    // The whole burst is back after one window (and the key is gone with it).
    await sleep(1100);
    expect(await redis.exists(`${prefix}refill:k`)).toBe(0);
    expect(await takes(3)).toEqual([true, true, false]);
  });

  it('takes a cost of several tokens, or none when they are not all there', async () => {
    const policy: Policy = { name: 'cost', limit: 10, windowSeconds: 60 };
    const l = createSharedLimiter({ redis: client(), prefix });
    expect(await l.take('k', policy, 3)).toMatchObject({ ok: true, remaining: 7, resetSeconds: 18 });
    expect(await l.take('k', policy, 7)).toMatchObject({ ok: true, remaining: 0, resetSeconds: 6 });
    // Two tokens take 12 s to come back; the refusal took nothing.
    expect(await l.take('k', policy, 2)).toMatchObject({ ok: false, remaining: 0, retryAfterSeconds: 12 });
    expect(await l.take('other', policy, 10)).toMatchObject({ ok: true, remaining: 0 });
    // A token worth less than Redis's clock can tell apart still takes (its key lives 1 ms).
    expect(await l.take('k', { name: 'huge', limit: 1_000_000_000, windowSeconds: 60 })).toMatchObject({ ok: true, shared: true });
    expect(() => l.take('k', policy, 11)).toThrow(RangeError);
    expect(() => l.take('k', policy, 0)).toThrow(RangeError);
    expect(() => l.take('k', { ...policy, windowSeconds: 0.5 })).toThrow(RangeError);
  });

  it('agrees with the in-process bucket on thirds of a second', async () => {
    const policy: Policy = { name: 'thirds', limit: 3, windowSeconds: 1 };
    const l = createSharedLimiter({ redis: client(), prefix });
    const got = [];
    for (let i = 0; i < 4; i++) got.push(await l.take('k', policy));
    expect(got.map((d) => [d.ok, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
  });

  it('takes an answer that waited in the socket while the process stalled past the bound', async () => {
    const l0 = log();
    const l = createSharedLimiter({ redis: client(), prefix, log: l0, timeoutMs: 50 });
    const policy: Policy = { name: 'stall', limit: 5, windowSeconds: 60 };
    await l.take('k', policy); // connected, script loaded
    const pending = l.take('k', policy);
    const until = performance.now() + 500;
    while (performance.now() < until); // the event loop stalls ten times the bound
    expect(await pending).toMatchObject({ ok: true, remaining: 3, shared: true });
    expect([l.fallbackActive, l.fallbackDecisions, l0.lines]).toEqual([false, 0, []]);
  });
});

describe('without Redis', () => {
  it('answers from the process when nothing listens, still limits, and says so once', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as { port: number };
    await new Promise((r) => closed.close(r));
    const c = clock();
    const l0 = log();
    const policy: Policy = { name: 'reads', limit: 2, windowSeconds: 60 };
    const l = createSharedLimiter({ redis: client(`redis://127.0.0.1:${port}`), prefix, now: c.now, log: l0, timeoutMs: 50 });
    const got = [];
    for (let i = 0; i < 3; i++) got.push(await l.take('k', policy));
    expect(got.map((d) => [d.ok, d.remaining, d.shared])).toEqual([
      [true, 1, false],
      [true, 0, false],
      [false, 0, false],
    ]);
    expect(got[2]!.retryAfterSeconds).toBe(30);
    expect([l.fallbackActive, l.fallbackDecisions]).toEqual([true, 3]);
    c.advance(5000); // past several retries, each failing again
    await l.take('k', policy);
    await l.take('k', policy);
    expect(l0.lines).toEqual([['warn', 'Redis is away: rate limits are per process until it answers again']]);
  });

  it('bounds a Redis that hangs, tries it once per retry interval, and shares again when it is back', async () => {
    const proxy = await redisProxy();
    const c = clock();
    const l0 = log();
    const redis = client(`redis://127.0.0.1:${proxy.port}`);
    const policy: Policy = { name: 'reads', limit: 5, windowSeconds: 60 };
    const l = createSharedLimiter({ redis, prefix, now: c.now, log: l0, timeoutMs: 50, retryMs: 1000 });
    expect(await l.take('k', policy)).toMatchObject({ ok: true, remaining: 4, shared: true });

    proxy.hang();
    const sentBefore = proxy.takesSent;
    expect(await l.take('k', policy)).toMatchObject({ ok: true, remaining: 4, shared: false });
    // The process's own bucket: its own burst, not Redis's remaining.
    expect(await l.take('k', policy)).toMatchObject({ ok: true, remaining: 3, shared: false });
    expect(await l.take('k', policy)).toMatchObject({ ok: true, remaining: 2, shared: false });
    // Only the first of those went to Redis; a retry goes after retryMs, one take only.
    expect(proxy.takesSent - sentBefore).toBe(1);
    c.advance(1000);
    await Promise.all([l.take('k', policy), l.take('k', policy)]);
    expect(proxy.takesSent - sentBefore).toBe(2);
    expect([l.fallbackActive, l.fallbackDecisions]).toEqual([true, 5]);

    // Redis comes back: the connection drops, ioredis reconnects, and the next retry shares.
    // (ioredis resends the two hung takes too, so Redis counts them as well.)
    proxy.restore();
    await new Promise((r) => redis.once('ready', r));
    c.advance(1000);
    expect(await l.take('k', policy)).toMatchObject({ ok: true, shared: true });
    expect(await l.take('k', policy)).toMatchObject({ shared: true });
    expect(l.fallbackActive).toBe(false);
    expect(l0.lines).toEqual([
      ['warn', 'Redis is away: rate limits are per process until it answers again'],
      ['info', 'Redis answers again: rate limits are shared again'],
    ]);
    await proxy.close();
  });
});

/**
 * A TCP proxy to the real Redis that can hang (accept and swallow every byte, as a Redis
 * behind a dead network path would) and be restored, counting the takes it swallowed.
 */
async function redisProxy() {
  let hanging = false;
  let takesSent = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((down) => {
    sockets.add(down);
    down.on('close', () => sockets.delete(down));
    down.on('error', () => {});
    const up = connect(redisPort, redisHost);
    up.on('error', () => down.destroy());
    down.on('close', () => up.destroy());
    up.pipe(down);
    down.on('data', (chunk: Buffer) => {
      if (!hanging) return void up.write(chunk);
      takesSent += chunk.toString('latin1').match(/evalsha|\$4\r\neval\r\n/gi)?.length ?? 0;
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    get takesSent() {
      return takesSent;
    },
    hang() {
      hanging = true;
    },
    restore() {
      hanging = false;
      for (const s of sockets) s.destroy();
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}
