import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceEvents, appendEvent, appendEvents, createRedisBus, type RedisBus } from '@kino/events';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

// The defaults (WEBHOOK_CONCURRENCY 8 per process, WEBHOOK_ACCOUNT_CONCURRENCY 4), with a
// short timeout so A's dead endpoints time out, fail and get paused during the test.
let h: ApiHarness;
let bus: RedisBus;
const sockets = new Set<Socket>();
const dead: Server[] = [];
beforeAll(async () => {
  h = await startApiHarness({ WEBHOOK_TIMEOUT_MS: '3000' });
  bus = createRedisBus(h.config.redisUrl);
});
afterAll(async () => {
  bus?.close();
  for (const s of sockets) s.destroy();
  await Promise.all(dead.map((s) => new Promise((r) => s.close(r))));
  await h?.close();
});

const accountOf = async (key: string) =>
  (await h.db.sql`select account_id from api_keys where prefix = ${key.slice(0, 13)}`)[0]!.account_id as string;

async function createHook(key: string, url: string): Promise<string> {
  const res = await fetch(`${h.api.url}/v1/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** A listener that accepts connections and never answers; counts them. */
async function deadEndpoint(counter: { connections: number }): Promise<string> {
  const server = createServer((socket) => {
    counter.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume(); // read the request, answer nothing
  });
  dead.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

describe('webhooks that one account cannot clog', () => {
  it("account B's endpoint receives each delivery within 2 s while account A's 50 endpoints never answer", async () => {
    const [a, b] = [await accountOf(h.keyA), await accountOf(h.keyB)];
    const counter = { connections: 0 };
    for (let i = 0; i < 50; i++) await createHook(h.keyA, await deadEndpoint(counter));

    // B's receiver notes when each event arrived.
    const arrivals = new Map<number, number>();
    const rx = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        arrivals.set(JSON.parse(body).data.id, Date.now());
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
    await createHook(h.keyB, `http://127.0.0.1:${(rx.address() as AddressInfo).port}/hook`);

    // A's burst: 20 events, 1000 deliveries to endpoints that hold every send to its timeout.
    await appendEvents(
      h.db.sql,
      Array.from({ length: 20 }, () => ({ accountId: a, assetId: randomUUID(), type: 'job.progress' as const })),
    );
    announceEvents(bus.redis, a);
    await expect.poll(() => counter.connections, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);

    // B's events, one every half second for 8 s, while A's sends time out, fail and pause.
    const latencies: number[] = [];
    let peakA = 0;
    for (let i = 0; i < 16; i++) {
      const e = await appendEvent(h.db.sql, { accountId: b, assetId: randomUUID(), type: 'asset.hls_ready' });
      announceEvents(bus.redis, b);
      await expect.poll(() => arrivals.has(e.seq), { timeout: 5_000, interval: 10 }).toBe(true);
      latencies.push(arrivals.get(e.seq)! - e.created_at.getTime());
      const [row] = await h.db.sql<{ n: number }[]>`
        select count(*)::int as n from webhook_deliveries d join webhooks w on w.id = d.webhook_id
        where w.account_id = ${a} and d.state = 'pending' and d.locked_until >= now()`;
      peakA = Math.max(peakA, row!.n);
      await new Promise((r) => setTimeout(r, 500));
    }
    // A was really clogging its share of the slots the whole time, and no more than it.
    expect(peakA).toBe(4);
    expect(Math.max(...latencies)).toBeLessThan(2_000);
    await new Promise((r) => rx.close(r));
  }, 40_000);
});
