import type { Queryable, Sql } from '@kino/db';
import type { EventType } from '@kino/events';
import { generateSecret } from './signing.ts';

export interface Webhook {
  id: string;
  account_id: string;
  url: string;
  /** null: every event type. */
  event_types: EventType[] | null;
  description: string | null;
  created_at: Date;
  deleted_at: Date | null;
}

export interface WebhookWithSecret extends Webhook {
  secret: string;
}

/** An account keeps at most this many live endpoints: each one multiplies every event. */
export const MAX_WEBHOOKS_PER_ACCOUNT = 50;

const COLUMNS = 'id, account_id, url, event_types, description, created_at, deleted_at';

export interface NewWebhook {
  accountId: string;
  url: string;
  eventTypes?: EventType[] | null | undefined;
  description?: string | null | undefined;
}

/** Creates an endpoint with a new secret; the returned row is the only one that carries it. */
export async function createWebhook(sql: Queryable, w: NewWebhook): Promise<WebhookWithSecret> {
  const [row] = await sql<WebhookWithSecret[]>`
    insert into webhooks (account_id, url, event_types, description, secret)
    values (${w.accountId}, ${w.url}, ${w.eventTypes && w.eventTypes.length > 0 ? w.eventTypes : null}::text[],
            ${w.description ?? null}, ${generateSecret()})
    returning ${sql.unsafe(COLUMNS)}, secret`;
  return row!;
}

/**
 * Creates an endpoint unless the account already has `max` live ones (then null). A count
 * followed by an insert would let concurrent creates all see room and all insert; so both
 * run in one transaction that first locks the account's row (FOR NO KEY UPDATE: it queues
 * creates of the same account behind each other, while inserts elsewhere that only
 * reference the account, which take KEY SHARE, are not held up). Under READ COMMITTED the
 * count, run after the lock is granted, sees every insert committed by the previous holder.
 */
export async function createWebhookWithinCap(sql: Sql, w: NewWebhook, max = MAX_WEBHOOKS_PER_ACCOUNT): Promise<WebhookWithSecret | null> {
  return sql.begin(async (tx) => {
    const [account] = await tx`select id from accounts where id = ${w.accountId} for no key update`;
    if (!account) throw new Error(`no account ${w.accountId}`);
    if ((await countWebhooks(tx, w.accountId)) >= max) return null;
    return createWebhook(tx, w);
  });
}

export async function countWebhooks(sql: Queryable, accountId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from webhooks where account_id = ${accountId} and deleted_at is null`;
  return row!.n;
}

/** Live endpoints of an account, oldest first. */
export async function listWebhooks(sql: Queryable, accountId: string): Promise<Webhook[]> {
  return sql<Webhook[]>`
    select ${sql.unsafe(COLUMNS)} from webhooks
    where account_id = ${accountId} and deleted_at is null
    order by created_at, id`;
}

/** A live endpoint of the account, or null (another account's, deleted, or unknown). */
export async function getWebhook(sql: Queryable, accountId: string, id: string): Promise<Webhook | null> {
  const [row] = await sql<Webhook[]>`
    select ${sql.unsafe(COLUMNS)} from webhooks
    where id = ${id} and account_id = ${accountId} and deleted_at is null`;
  return row ?? null;
}

export const DELETED_ERROR = 'webhook deleted';

/**
 * Soft-deletes an endpoint and fails its pending deliveries, so nothing more is sent
 * (a send already under way finishes and is recorded). Repeating it changes nothing.
 * False when the account has no such endpoint, deleted or not.
 */
export async function deleteWebhook(sql: Sql, accountId: string, id: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const rows = await tx`
      update webhooks set deleted_at = coalesce(deleted_at, now())
      where id = ${id} and account_id = ${accountId}
      returning id`;
    if (rows.length === 0) return false;
    await cancelPendingDeliveries(tx, id);
    return true;
  });
}

export async function cancelPendingDeliveries(sql: Queryable, webhookId: string): Promise<number> {
  const rows = await sql`
    update webhook_deliveries
    set state = 'failed', last_error = ${DELETED_ERROR}, locked_until = null, finished_at = now()
    where webhook_id = ${webhookId} and state = 'pending'
    returning id`;
  return rows.length;
}

export type DeliveryState = 'pending' | 'succeeded' | 'failed';

export interface DeliveryAttempt {
  id: number;
  delivery_id: string;
  attempted_at: Date;
  duration_ms: number;
  status: number | null;
  error: string | null;
  response_body: string | null;
}

export interface Delivery {
  id: string;
  webhook_id: string;
  event_seq: number;
  event_type: EventType;
  asset_id: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
  attempt_log: DeliveryAttempt[];
}

/**
 * One page of an endpoint's deliveries, newest event first, each with its attempts in
 * order. `beforeSeq` continues after the last page.
 */
export async function listDeliveries(
  sql: Queryable,
  webhookId: string,
  opts: { limit: number; beforeSeq?: number | undefined },
): Promise<Delivery[]> {
  const rows = await sql<Omit<Delivery, 'attempt_log'>[]>`
    select d.id, d.webhook_id, d.event_seq, e.type as event_type, e.asset_id, d.state, d.attempts,
           d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.finished_at
    from webhook_deliveries d join asset_events e on e.seq = d.event_seq
    where d.webhook_id = ${webhookId}
      ${opts.beforeSeq === undefined ? sql`` : sql`and d.event_seq < ${opts.beforeSeq}`}
    order by d.event_seq desc
    limit ${opts.limit}`;
  if (rows.length === 0) return [];
  const attempts = await sql<DeliveryAttempt[]>`
    select * from webhook_attempts where delivery_id = any (${rows.map((r) => r.id)}::uuid[]) order by id`;
  const byDelivery = new Map<string, DeliveryAttempt[]>();
  for (const a of attempts) {
    let list = byDelivery.get(a.delivery_id);
    if (!list) byDelivery.set(a.delivery_id, (list = []));
    list.push(a);
  }
  return rows.map((r) => ({ ...r, attempt_log: byDelivery.get(r.id) ?? [] }));
}

/** The event sequence of one of the endpoint's deliveries (a page cursor), or null. */
export async function deliverySeq(sql: Queryable, webhookId: string, deliveryId: string): Promise<number | null> {
  const [row] = await sql<{ event_seq: number }[]>`
    select event_seq from webhook_deliveries where id = ${deliveryId} and webhook_id = ${webhookId}`;
  return row?.event_seq ?? null;
}

// --- the dispatcher's side ------------------------------------------------------------

export interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  /** Attempts made before this one. */
  attempts: number;
  url: string;
  secret: string;
  webhook_deleted_at: Date | null;
  event_seq: number;
  event_type: EventType;
  asset_id: string;
  event_data: Record<string, unknown>;
  event_created_at: Date;
  /** The lease's exact expiry, as text: whoever records the outcome must still hold it. */
  claim: string;
}

/**
 * Claims up to `limit` due deliveries, holding each until `leaseMs` from now: a
 * dispatcher that dies mid-send lets go by expiry, and another sends it again (same
 * webhook-id; receivers deduplicate).
 *
 * At most one delivery per endpoint is out at a time, the oldest due event first, so an
 * endpoint sees its events in sequence order as far as retries allow, and one slow or
 * failing endpoint cannot take every slot. `busy` names the endpoints this process is
 * already sending to; the NOT EXISTS covers other processes. SKIP LOCKED lets several
 * dispatchers claim at once without waiting on each other or sending a row twice.
 */
export async function claimDeliveries(sql: Sql, opts: { limit: number; leaseMs: number; busy: string[] }): Promise<ClaimedDelivery[]> {
  return sql<ClaimedDelivery[]>`
    with candidates as (
      select distinct on (d.webhook_id) d.id
      from webhook_deliveries d
      where d.state = 'pending' and d.next_attempt_at <= now()
        and (d.locked_until is null or d.locked_until < now())
        and not (d.webhook_id = any (${opts.busy}::uuid[]))
        and not exists (
          select 1 from webhook_deliveries x
          where x.webhook_id = d.webhook_id and x.state = 'pending' and x.locked_until >= now())
      order by d.webhook_id, d.event_seq
    ),
    next as (
      select d.id from webhook_deliveries d
      where d.id in (select id from candidates)
        and d.state = 'pending' and (d.locked_until is null or d.locked_until < now())
      order by d.event_seq
      limit ${opts.limit}
      for update skip locked
    )
    update webhook_deliveries d
    set locked_until = now() + make_interval(secs => ${opts.leaseMs / 1000})
    from next, webhooks w, asset_events e
    where d.id = next.id and w.id = d.webhook_id and e.seq = d.event_seq
    returning d.id, d.webhook_id, d.attempts, w.url, w.secret, w.deleted_at as webhook_deleted_at,
              d.event_seq, e.type as event_type, e.asset_id, e.data as event_data, e.created_at as event_created_at,
              d.locked_until::text as claim`;
}

export interface AttemptRecord {
  deliveryId: string;
  /** The claim the send was made under (ClaimedDelivery.claim). */
  claim: string;
  durationMs: number;
  status: number | null;
  error: string | null;
  responseBody: string | null;
  /** What the delivery becomes: succeeded, failed for good, or pending again after `retryInMs`. */
  outcome: DeliveryState;
  retryInMs?: number;
}

/**
 * Records one attempt and moves the delivery on, letting go of the claim. A delivery
 * failed meanwhile (its endpoint deleted) stays failed, and one whose claim lapsed and was
 * taken by another dispatcher is left to that one; the attempt is recorded either way.
 */
export async function recordAttempt(sql: Sql, a: AttemptRecord): Promise<void> {
  const delaySeconds = (a.retryInMs ?? 0) / 1000;
  await sql`
    with attempt as (
      insert into webhook_attempts (delivery_id, duration_ms, status, error, response_body)
      values (${a.deliveryId}, ${Math.round(a.durationMs)}, ${a.status}, ${a.error}, ${a.responseBody})
    )
    update webhook_deliveries
    set attempts = attempts + 1,
        last_status = ${a.status},
        -- A delivery failed meanwhile (its endpoint deleted) keeps the reason it ended with.
        last_error = case when state = 'pending' then ${a.error} else last_error end,
        locked_until = null,
        state = case when state = 'pending' then ${a.outcome}::text else state end,
        next_attempt_at = case when state = 'pending' and ${a.outcome}::text = 'pending'
                               then now() + make_interval(secs => ${delaySeconds}) else next_attempt_at end,
        finished_at = case when state = 'pending' and ${a.outcome}::text <> 'pending' then now() else finished_at end
    -- Compared as text: a timestamptz parameter would go through a JS Date and lose its
    -- microseconds.
    where id = ${a.deliveryId} and (locked_until::text = ${a.claim} or state <> 'pending')`;
}

/** Gives claims back untouched (a dispatcher stopping before it could send them). */
export async function releaseDeliveries(sql: Sql, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`update webhook_deliveries set locked_until = null where id = any (${ids}::uuid[]) and state = 'pending'`;
}

/** Fails a claimed delivery without sending it (its endpoint was deleted). */
export async function failUnsent(sql: Sql, id: string, error: string): Promise<void> {
  await sql`
    update webhook_deliveries
    set state = 'failed', last_error = ${error}, locked_until = null, finished_at = now()
    where id = ${id} and state = 'pending'`;
}
