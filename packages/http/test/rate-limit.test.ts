import { describe, expect, it } from 'vitest';
import { ApiError, bucketDecision, clientAddressKey, enforceRateLimit, RateLimiter } from '../src/index.ts';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('RateLimiter', () => {
  it('lets a burst through, then one request per refill, and says how long to wait', () => {
    const c = clock();
    const l = new RateLimiter({ burst: 3, perSecond: 0.5, maxKeys: 10, now: c.now });
    expect([l.take('a'), l.take('a'), l.take('a')].every((d) => d.ok)).toBe(true);
    expect(l.take('a')).toEqual({ ok: false, remaining: 0, resetSeconds: 2, retryAfterSeconds: 2 });
    // Other keys have their own buckets.
    expect(l.take('b')).toEqual({ ok: true, remaining: 2, resetSeconds: 2 });
    c.advance(1000);
    expect(l.take('a')).toEqual({ ok: false, remaining: 0, resetSeconds: 1, retryAfterSeconds: 1 });
    c.advance(1000);
    expect(l.take('a').ok).toBe(true);
    expect(l.take('a').ok).toBe(false);
    // Refused requests take nothing: waiting the announced time is enough.
    c.advance(2000);
    expect(l.take('a').ok).toBe(true);
  });

  it('refills to the burst and no further', () => {
    const c = clock();
    const l = new RateLimiter({ burst: 2, perSecond: 1, maxKeys: 10, now: c.now });
    l.take('a');
    l.take('a');
    c.advance(3_600_000);
    expect([l.take('a'), l.take('a'), l.take('a')].map((d) => d.ok)).toEqual([true, true, false]);
  });

  it('keeps at most maxKeys keys, forgetting the least recently used', () => {
    const c = clock();
    const l = new RateLimiter({ burst: 1, perSecond: 0.001, maxKeys: 100, now: c.now });
    for (let i = 0; i < 10_000; i++) l.take(`k${i}`);
    expect(l.size).toBe(100);
    // The most recent keys are still limited; the first ones were forgotten.
    expect(l.take('k9999').ok).toBe(false);
    expect(l.take('k0').ok).toBe(true);
    // A key in use is kept while others come and go.
    const busy = new RateLimiter({ burst: 1, perSecond: 0.001, maxKeys: 3, now: c.now });
    busy.take('hot');
    for (let i = 0; i < 10; i++) {
      busy.take(`cold${i}`);
      expect(busy.take('hot').ok).toBe(false);
    }
  });

  it('takes a cost and a per-call rate, and says what remains and when the bucket is full', () => {
    const c = clock();
    const l = new RateLimiter({ burst: 1, perSecond: 1, maxKeys: 10, now: c.now });
    // 10 per minute: a token every 6 s.
    expect(l.take('a', 3, 10, 10 / 60)).toEqual({ ok: true, remaining: 7, resetSeconds: 18 });
    expect(l.take('a', 7, 10, 10 / 60)).toEqual({ ok: true, remaining: 0, resetSeconds: 6 });
    // A refused cost waits for all of its tokens, and takes none.
    expect(l.take('a', 2, 10, 10 / 60)).toEqual({ ok: false, remaining: 0, resetSeconds: 12, retryAfterSeconds: 12 });
    c.advance(12_000);
    expect(l.take('a', 2, 10, 10 / 60)).toEqual({ ok: true, remaining: 0, resetSeconds: 6 });
  });

  it('counts thirds of a second as whole tokens', () => {
    const c = clock();
    const l = new RateLimiter({ burst: 3, perSecond: 3, maxKeys: 10, now: c.now });
    expect([l.take('a'), l.take('a'), l.take('a'), l.take('a')].map((d) => [d.ok, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(bucketDecision(true, 2 / 3, 1, 3, 3)).toEqual({ ok: true, remaining: 1, resetSeconds: 1 });
  });

  it('refuses nonsense options', () => {
    expect(() => new RateLimiter({ burst: 0, perSecond: 1, maxKeys: 1 })).toThrow(RangeError);
    expect(() => new RateLimiter({ burst: 1, perSecond: 0, maxKeys: 1 })).toThrow(RangeError);
    expect(() => new RateLimiter({ burst: 1, perSecond: 1, maxKeys: 0 })).toThrow(RangeError);
  });
});

describe('enforceRateLimit', () => {
  it('throws a 429 RATE_LIMITED with Retry-After once the bucket is empty', () => {
    const c = clock();
    const l = new RateLimiter({ burst: 1, perSecond: 0.1, maxKeys: 10, now: c.now });
    const headers: Record<string, string> = {};
    const reply = { header: (k: string, v: string) => (headers[k] = v) };
    enforceRateLimit(l, 'a', reply, 'for this token');
    expect(headers).toEqual({});
    let thrown: unknown;
    try {
      enforceRateLimit(l, 'a', reply, 'for this token');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ status: 429, code: 'RATE_LIMITED', details: { retry_after_seconds: 10 } });
    expect(headers).toEqual({ 'retry-after': '10' });
  });
});

describe('clientAddressKey', () => {
  it('limits IPv4 per address and IPv6 per /64', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
