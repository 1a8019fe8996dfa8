import { retryDelayMs } from './retry.ts';

/** Attempts an endpoint may fail in a row before it is paused. */
export const BREAKER_THRESHOLD = 3;

/**
 * How long an endpoint that has failed `failures` attempts in a row is paused: not at all
 * below the threshold, then the retry schedule's steps in turn (the longest repeating),
 * with their jitter, or the receiver's Retry-After when that is longer (never past the
 * longest step). A dead endpoint thus costs one probe per pause, not a send per delivery.
 */
export function breakerPauseMs(failures: number, schedule: readonly number[], retryAfterMs: number | null, random = Math.random): number {
  if (failures < BREAKER_THRESHOLD || schedule.length === 0) return 0;
  const step = Math.min(failures - BREAKER_THRESHOLD + 1, schedule.length);
  return Math.max(retryDelayMs(step, schedule, random)!, Math.min(retryAfterMs ?? 0, Math.max(...schedule)));
}
