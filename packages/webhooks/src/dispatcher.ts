import type { Sql } from '@kino/db';
import { announceEvents, EVENTS_CHANNEL, envelope, type EventEnvelope, type RedisBus, type Subscription } from '@kino/events';
import { breakerPauseMs } from './breaker.ts';
import {
  claimDeliveries,
  DELETED_ERROR,
  DISABLED_ERROR,
  failUnsent,
  recordAttempt,
  releaseDeliveries,
  type BreakerPolicy,
  type ClaimedDelivery,
} from './store.ts';
import { DEFAULT_RETRY_SCHEDULE_MS, retryDelayMs } from './retry.ts';
import { createWebhookAgent, sendWebhook, type SendResult } from './send.ts';
import { webhookHeaders } from './signing.ts';

export interface DispatcherLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DispatcherOptions {
  sql: Sql;
  /** Wake-ups: every api process publishes new events on EVENTS_CHANNEL. Unset: poll only. */
  bus?: RedisBus | undefined;
  /** Deliver to private, loopback and link-local addresses (development only). */
  allowPrivate: boolean;
  /** Bound of one attempt, from connecting to the end of the response. */
  timeoutMs: number;
  /** Sends in flight at once in this process. */
  concurrency: number;
  /** Sends in flight at once per account, over every dispatcher. */
  accountConcurrency: number;
  /** Sends in flight at once per endpoint, over every dispatcher (above 1, its events may arrive out of order). */
  endpointConcurrency: number;
  /** An endpoint failing every attempt for this long is disabled. */
  disableAfterSeconds: number;
  /** Polling fallback for missed wake-ups and for retries coming due. */
  pollIntervalMs: number;
  /** Waits before each retry; its length is the number of retries. */
  retryScheduleMs?: readonly number[] | undefined;
  log?: DispatcherLogger | undefined;
}

export interface WebhookDispatcher {
  start(): Promise<void>;
  /** Stops claiming, lets sends in flight finish (each bounded by the timeout), releases claims. */
  stop(): Promise<void>;
  /** Looks for due deliveries now. */
  wake(): void;
}

const quiet: DispatcherLogger = { warn: () => {}, error: () => {} };

/**
 * Sends the webhook outbox (webhook_deliveries, filled by appendEvents in each event's
 * own transaction). Any number of dispatchers, in any number of processes, may run on one
 * database: claims are row locks with a lease.
 */
export function createWebhookDispatcher(o: DispatcherOptions): WebhookDispatcher {
  const log = o.log ?? quiet;
  const schedule = o.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
  // A claim outlives its send by a margin, so a live dispatcher never loses one it holds.
  const leaseMs = o.timeoutMs + 30_000;
  const agent = createWebhookAgent({ allowPrivate: o.allowPrivate, timeoutMs: o.timeoutMs });
  const stopping = new AbortController();

  let running = false;
  let poller: NodeJS.Timeout | undefined;
  let subscription: Subscription | undefined;
  /** Claimed deliveries not yet recorded or released, with their sends. */
  const inFlight = new Map<string, Promise<void>>();
  let pumping: Promise<void> | null = null;
  let again = false;

  function wake(): void {
    if (!running) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = pump().finally(() => {
      pumping = null;
      // A wake that landed after the loop's last check must not be lost.
      if (again && running) wake();
    });
  }

  async function pump(): Promise<void> {
    try {
      do {
        again = false;
        const free = o.concurrency - inFlight.size;
        if (free <= 0) return;
        const claimed = await claimDeliveries(o.sql, {
          limit: free,
          leaseMs,
          accountConcurrency: o.accountConcurrency,
          endpointConcurrency: o.endpointConcurrency,
        });
        for (const d of claimed) launch(d);
        // A full batch may have left more behind.
        if (claimed.length === free) again = true;
      } while (again && running);
    } catch (err) {
      again = false; // no tight loop against a database that is away
      log.warn({ err }, 'claiming webhook deliveries failed; retrying at the next poll');
    }
  }

  function launch(d: ClaimedDelivery): void {
    const done = deliver(d)
      .catch((err) => log.error({ err, delivery_id: d.id }, 'recording a webhook attempt failed; the claim lapses and it is sent again'))
      .finally(() => {
        inFlight.delete(d.id);
        wake();
      });
    inFlight.set(d.id, done);
  }

  async function deliver(d: ClaimedDelivery): Promise<void> {
    if (d.webhook_deleted_at) return failUnsent(o.sql, d.id, DELETED_ERROR);
    if (d.webhook_disabled_at) return failUnsent(o.sql, d.id, DISABLED_ERROR);
    const body = JSON.stringify(webhookPayload(d));
    const r = await sendWebhook(d.url, webhookHeaders(d.secrets, d.id, body), body, {
      dispatcher: agent,
      allowPrivate: o.allowPrivate,
      timeoutMs: o.timeoutMs,
      stopSignal: stopping.signal,
    });
    if (r.aborted) return releaseDeliveries(o.sql, [d.id]);
    const attempt = d.attempts + 1;
    const { outcome, retryInMs } = decide(r, attempt);
    const breaker: BreakerPolicy = {
      pauseMs: (failures) => breakerPauseMs(failures, schedule, r.retryAfterMs),
      disableAfterSeconds: o.disableAfterSeconds,
    };
    const grew = await recordAttempt(
      o.sql,
      {
        deliveryId: d.id,
        webhookId: d.webhook_id,
        claim: d.claim,
        durationMs: r.durationMs,
        status: r.status,
        error: r.error,
        responseBody: r.responseBody,
        outcome,
        retryInMs,
      },
      breaker,
    );
    // webhook.disabled was appended: wake the account's readers (and its other endpoints' sends).
    if (grew && o.bus) announceEvents(o.bus.redis, grew);
  }

  function decide(r: SendResult, attempt: number): { outcome: 'succeeded' | 'failed' | 'pending'; retryInMs?: number } {
    if (r.status !== null && r.status >= 200 && r.status < 300) return { outcome: 'succeeded' };
    // A refused address will not become acceptable by waiting; 410 Gone is the receiver
    // saying it wants no more (Standard Webhooks, "Delivery success and failure").
    if (r.blocked || r.status === 410) return { outcome: 'failed' };
    const delay = retryDelayMs(attempt, schedule);
    if (delay === null) return { outcome: 'failed' };
    // Retry-After may push the next attempt later, never past the longest step.
    const longest = Math.max(...schedule);
    return { outcome: 'pending', retryInMs: Math.max(delay, Math.min(r.retryAfterMs ?? 0, longest)) };
  }

  return {
    wake,
    async start() {
      if (running) return;
      running = true;
      poller = setInterval(wake, o.pollIntervalMs);
      poller.unref();
      if (o.bus) {
        // A lost message only delays a delivery until the next poll. The subscription is
        // queued until Redis answers and renewed on every reconnect; start waits for it a
        // little, so events announced right after start wake us.
        subscription = o.bus.subscribe(EVENTS_CHANNEL, () => wake());
        let timer: NodeJS.Timeout | undefined;
        const ok = await Promise.race([subscription.ready, new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 2_000)))]);
        clearTimeout(timer);
        if (!ok) log.warn({}, 'redis is not reachable yet; webhook deliveries fall back to polling until it is');
      }
      wake();
    },
    async stop() {
      if (!running) return;
      running = false;
      clearInterval(poller);
      subscription?.close();
      subscription = undefined;
      await pumping;
      // Each send ends by its own timeout; the grace beyond it only covers recording.
      const settled = Promise.allSettled([...inFlight.values()]);
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        settled.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), o.timeoutMs + 5_000))),
      ]);
      clearTimeout(timer);
      if (late) {
        stopping.abort();
        await Promise.race([settled, new Promise((r) => setTimeout(r, 5_000))]);
        await releaseDeliveries(o.sql, [...inFlight.keys()]).catch(() => {});
      }
      await agent.close().catch(() => {});
    },
  };
}

/**
 * The body of a delivery, in the shape Standard Webhooks recommends: `type`, `timestamp`
 * (when the event happened) and `data`, which is the event exactly as `GET /v1/events`
 * sends it (id, type, asset_id, created_at, data).
 */
export function webhookPayload(d: ClaimedDelivery): { type: string; timestamp: string; data: EventEnvelope } {
  const event = envelope({
    seq: d.event_seq,
    account_id: d.account_id,
    asset_id: d.asset_id,
    type: d.event_type,
    data: d.event_data,
    created_at: d.event_created_at,
  });
  return { type: event.type, timestamp: event.created_at, data: event };
}
