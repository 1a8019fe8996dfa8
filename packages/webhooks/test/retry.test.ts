import { describe, expect, it } from 'vitest';
import { BREAKER_THRESHOLD, breakerPauseMs, DEFAULT_RETRY_SCHEDULE_MS, parseRetryAfter, retryDelayMs } from '../src/index.ts';

describe('the webhook retry schedule', () => {
  it('spreads eleven attempts over about a day, then gives up', () => {
    expect(DEFAULT_RETRY_SCHEDULE_MS).toHaveLength(10);
    const total = DEFAULT_RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    expect(total).toBe((23 * 60 + 42) * 60_000 + 35_000); // 23 h 42 min 35 s before jitter
    // Never shorter than the step before.
    for (let i = 1; i < DEFAULT_RETRY_SCHEDULE_MS.length; i++) {
      expect(DEFAULT_RETRY_SCHEDULE_MS[i]!).toBeGreaterThanOrEqual(DEFAULT_RETRY_SCHEDULE_MS[i - 1]!);
    }
    expect(retryDelayMs(10, DEFAULT_RETRY_SCHEDULE_MS, () => 0.5)).toBe(28_800_000);
    expect(retryDelayMs(11, DEFAULT_RETRY_SCHEDULE_MS, () => 0.5)).toBeNull();
    expect(retryDelayMs(1, [], () => 0.5)).toBeNull();
  });

  it('waits each step of the schedule, with jitter of exactly ±20 %', () => {
    const schedule = [1_000, 30_000, 600_000];
    for (const [i, base] of schedule.entries()) {
      const attempt = i + 1;
      expect(retryDelayMs(attempt, schedule, () => 0)).toBe(base * 0.8);
      expect(retryDelayMs(attempt, schedule, () => 0.5)).toBe(base);
      expect(retryDelayMs(attempt, schedule, () => 0.999999)).toBe(Math.round(base * (0.8 + 0.4 * 0.999999)));
    }
    // With the real random source: always inside the band, and actually spread over it.
    const seen = Array.from({ length: 2_000 }, () => retryDelayMs(2, schedule)!);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(24_000);
    expect(Math.max(...seen)).toBeLessThanOrEqual(36_000);
    expect(new Set(seen).size).toBeGreaterThan(100);
    expect(seen.some((d) => d < 27_000) && seen.some((d) => d > 33_000)).toBe(true);
  });

  it('reads Retry-After as seconds or an HTTP date, and nothing else', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['7', '9'], now)).toBe(7_000);
    expect(parseRetryAfter('Mon, 30 Nov 2026 12:01:30 GMT', now)).toBe(90_000);
    // A date already past means "now", never a negative wait.
    expect(parseRetryAfter('Mon, 30 Nov 2026 11:00:00 GMT', now)).toBe(0);
    for (const bad of [undefined, '', [], 'soon', 'NaN']) expect(parseRetryAfter(bad as string | string[] | undefined, now)).toBeNull();
  });

  it('pauses an endpoint from the third failure in a row, along the schedule, honouring Retry-After up to its longest step', () => {
    const schedule = [1_000, 30_000, 600_000];
    const mid = () => 0.5;
    expect(BREAKER_THRESHOLD).toBe(3);
    expect([1, 2].map((n) => breakerPauseMs(n, schedule, null, mid))).toEqual([0, 0]);
    expect([3, 4, 5, 6, 50].map((n) => breakerPauseMs(n, schedule, null, mid))).toEqual([1_000, 30_000, 600_000, 600_000, 600_000]);
    expect(breakerPauseMs(3, schedule, 20_000, mid)).toBe(20_000);
    expect(breakerPauseMs(3, schedule, 86_400_000, mid)).toBe(600_000);
    expect(breakerPauseMs(3, [], null, mid)).toBe(0);
  });
});
