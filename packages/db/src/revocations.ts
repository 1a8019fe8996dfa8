import type { Sql } from './client.ts';

// The revocation list edges pull: assets deleted within the longest token lifetime, whose
// tokens may still be in circulation. Edges pull it incrementally, `since` a cursor.
//
// The cursor is the asset_events sequence of the `asset.deleted` event, not `deleted_at`:
// a delete appends that event in its own transaction, and event appends hold one advisory
// lock from insert to commit (packages/events/src/log.ts), so sequence order is commit
// order and "every deletion after N" never skips one that commits late. `deleted_at` is
// the deleting transaction's start time, so a (deleted_at, id) cursor could step past a
// deletion whose transaction started earlier but committed after the pull.

export interface RevokedAsset {
  id: string;
  deleted_at: Date;
}

export interface RevocationPage {
  revocations: RevokedAsset[];
  /** Pass back as `since`: everything up to here has been seen. */
  cursor: number;
  /** True when the page was full and the next one should be pulled right away. */
  more: boolean;
}

export interface RevocationQuery {
  /** The previous page's cursor; absent for the whole list. */
  since?: number | undefined;
  /** How far back deletions still matter: the longest token lifetime (plus clock slack). */
  windowSeconds: number;
  limit: number;
  /** Tests only: how far behind the head a cursor may be for the log walk (see below). */
  walkLogWithin?: number;
}

// Below this many events behind the log's head, walking the log from the cursor reads
// less than reading every deletion of the window; beyond it (a first page after a big
// first pull, an edge back after a long outage) the deletions index does.
const WALK_LOG_WITHIN = 50_000;

export async function revocationsSince(sql: Sql, q: RevocationQuery): Promise<RevocationPage> {
  // One snapshot for the head and the page, so the cursor covers exactly what was read.
  return sql.begin('isolation level repeatable read read only', async (tx) => {
    const [head] = await tx<{ seq: number }[]>`select coalesce(max(seq), 0)::bigint as seq from asset_events`;
    const max = head!.seq;
    // A cursor past the head comes from another database (restored, or a test's): start over.
    const since = q.since !== undefined && q.since <= max ? q.since : 0;
    const window = tx`a.deleted_at > now() - make_interval(secs => ${q.windowSeconds})`;
    // Both reads have the same predicates and order; they differ only in the index they start from.
    const rows =
      since > 0 && max - since <= (q.walkLogWithin ?? WALK_LOG_WITHIN)
        ? await tx<(RevokedAsset & { seq: number })[]>`
          select e.seq, a.id, a.deleted_at
          from asset_events e join assets a on a.id = e.asset_id
          where e.seq > ${since} and e.type = 'asset.deleted' and ${window}
          order by e.seq limit ${q.limit + 1}`
        : await tx<(RevokedAsset & { seq: number })[]>`
          select e.seq, a.id, a.deleted_at
          from assets a join asset_events e on e.asset_id = a.id and e.type = 'asset.deleted'
          where ${window} and e.seq > ${since}
          order by e.seq limit ${q.limit + 1}`;
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    return {
      revocations: page.map((r) => ({ id: r.id, deleted_at: r.deleted_at })),
      // A partial page has seen the log up to its head, deletions or not.
      cursor: more ? page.at(-1)!.seq : max,
      more,
    };
  });
}
