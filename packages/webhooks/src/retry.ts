/**
 * Waits before each retry: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h —
 * eleven attempts spread over about a day (23 h 42 min before jitter), then the delivery
 * fails for good.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 28_800_000,
];

/**
 * The wait after failed attempt number `attempt` (1-based), or null when the schedule is
 * spent. Jitter of ±20 % keeps the retries of many deliveries that failed together (an
 * endpoint that was down) from arriving together again.
 */
export function retryDelayMs(attempt: number, schedule: readonly number[], random = Math.random): number | null {
  const base = schedule[attempt - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** `Retry-After` as milliseconds (seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
