// B's webhook latency behind A's dead endpoints: one api (the defaults: WEBHOOK_CONCURRENCY
// 8, WEBHOOK_ACCOUNT_CONCURRENCY 4, WEBHOOK_TIMEOUT_MS 10 s), account B with one receiver
// that answers at once, account A with 50 endpoints that accept connections and never
// answer and a burst of events for them. B's latency is from the event's commit time to
// its arrival at B's receiver: first with A idle (the reference), then behind A.
// Importable without side effects; the caller prints and records the result.
import { randomUUID } from 'node:crypto';
import { announceEvents, appendEvent, appendEvents, createRedisBus, type RedisBus } from '@kino/events';
import { startApiHarness, startArrivalReceiver, startSilentListeners, type ApiHarness, type ArrivalReceiver } from '@kino/testkit-stack';
import { median, sleep } from './util.ts';

export interface WebhookLatency {
  deliveries: number;
  p50Ms: number;
  maxMs: number;
}

export interface WebhookFairness {
  /** B's latency with A idle. */
  reference: WebhookLatency;
  /** B's latency while A's 50 dead endpoints hold every send they get to the timeout. */
  behindDeadEndpoints: WebhookLatency;
  /** The most sends A held in flight at once, as sampled (its cap is WEBHOOK_ACCOUNT_CONCURRENCY). */
  aPeakInFlight: number;
}

export interface WebhookFairnessOptions {
  /** B's events per phase (default 40), one every `intervalMs` (default 250). */
  events?: number;
  intervalMs?: number;
  /** A's burst (default 20 events, so 1000 deliveries). */
  burst?: number;
  /** Extra api environment (e.g. WEBHOOK_ACCOUNT_CONCURRENCY to compare settings). */
  env?: Record<string, string>;
}

export async function benchWebhookFairness(o: WebhookFairnessOptions = {}): Promise<WebhookFairness> {
  const events = o.events ?? 40;
  const intervalMs = o.intervalMs ?? 250;
  const h = await startApiHarness(o.env);
  const bus = createRedisBus(h.config.redisUrl);
  const [dead, rx] = await Promise.all([startSilentListeners(50), startArrivalReceiver()]);
  try {
    const [a, b] = await Promise.all([accountOf(h, h.keyA), accountOf(h, h.keyB)]);
    await createHook(h, h.keyB, rx.url);
    const reference = await latencies(h, bus, rx, b, events, intervalMs);

    for (const url of dead.urls) await createHook(h, h.keyA, url);
    await appendEvents(
      h.db.sql,
      Array.from({ length: o.burst ?? 20 }, () => ({ accountId: a, assetId: randomUUID(), type: 'job.progress' as const })),
    );
    announceEvents(bus.redis, a);
    while (dead.connections() === 0) await sleep(20);
    let aPeakInFlight = 0;
    let stop = false;
    const sampling = (async () => {
      for (let done = false; !done; await sleep(50)) {
        const [row] = await h.db.sql<{ n: number }[]>`
          select count(*)::int as n from webhook_deliveries d join webhooks w on w.id = d.webhook_id
          where w.account_id = ${a} and d.state = 'pending' and d.locked_until >= now()`;
        aPeakInFlight = Math.max(aPeakInFlight, row!.n);
        done = stop;
      }
    })();
    const behindDeadEndpoints = await latencies(h, bus, rx, b, events, intervalMs);
    stop = true;
    await sampling;
    return { reference, behindDeadEndpoints, aPeakInFlight };
  } finally {
    bus.close();
    // Dropping A's connections fails its sends at once, so the api stops without waiting them out.
    await Promise.all([dead.close(), rx.close()]);
    await h.close();
  }
}

async function accountOf(h: ApiHarness, key: string): Promise<string> {
  return (await h.db.sql`select account_id from api_keys where prefix = ${key.slice(0, 13)}`)[0]!.account_id as string;
}

async function createHook(h: ApiHarness, key: string, url: string): Promise<void> {
  const res = await fetch(`${h.api.url}/v1/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
  });
  if (res.status !== 201) throw new Error(`POST /v1/webhooks answered ${res.status}: ${await res.text()}`);
}

/** B's events one by one, each waited for (up to a minute), and their latencies. */
async function latencies(h: ApiHarness, bus: RedisBus, rx: ArrivalReceiver, account: string, n: number, intervalMs: number) {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = await appendEvent(h.db.sql, { accountId: account, assetId: randomUUID(), type: 'asset.hls_ready' });
    announceEvents(bus.redis, account);
    const deadline = Date.now() + 60_000;
    while (!rx.arrivals.has(e.seq)) {
      if (Date.now() > deadline) throw new Error(`event ${e.seq} never reached B's receiver`);
      await sleep(5);
    }
    ms.push(rx.arrivals.get(e.seq)! - e.created_at.getTime());
    await sleep(intervalMs);
  }
  return { deliveries: ms.length, p50Ms: median(ms), maxMs: Math.max(...ms) } satisfies WebhookLatency;
}
