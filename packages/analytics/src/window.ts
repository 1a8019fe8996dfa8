// Query windows: parsed strictly, bounded, aligned to the bucket they are counted in.

export class AnalyticsQueryError extends Error {
  override name = 'AnalyticsQueryError';
  constructor(
    readonly code: 'INVALID_TIMESTAMP' | 'INVALID_WINDOW' | 'WINDOW_TOO_LARGE',
    message: string,
  ) {
    super(message);
  }
}

export const INTERVALS = ['minute', 'hour', 'day'] as const;
export type Interval = (typeof INTERVALS)[number];

export const INTERVAL_MS: Record<Interval, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

const DAY = 86_400_000;
/** The longest window any query answers. */
export const MAX_WINDOW_MS = 92 * DAY;
/** The longest window per interval: a series stays under about 1,500 points. */
export const MAX_WINDOW_FOR: Record<Interval, number> = { minute: DAY, hour: 31 * DAY, day: MAX_WINDOW_MS };
export const DEFAULT_WINDOW_MS = DAY;

export interface Window {
  /** Epoch milliseconds, inclusive. */
  from: number;
  /** Epoch milliseconds, exclusive. */
  to: number;
}

// RFC 3339 with an explicit offset (or a bare date, meaning midnight UTC): no locale-
// dependent formats that Date.parse would also accept.
const RFC3339 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;

function timestamp(name: string, raw: string): number {
  const ms = RFC3339.test(raw) && realDate(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms)) {
    throw new AnalyticsQueryError('INVALID_TIMESTAMP', `${name} must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z, got "${raw}"`);
  }
  return ms;
}

// Date.parse rolls 2026-02-30 over into March; a calendar that has no such day refuses it.
function realDate(raw: string): boolean {
  const [y, m, d] = raw.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
}

/**
 * `from` defaults to a day before `to`, `to` to now. With `alignTo`, `from` is rounded down
 * and `to` up to whole buckets (the response says which window was answered).
 */
export function parseWindow(
  q: { from?: string | undefined; to?: string | undefined },
  o: { now?: number; maxMs?: number; alignTo?: number } = {},
): Window {
  const to = q.to === undefined ? (o.now ?? Date.now()) : timestamp('to', q.to);
  let from = q.from === undefined ? to - DEFAULT_WINDOW_MS : timestamp('from', q.from);
  let end = to;
  if (from >= to) throw new AnalyticsQueryError('INVALID_WINDOW', '`from` must be before `to`.');
  if (o.alignTo !== undefined) {
    from = Math.floor(from / o.alignTo) * o.alignTo;
    end = Math.ceil(to / o.alignTo) * o.alignTo;
  }
  const max = o.maxMs ?? MAX_WINDOW_MS;
  if (end - from > max) {
    throw new AnalyticsQueryError(
      'WINDOW_TOO_LARGE',
      `The window may span at most ${describe(max)}; this one spans ${describe(end - from)}.`,
    );
  }
  return { from, to: end };
}

function describe(ms: number): string {
  return ms % DAY === 0 ? `${ms / DAY} day${ms === DAY ? '' : 's'}` : `${(ms / 3_600_000).toFixed(1)} hours`;
}

/** '2026-01-31 12:00:00.000': how DateTime64(3, 'UTC') parameters are bound. */
export function chTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
