import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenError, createPlaybackSigner, createPlaybackVerifier } from '../src/index.ts';
import { AUDIENCE, makeKeys, newAssetId, startJwksServer } from './helpers.ts';

const ttl = { defaultTtlSeconds: 600, maxTtlSeconds: 3600 };

async function reasonOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'accepted',
    (e: unknown) => (e instanceof TokenError ? e.reason : `unexpected: ${String(e)}`),
  );
}

describe('keys fetched from a JWKS', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
  });

  async function setup() {
    const [a, b] = await Promise.all([makeKeys('a'), makeKeys('b')]);
    const signerA = createPlaybackSigner(a, { audience: AUDIENCE, ...ttl });
    const signerB = createPlaybackSigner(b, { audience: AUDIENCE, ...ttl });
    const server = await startJwksServer(signerA.jwks());
    cleanup.push(() => server.close());
    let clock = Date.now();
    const time = { now: () => clock, advance: (ms: number) => (clock += ms) };
    const verifier = createPlaybackVerifier({ audience: AUDIENCE, jwksUrl: server.url, now: time.now });
    cleanup.push(() => verifier.stop());
    return { a, b, signerA, signerB, server, time, verifier };
  }

  it('picks up a new key after an unknown kid, at most one fetch per 10 s', async () => {
    const { a, b, signerA, signerB, server, time, verifier } = await setup();
    await verifier.start();
    expect(server.hits).toBe(1);
    const asset = newAssetId();
    const tokenA = (await signerA.sign({ assetId: asset, now: time.now() })).token;
    const tokenB = (await signerB.sign({ assetId: asset, now: time.now() })).token;
    await verifier.verify(tokenA, asset);

    // Just fetched: an unknown kid does not cause another fetch yet.
    expect(await reasonOf(verifier.verify(tokenB, asset))).toBe('unknown_key');
    expect(server.hits).toBe(1);

    // Later it does, but the api does not publish b yet.
    time.advance(11_000);
    expect(await reasonOf(verifier.verify(tokenB, asset))).toBe('unknown_key');
    expect(server.hits).toBe(2);

    // The api starts publishing b (rotation step 1). Within 10 s of the last fetch, nothing.
    server.body = createPlaybackSigner([b[0], a[0]], { audience: AUDIENCE, ...ttl }).jwks();
    expect(await reasonOf(verifier.verify(tokenB, asset))).toBe('unknown_key');
    expect(server.hits).toBe(2);

    // A flood of made-up kids meanwhile costs the api nothing.
    const strangers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => createPlaybackSigner(await makeKeys(`stranger-${i}`), { audience: AUDIENCE, ...ttl })),
    );
    for (const s of strangers)
      expect(await reasonOf(verifier.verify((await s.sign({ assetId: asset, now: time.now() })).token, asset))).toBe('unknown_key');
    expect(server.hits).toBe(2);

    time.advance(10_000);
    await expect(verifier.verify(tokenB, asset)).resolves.toMatchObject({ kid: 'b' });
    expect(server.hits).toBe(3);
    expect(verifier.stats()).toMatchObject({ keys: 2, refreshes: 3, refreshFailures: 0 });
    expect(verifier.stats().lastRefresh).toEqual(new Date(time.now()));
  });

  it('shares one fetch among concurrent unknown-kid requests', async () => {
    const { b, a, signerB, server, time, verifier } = await setup();
    await verifier.start();
    server.body = { keys: [a[0].publicJwk, b[0].publicJwk] };
    time.advance(11_000);
    const asset = newAssetId();
    const results = await Promise.all(
      Array.from({ length: 10 }, async () =>
        reasonOf(verifier.verify((await signerB.sign({ assetId: asset, now: time.now() })).token, asset)),
      ),
    );
    expect(results).toEqual(Array(10).fill('accepted'));
    expect(server.hits).toBe(2);
  });

  it('stops honouring tokens, cached ones included, of a key the api withdraws', async () => {
    const { a, b, signerA, signerB, server, time, verifier } = await setup();
    server.body = { keys: [b[0].publicJwk, a[0].publicJwk] };
    await verifier.start();
    const asset = newAssetId();
    const tokenA = (await signerA.sign({ assetId: asset, now: time.now() })).token;
    await verifier.verify(tokenA, asset);
    expect(verifier.stats().cachedTokens).toBe(1);

    server.body = { keys: [b[0].publicJwk] };
    time.advance(11_000);
    const stranger = createPlaybackSigner(await makeKeys('stranger'), { audience: AUDIENCE, ...ttl });
    await reasonOf(verifier.verify((await stranger.sign({ assetId: asset, now: time.now() })).token, asset)); // causes a refresh
    expect(server.hits).toBe(2);
    expect(verifier.stats()).toMatchObject({ keys: 1, cachedTokens: 0 });
    expect(await reasonOf(verifier.verify(tokenA, asset))).toBe('unknown_key');
    await expect(verifier.verify((await signerB.sign({ assetId: asset, now: time.now() })).token, asset)).resolves.toBeTruthy();
  });

  it('keeps its keys when a refresh fails, and says so in stats', async () => {
    const { signerA, server, time, verifier } = await setup();
    await verifier.start();
    const asset = newAssetId();
    for (const [status, body] of [
      [500, { error: 'boom' }],
      [200, { keys: [] }],
      [200, 'not a jwks'],
      [200, { keys: [{ ...signerA.jwks().keys[0], d: 'A'.repeat(43) }] }],
    ] as const) {
      server.status = status;
      server.body = body;
      time.advance(11_000);
      const stranger = createPlaybackSigner(await makeKeys(`s${status}`), { audience: AUDIENCE, ...ttl });
      expect(await reasonOf(verifier.verify((await stranger.sign({ assetId: asset, now: time.now() })).token, asset))).toBe('unknown_key');
      // a fresh token of the old key still needs (and gets) a full check
      const fresh = await signerA.sign({ assetId: asset, now: time.now() });
      await expect(verifier.verify(fresh.token, asset)).resolves.toMatchObject({ kid: 'a' });
    }
    const stats = verifier.stats();
    expect(stats).toMatchObject({ keys: 1, refreshes: 1, refreshFailures: 4 });
    expect(stats.lastRefreshError).toMatch(/private key material/);
    expect(server.hits).toBe(5);
  });

  it('start() rejects when it gets no key', async () => {
    const { server, verifier } = await setup();
    server.status = 503;
    await expect(verifier.start()).rejects.toThrow(
      /no playback verification keys: JWKS fetch from http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json answered HTTP 503/,
    );
    await server.close();
    const nobody = createPlaybackVerifier({ audience: AUDIENCE, jwksUrl: server.url });
    await expect(nobody.start()).rejects.toThrow(/no playback verification keys: JWKS fetch from .* failed/);
    expect(nobody.stats()).toMatchObject({ keys: 0, refreshFailures: 1 });
  });

  it('refreshes on a timer that does not hold the process open, until stopped', async () => {
    const { server } = await setup();
    // Only the interval is fake: the fetches, the sockets and the clock stay real, and the
    // test moves the refresh timer itself (and sees the timer object the verifier holds).
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const intervals = vi.spyOn(globalThis, 'setInterval');
    cleanup.push(() => {
      intervals.mockRestore();
      vi.useRealTimers();
    });
    const fast = createPlaybackVerifier({ audience: AUDIENCE, jwksUrl: server.url, refreshSeconds: 0.05 });
    cleanup.push(() => fast.stop());
    await fast.start();
    expect(server.hits).toBe(1);
    // One timer, unref'd: it does not keep the process alive.
    expect(vi.getTimerCount()).toBe(1);
    expect(intervals.mock.results.map((r) => (r.value as NodeJS.Timeout).hasRef())).toEqual([false]);

    for (let refreshes = 2; refreshes <= 4; refreshes++) {
      vi.advanceTimersByTime(50);
      await vi.waitFor(() => expect(fast.stats().refreshes).toBe(refreshes), { timeout: 5_000, interval: 5 });
    }
    expect(server.hits).toBe(4);

    fast.stop();
    expect(vi.getTimerCount()).toBe(0);
    // Ten intervals later nothing has fired. A refresh one had started would reach the
    // server before this request of ours, answered after it.
    vi.advanceTimersByTime(500);
    expect((await fetch(server.url)).status).toBe(200);
    expect(server.hits).toBe(5);
    expect(fast.stats()).toMatchObject({ refreshes: 4, refreshFailures: 0 });
  });
});
