import type { Queryable } from '@kino/db';
import type { EventType } from './types.ts';

export interface AssetEventRow {
  seq: number;
  account_id: string;
  /** null for an event of the account itself (webhook.disabled). */
  asset_id: string | null;
  type: EventType;
  data: Record<string, unknown>;
  created_at: Date;
}

/** The one envelope every view of the log (API page, SSE, webhook) sends. */
export interface EventEnvelope {
  id: number;
  type: EventType;
  asset_id: string | null;
  created_at: string;
  data: Record<string, unknown>;
}

export const envelope = (e: AssetEventRow): EventEnvelope => ({
  id: e.seq,
  type: e.type,
  asset_id: e.asset_id,
  created_at: e.created_at.toISOString(),
  data: e.data,
});

// Sequence numbers are handed out at insert, but transactions commit in their own order:
// a reader that saw seq 11 could miss a seq 10 committed a moment later. Holding one
// transaction-scoped lock from the insert to the commit makes sequence order commit order,
// so "everything after N" never skips. Keep event inserts late in their transaction.
const EVENT_ORDER_LOCK = 0x6b696e65; // "kine"

export interface NewEvent {
  accountId: string;
  /** null for an event of the account itself. */
  assetId: string | null;
  type: EventType;
  data?: Record<string, unknown>;
}

/**
 * Call inside the transaction of the change the event records. Given the pool instead,
 * it opens a transaction of its own: the ordering lock only works inside one.
 */
export async function appendEvents(tx: Queryable, events: NewEvent[]): Promise<AssetEventRow[]> {
  if (events.length === 0) return [];
  if ('begin' in tx) return tx.begin((inner) => appendEvents(inner, events));
  await tx`select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`;
  const rows = events.map((e) => ({ account_id: e.accountId, asset_id: e.assetId, type: e.type, data: tx.json((e.data ?? {}) as never) }));
  const inserted = await tx<AssetEventRow[]>`
    insert into asset_events ${tx(rows as never, 'account_id', 'asset_id', 'type', 'data')}
    returning *`;
  // The webhook outbox is filled in the same transaction: every subscribed endpoint gets
  // a pending delivery for every event it asked for. A disabled endpoint gets none until
  // it is enabled again.
  await tx`
    insert into webhook_deliveries (webhook_id, event_seq)
    select w.id, e.seq
    from asset_events e
    join webhooks w on w.account_id = e.account_id and w.deleted_at is null and w.disabled_at is null
                   and (w.event_types is null or e.type = any (w.event_types))
    where e.seq = any (${inserted.map((e) => e.seq)}::bigint[])`;
  return inserted;
}

export const appendEvent = async (tx: Queryable, e: NewEvent): Promise<AssetEventRow> => (await appendEvents(tx, [e]))[0]!;

export interface EventsQuery {
  accountId: string;
  assetId?: string | undefined;
  afterSeq: number;
  limit: number;
}

export async function eventsAfter(sql: Queryable, q: EventsQuery): Promise<AssetEventRow[]> {
  return sql<AssetEventRow[]>`
    select * from asset_events
    where account_id = ${q.accountId}
      ${q.assetId ? sql`and asset_id = ${q.assetId}` : sql``}
      and seq > ${q.afterSeq}
    order by seq
    limit ${q.limit}`;
}
