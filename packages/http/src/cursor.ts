import { ApiError } from './api-error.ts';

// A page cursor is opaque to clients: the last row's id, the filters the page was read
// with and its page size. `?cursor=` alone then pages the same filtered list the first
// page did, as the README shows; filters sent with it must be the cursor's own, so a
// cursor is never silently applied to another list (a `limit` sent with it may change).

/** A list's filters, as they were given (unset ones left out). */
export type PageFilters = Record<string, string | boolean>;

/** The values each filter of a list may take: a cursor is checked against them like a query. */
export type FilterValues = Record<string, readonly (string | boolean)[]>;

/** Rows a page holds unless `limit` (or the cursor) says otherwise. */
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export function pageCursor(after: string, filters: PageFilters = {}, limit?: number): string {
  return Buffer.from(JSON.stringify({ after, filters, limit })).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const definedOnly = (o: Record<string, string | boolean | undefined>): PageFilters =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as PageFilters;

const spell = (filters: PageFilters) =>
  Object.keys(filters).length === 0
    ? 'no filters'
    : Object.entries(filters)
        .map(([k, v]) => `${k}=${v}`)
        .join('&');

/**
 * The row a page starts after and the filters it reads with: the cursor's, which `given`
 * (the filters sent with it) may repeat but not change.
 */
export function readCursor(
  cursor: string,
  given: Record<string, string | boolean | undefined>,
  allowed: FilterValues = {},
): { after: string; filters: PageFilters; limit: number | undefined } {
  // A bare row id is what cursors were before they carried their filters: it pages with
  // the filters sent along, as it always did.
  if (UUID.test(cursor)) return { after: cursor, filters: definedOnly(given), limit: undefined };
  let parsed: { after?: unknown; filters?: unknown; limit?: unknown } | undefined;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {}
  const filters = parsed?.filters as PageFilters | undefined;
  const valid =
    typeof parsed?.after === 'string' &&
    UUID.test(parsed.after) &&
    typeof filters === 'object' &&
    filters !== null &&
    Object.entries(filters).every(([k, v]) => Object.hasOwn(allowed, k) && allowed[k]!.includes(v)) &&
    (parsed.limit === undefined ||
      (Number.isInteger(parsed.limit) && (parsed.limit as number) >= 1 && (parsed.limit as number) <= MAX_PAGE_SIZE));
  if (!valid) throw new ApiError(400, 'INVALID_CURSOR', 'The cursor is not one this API made: pass back `next_cursor` as it came.');
  for (const [k, v] of Object.entries(given)) {
    if (v !== undefined && filters![k] !== v) {
      throw new ApiError(
        400,
        'INVALID_CURSOR',
        `The cursor pages a list read with ${spell(filters!)}, not ${k}=${v}: send the cursor alone (it keeps its filters) or with the same filters.`,
      );
    }
  }
  return { after: parsed!.after as string, filters: filters!, limit: parsed!.limit as number | undefined };
}

/**
 * Where a page of a list starts and what it reads: the cursor's row, filters and page size
 * when there is a cursor, else the query's own (`limit` sent along always wins).
 */
export function pageStart<F extends Record<string, string | boolean | undefined>>(
  q: { cursor?: string | undefined; limit?: number | undefined },
  given: F,
  allowed: FilterValues = {},
): { after: string | undefined; filters: F; limit: number } {
  if (!q.cursor) return { after: undefined, filters: definedOnly(given) as F, limit: q.limit ?? DEFAULT_PAGE_SIZE };
  const read = readCursor(q.cursor, given, allowed);
  return { after: read.after, filters: read.filters as F, limit: q.limit ?? read.limit ?? DEFAULT_PAGE_SIZE };
}
