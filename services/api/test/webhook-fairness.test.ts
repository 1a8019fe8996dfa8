import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceEvents, appendEvent, appendEvents, createRedisBus, type RedisBus } from '@kino/events';
import {
  startApiHarness,
  startArrivalReceiver,
  startSilentListeners,
  type ApiHarness,
  type ArrivalReceiver,
  type SilentListeners,
} from '@kino/testkit-stack';

// The defaults (WEBHOOK_CONCURRENCY 8 per process, WEBHOOK_ACCOUNT_CONCURRENCY 4), with a
// short timeout so A's dead endpoints time out, fail and get paused during the test.
let h: ApiHarness;
let bus: RedisBus;
let dead: SilentListeners;
let rx: ArrivalReceiver;
beforeAll(async () => {
  h = await startApiHarness({ WEBHOOK_TIMEOUT_MS: '3000' });
  bus = createRedisBus(h.config.redisUrl);
  [dead, rx] = await Promise.all([startSilentListeners(50), startArrivalReceiver()]);
});
afterAll(async () => {
  bus?.close();
  await Promise.all([dead?.close(), rx?.close()]);
  await h?.close();
});

const accountOf = async (key: string) =>
  (await h.db.sql`select account_id from api_keys where prefix = ${key.slice(0, 13)}`)[0]!.account_id as string;

async function createHook(key: string, url: string): Promise<void> {
  const res = await fetch(`${h.api.url}/v1/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
  });
  expect(res.status).toBe(201);
}

describe('webhooks that one account cannot clog', () => {
  it("account B's endpoint receives each delivery within 2 s while account A's 50 endpoints never answer", async () => {
    const [a, b] = [await accountOf(h.keyA), await accountOf(h.keyB)];
    for (const url of dead.urls) await createHook(h.keyA, url);
    await createHook(h.keyB, rx.url);

    // A's burst: 20 events, 1000 deliveries to endpoints that hold every send to its timeout.
    await appendEvents(
      h.db.sql,
      Array.from({ length: 20 }, () => ({ accountId: a, assetId: randomUUID(), type: 'job.progress' as const })),
    );
    announceEvents(bus.redis, a);
    await expect.poll(() => dead.connections(), { timeout: 10_000 }).toBeGreaterThanOrEqual(4);

    // B's events, one every half second for 8 s, while A's sends time out, fail and pause.
    const latencies: number[] = [];
    let peakA = 0;
    for (let i = 0; i < 16; i++) {
      const e = await appendEvent(h.db.sql, { accountId: b, assetId: randomUUID(), type: 'asset.hls_ready' });
      announceEvents(bus.redis, b);
      await expect.poll(() => rx.arrivals.has(e.seq), { timeout: 5_000, interval: 10 }).toBe(true);
      latencies.push(rx.arrivals.get(e.seq)! - e.created_at.getTime());
      const [row] = await h.db.sql<{ n: number }[]>`
        select count(*)::int as n from webhook_deliveries d join webhooks w on w.id = d.webhook_id
        where w.account_id = ${a} and d.state = 'pending' and d.locked_until >= now()`;
      peakA = Math.max(peakA, row!.n);
      await new Promise((r) => setTimeout(r, 500));
    }
    // A was really holding its share of the slots, and no more than it.
    expect(peakA).toBe(4);
    expect(Math.max(...latencies)).toBeLessThan(2_000);
  }, 40_000);
});
