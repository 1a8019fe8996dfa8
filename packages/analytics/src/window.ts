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

// What `+01:00` becomes in a query string sent unescaped: the '+' arrives as a space.
const PLUS_AS_SPACE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)? \d{2}:\d{2}$/i;

function timestamp(name: string, raw: string): number {
  const ms = RFC3339.test(raw) && realDate(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms)) {
    const hint = PLUS_AS_SPACE.test(raw) ? "; a '+' in a URL query string is read as a space: write %2B, or use Z (UTC)" : '';
    throw new AnalyticsQueryError(
      'INVALID_TIMESTAMP',
      `${name} must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z, got "${raw}"${hint}.`,
    );
  }
  return ms;
}

// Date.parse rolls 2026-02-30 over into March; a calendar that has no such day refuses it.
function realDate(raw: string): boolean {
  const [y, m, d] = raw.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
}

/**
 * `to` defaults to now. With `alignTo`, `from` is rounded down and `to` up to whole buckets
 * (the response says which window was answered). `maxMs` bounds the window as asked: the
 * rounding may add one bucket to it (an exact day from 12:00:30 answers 12:00 to 12:01
 * the next day), never more. A missing `from` means a day before `to`, rounded down, or
 * `maxMs` before the rounded `to` when that is later: the default window always fits,
 * widened included (with whole minutes and a day at most: the 1,440 minutes up to `to`).
 */
export function parseWindow(
  q: { from?: string | undefined; to?: string | undefined },
  o: { now?: number; maxMs?: number; alignTo?: number } = {},
): Window {
  const align = o.alignTo ?? 1;
  const max = o.maxMs ?? MAX_WINDOW_MS;
  const to = q.to === undefined ? (o.now ?? Date.now()) : timestamp('to', q.to);
  const end = Math.ceil(to / align) * align;
  const from =
    q.from === undefined
      ? Math.max(Math.floor((to - DEFAULT_WINDOW_MS) / align) * align, Math.ceil((end - max) / align) * align)
      : timestamp('from', q.from);
  if (from >= to) throw new AnalyticsQueryError('INVALID_WINDOW', '`from` must be before `to`.');
  if (to - from > max) {
    throw new AnalyticsQueryError(
      'WINDOW_TOO_LARGE',
      `The window may span at most ${spanText(max)}; this one spans ${spanText(to - from)}.`,
    );
  }
  return { from: Math.floor(from / align) * align, to: end };
}

const UNITS: Array<[string, number]> = [
  ['day', DAY],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
  ['millisecond', 1],
];

/** Exact, so a span over the limit never reads as the limit: '1 day 1 minute', '2 days 3 hours 500 milliseconds'. */
function spanText(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  }
  return parts.join(' ') || '0 milliseconds';
}

/** '2026-01-31 12:00:00.000': how DateTime64(3, 'UTC') parameters are bound. */
export function chTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
