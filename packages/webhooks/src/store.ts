import type { Queryable, Sql } from '@kino/db';
import { appendEvent, type EventType } from '@kino/events';
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
  /** Set when the endpoint was disabled for failing too long; null while enabled. */
  disabled_at: Date | null;
  /** The breaker: attempts failed in a row, since when, and the pause (null once over). */
  consecutive_failures: number;
  failing_since: Date | null;
  paused_until: Date | null;
  /** Until then the secret a rotation replaced signs too; null when there is none. */
  previous_secret_until: Date | null;
}

export interface WebhookWithSecret extends Webhook {
  secret: string;
}

// A pause or an overlap that is over reads as none.
const COLUMNS = `id, account_id, url, event_types, description, created_at, deleted_at, disabled_at,
  consecutive_failures, failing_since, case when paused_until > now() then paused_until end as paused_until,
  case when previous_secret_until > now() then previous_secret_until end as previous_secret_until`;

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
export async function createWebhookWithinCap(sql: Sql, w: NewWebhook, max: number): Promise<WebhookWithSecret | null> {
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
export const DISABLED_ERROR = 'webhook disabled: it failed every attempt for too long';

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
    await failPendingDeliveries(tx, id, DELETED_ERROR);
    return true;
  });
}

/** Ends an endpoint's pending deliveries (a send under way finishes and is recorded). */
export async function failPendingDeliveries(sql: Queryable, webhookId: string, error: string): Promise<number> {
  const rows = await sql`
    update webhook_deliveries
    set state = 'failed', last_error = ${error}, locked_until = null, finished_at = now()
    where webhook_id = ${webhookId} and state = 'pending'
    returning id`;
  return rows.length;
}

/**
 * Enables a live endpoint of the account again and closes its breaker: it gets the events
 * from now on (the deliveries failed when it was disabled can be redelivered one by one).
 * Enabling an enabled endpoint resets its breaker. Null when there is no such endpoint.
 */
export async function enableWebhook(sql: Queryable, accountId: string, id: string): Promise<Webhook | null> {
  const [row] = await sql<Webhook[]>`
    update webhooks
    set disabled_at = null, consecutive_failures = 0, failing_since = null, paused_until = null
    where id = ${id} and account_id = ${accountId} and deleted_at is null
    returning ${sql.unsafe(COLUMNS)}`;
  return row ?? null;
}

/**
 * Gives a live endpoint of the account a new secret; the one it replaces goes on signing
 * beside it for `overlapSeconds` (0: not at all), so receivers can switch without missing a
 * delivery. A rotation during an overlap drops the oldest secret. Null when there is no
 * such endpoint.
 */
export async function rotateSecret(
  sql: Queryable,
  accountId: string,
  id: string,
  overlapSeconds: number,
): Promise<WebhookWithSecret | null> {
  // The right-hand sides read the row as it was: previous_secret becomes the old secret.
  const [row] = await sql<WebhookWithSecret[]>`
    update webhooks
    set previous_secret = case when ${overlapSeconds} > 0 then secret end,
        previous_secret_until = case when ${overlapSeconds} > 0 then now() + make_interval(secs => ${overlapSeconds}) end,
        secret = ${generateSecret()}
    where id = ${id} and account_id = ${accountId} and deleted_at is null
    returning ${sql.unsafe(COLUMNS)}, secret`;
  return row ?? null;
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
  asset_id: string | null;
  state: DeliveryState;
  /** Every attempt made, redeliveries' included. */
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
  return selectDeliveries(sql, webhookId, opts);
}

/** One delivery of the endpoint, or null. */
export async function getDelivery(sql: Queryable, webhookId: string, deliveryId: string): Promise<Delivery | null> {
  const [row] = await selectDeliveries(sql, webhookId, { limit: 1, id: deliveryId });
  return row ?? null;
}

async function selectDeliveries(
  sql: Queryable,
  webhookId: string,
  o: { limit: number; beforeSeq?: number | undefined; id?: string },
): Promise<Delivery[]> {
  const rows = await sql<Omit<Delivery, 'attempt_log' | 'attempts'>[]>`
    select d.id, d.webhook_id, d.event_seq, e.type as event_type, e.asset_id, d.state,
           d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.finished_at
    from webhook_deliveries d join asset_events e on e.seq = d.event_seq
    where d.webhook_id = ${webhookId}
      ${o.beforeSeq === undefined ? sql`` : sql`and d.event_seq < ${o.beforeSeq}`}
      ${o.id === undefined ? sql`` : sql`and d.id = ${o.id}`}
    order by d.event_seq desc
    limit ${o.limit}`;
  if (rows.length === 0) return [];
  const attempts = await sql<DeliveryAttempt[]>`
    select * from webhook_attempts where delivery_id = any (${rows.map((r) => r.id)}::uuid[]) order by id`;
  const byDelivery = new Map<string, DeliveryAttempt[]>();
  for (const a of attempts) {
    let list = byDelivery.get(a.delivery_id);
    if (!list) byDelivery.set(a.delivery_id, (list = []));
    list.push(a);
  }
  return rows.map((r) => {
    const log = byDelivery.get(r.id) ?? [];
    return { ...r, attempts: log.length, attempt_log: log };
  });
}

/** The event sequence of one of the endpoint's deliveries (a page cursor), or null. */
export async function deliverySeq(sql: Queryable, webhookId: string, deliveryId: string): Promise<number | null> {
  const [row] = await sql<{ event_seq: number }[]>`
    select event_seq from webhook_deliveries where id = ${deliveryId} and webhook_id = ${webhookId}`;
  return row?.event_seq ?? null;
}

/**
 * Makes one of the endpoint's deliveries pending again, due now, with the retry schedule
 * starting over; it keeps its id (the `webhook-id` receivers deduplicate by) and its
 * attempts, and each new one adds a row. 'in_flight' when a send of it is under way (its
 * outcome is about to be recorded), null when the endpoint has no such delivery.
 */
export async function redeliver(sql: Queryable, webhookId: string, deliveryId: string): Promise<'redelivered' | 'in_flight' | null> {
  const [row] = await sql<{ in_flight: boolean; updated: boolean }[]>`
    with target as (
      select id, coalesce(state = 'pending' and locked_until >= now(), false) as in_flight
      from webhook_deliveries where id = ${deliveryId} and webhook_id = ${webhookId}
    ),
    updated as (
      -- attempts counts the current round, which the retry schedule walks.
      update webhook_deliveries d
      set state = 'pending', attempts = 0, next_attempt_at = now(), locked_until = null, finished_at = null
      from target t where d.id = t.id and not t.in_flight
      returning d.id
    )
    select t.in_flight, exists (select 1 from updated) as updated from target t`;
  if (!row) return null;
  return row.updated ? 'redelivered' : 'in_flight';
}

// --- the dispatcher's side ------------------------------------------------------------

export interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  account_id: string;
  /** Attempts made before this one, in the current round (a redelivery starts a new one). */
  attempts: number;
  url: string;
  /** The secrets that sign: the current one, then the one a rotation replaced, while its overlap lasts. */
  secrets: string[];
  webhook_deleted_at: Date | null;
  webhook_disabled_at: Date | null;
  event_seq: number;
  event_type: EventType;
  asset_id: string | null;
  event_data: Record<string, unknown>;
  event_created_at: Date;
  /** The lease's exact expiry, as text: whoever records the outcome must still hold it. */
  claim: string;
}

export interface ClaimOptions {
  limit: number;
  leaseMs: number;
  /** Sends in flight at once per account, counted over every dispatcher. */
  accountConcurrency: number;
  /** Sends in flight at once per endpoint (1 keeps its events in order); 1 while it is failing. */
  endpointConcurrency: number;
}

// Claims run one at a time (a transaction-scoped advisory lock), so the in-flight counts a
// claim reads include every claim committed before it, in any process: the caps hold
// across dispatchers. The lock covers one short statement.
const CLAIM_LOCK = 0x6b696e77; // "kinw"

/**
 * Claims up to `limit` due deliveries, holding each until `leaseMs` from now: a
 * dispatcher that dies mid-send lets go by expiry, and another sends it again (same
 * webhook-id; receivers deduplicate).
 *
 * Fair across accounts: an account holds at most `accountConcurrency` sends in flight and
 * an endpoint `endpointConcurrency`, counted from the leased rows, so one account's slow or
 * dead endpoints cannot take every slot; of the accounts with room, the one with the fewest
 * sends in flight goes first (each account's first pick, then each one's second, …), older
 * events first among equals. Within an endpoint, the oldest due event first. An endpoint
 * whose breaker is open (paused_until ahead) is skipped. SKIP LOCKED passes over rows
 * another transaction is changing (a cancel, a record) instead of waiting on them.
 */
export async function claimDeliveries(sql: Sql, o: ClaimOptions): Promise<ClaimedDelivery[]> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${CLAIM_LOCK})`;
    // A rotation's overlap that is over: the old secret goes.
    await tx`
      update webhooks set previous_secret = null, previous_secret_until = null
      where previous_secret is not null and previous_secret_until <= now()`;
    return tx<ClaimedDelivery[]>`
      with leased as (
        -- Sends in flight in any process: rows under a lease that has not run out.
        select d.webhook_id, w.account_id
        from webhook_deliveries d join webhooks w on w.id = d.webhook_id
        where d.state = 'pending' and d.locked_until >= now()
      ),
      accounts as (
        select account_id, count(*) as in_flight from leased group by account_id
      ),
      ready as (
        -- Endpoints that may take more, and how many. Deleted and disabled ones are
        -- claimed too, to fail what a concurrent event left pending for them unsent.
        select w.id, w.account_id,
               (case when w.consecutive_failures > 0 then 1 else ${o.endpointConcurrency} end)
                 - (select count(*) from leased l where l.webhook_id = w.id) as room,
               coalesce(a.in_flight, 0) as account_in_flight
        from webhooks w left join accounts a on a.account_id = w.account_id
        where (w.paused_until is null or w.paused_until <= now() or w.deleted_at is not null or w.disabled_at is not null)
          and coalesce(a.in_flight, 0) < ${o.accountConcurrency}
          and exists (
            select 1 from webhook_deliveries d
            where d.webhook_id = w.id and d.state = 'pending' and d.next_attempt_at <= now())
      ),
      candidates as (
        select c.id, c.event_seq, r.account_in_flight,
               row_number() over (partition by r.account_id order by c.nth, c.event_seq) as nth_of_account
        from ready r
        cross join lateral (
          select d.id, d.event_seq, row_number() over (order by d.event_seq) as nth
          from webhook_deliveries d
          where d.webhook_id = r.id and d.state = 'pending' and d.next_attempt_at <= now()
            and (d.locked_until is null or d.locked_until < now())
          order by d.event_seq
          limit greatest(r.room, 0)
        ) c
      ),
      picked as (
        select id from candidates
        where account_in_flight + nth_of_account <= ${o.accountConcurrency}
        -- Round robin: the least busy account's next pick first.
        order by account_in_flight + nth_of_account, event_seq
        limit ${o.limit}
      ),
      next as (
        select d.id from webhook_deliveries d
        where d.id in (select id from picked)
          and d.state = 'pending' and (d.locked_until is null or d.locked_until < now())
        for update skip locked
      )
      update webhook_deliveries d
      set locked_until = now() + make_interval(secs => ${o.leaseMs / 1000})
      from next, webhooks w, asset_events e
      where d.id = next.id and w.id = d.webhook_id and e.seq = d.event_seq
      returning d.id, d.webhook_id, w.account_id, d.attempts, w.url,
                array_remove(array[w.secret, case when w.previous_secret_until > now() then w.previous_secret end], null) as secrets,
                w.deleted_at as webhook_deleted_at, w.disabled_at as webhook_disabled_at,
                d.event_seq, e.type as event_type, e.asset_id, e.data as event_data, e.created_at as event_created_at,
                d.locked_until::text as claim`;
  });
}

export interface AttemptRecord {
  deliveryId: string;
  webhookId: string;
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

export interface BreakerPolicy {
  /** The pause after this many failed attempts in a row (0: none). */
  pauseMs(failures: number): number;
  /** An endpoint failing for this long is disabled at its next failure. */
  disableAfterSeconds: number;
}

/**
 * Records one attempt and moves the delivery on, letting go of the claim, and moves the
 * endpoint's breaker: a success closes it, a failure counts, may pause the endpoint, and
 * disables it once it has been failing for `disableAfterSeconds` (its pending deliveries
 * fail, and `webhook.disabled` is appended to the account's log, all in this transaction).
 * A delivery failed meanwhile (its endpoint deleted) stays failed, and one whose claim
 * lapsed and was taken by another dispatcher is left to that one; the attempt is recorded
 * either way. Returns the account whose log grew, if it did.
 */
export async function recordAttempt(sql: Sql, a: AttemptRecord, breaker: BreakerPolicy): Promise<string | null> {
  const delaySeconds = (a.retryInMs ?? 0) / 1000;
  return sql.begin(async (tx) => {
    // The endpoint's row first, as deleteWebhook and disabling lock it before its
    // deliveries: the other order would let the two deadlock.
    await tx`select 1 from webhooks where id = ${a.webhookId} for no key update`;
    await tx`
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
    if (a.outcome === 'succeeded') {
      await tx`
        update webhooks set consecutive_failures = 0, failing_since = null, paused_until = null
        where id = ${a.webhookId} and consecutive_failures > 0`;
      return null;
    }
    const [w] = await tx<{ account_id: string; failures: number; failing_since: Date; expired: boolean }[]>`
      update webhooks
      set consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, now())
      where id = ${a.webhookId} and deleted_at is null and disabled_at is null
      returning account_id, consecutive_failures as failures, failing_since,
                failing_since <= now() - make_interval(secs => ${breaker.disableAfterSeconds}) as expired`;
    if (!w) return null;
    if (!w.expired) {
      const pauseMs = breaker.pauseMs(w.failures);
      if (pauseMs > 0)
        await tx`update webhooks set paused_until = now() + make_interval(secs => ${pauseMs / 1000}) where id = ${a.webhookId}`;
      return null;
    }
    await tx`update webhooks set disabled_at = now(), paused_until = null where id = ${a.webhookId}`;
    await failPendingDeliveries(tx, a.webhookId, DISABLED_ERROR);
    // Names the endpoint, never its URL (which may carry credentials) or a secret.
    await appendEvent(tx, {
      accountId: w.account_id,
      assetId: null,
      type: 'webhook.disabled',
      data: { webhook_id: a.webhookId, failing_since: w.failing_since.toISOString(), failures: w.failures },
    });
    return w.account_id;
  });
}

/** Gives claims back untouched (a dispatcher stopping before it could send them). */
export async function releaseDeliveries(sql: Sql, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`update webhook_deliveries set locked_until = null where id = any (${ids}::uuid[]) and state = 'pending'`;
}

/** Fails a claimed delivery without sending it (its endpoint was deleted or disabled). */
export async function failUnsent(sql: Sql, id: string, error: string): Promise<void> {
  await sql`
    update webhook_deliveries
    set state = 'failed', last_error = ${error}, locked_until = null, finished_at = now()
    where id = ${id} and state = 'pending'`;
}
