import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '@kino/db';
import { announceEvents, appendEvent, appendEvents, createRedisBus, type EventType } from '@kino/events';
import { createTestDatabase, type TestDatabase } from '@kino/testkit';
import {
  createWebhook,
  createWebhookDispatcher,
  DISABLED_ERROR,
  enableWebhook,
  listDeliveries,
  signPayload,
  type DispatcherOptions,
  type WebhookDispatcher,
} from '../src/index.ts';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on loopback whose answer each test decides. */
async function startReceiver(answer: (n: number, req: IncomingMessage, res: ServerResponse) => void = (_n, _q, res) => res.end('ok')) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers, body });
      answer(received.length, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let db: TestDatabase;
let _accountId: string;
const dispatchers: WebhookDispatcher[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
  _accountId = (await createAccount(db.sql, 'hooks')).id;
});
// Dispatchers share the database: each test stops its own, so none claims the next one's.
afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
});
afterAll(() => db?.drop());

function dispatcher(o: Partial<DispatcherOptions> = {}): WebhookDispatcher {
  const d = createWebhookDispatcher({
    sql: db.sql,
    allowPrivate: true,
    timeoutMs: 5_000,
    concurrency: 4,
    accountConcurrency: 4,
    endpointConcurrency: 1,
    disableAfterSeconds: 3600,
    pollIntervalMs: 50,
    retryScheduleMs: [10, 10, 10],
    ...o,
  });
  dispatchers.push(d);
  return d;
}

/** Each test gets its own account, so no other test's webhook receives its events. */
async function hookFor(url: string, eventTypes?: EventType[]) {
  const account = (await createAccount(db.sql, 'x')).id;
  const hook = await createWebhook(db.sql, { accountId: account, url, eventTypes });
  const emit = (type: EventType = 'asset.created', assetId = randomUUID()) => appendEvent(db.sql, { accountId: account, assetId, type });
  return { account, hook, emit };
}

const settled = (webhookId: string, n = 1) =>
  waitFor('deliveries to settle', async () => {
    const ds = await listDeliveries(db.sql, webhookId, { limit: 100 });
    return ds.length >= n && ds.every((d) => d.state !== 'pending') && ds;
  });

/** After a delivery's first failed attempt: the wait before the next one, as the outbox row records it (ms). */
async function scheduledWait(webhookId: string): Promise<number> {
  const [row] = await waitFor('the first attempt to be recorded', async () => {
    const rows = await db.sql<{ wait_ms: number }[]>`
      select (extract(epoch from d.next_attempt_at - a.attempted_at) * 1000)::float8 as wait_ms
      from webhook_deliveries d join webhook_attempts a on a.delivery_id = d.id
      where d.webhook_id = ${webhookId} and d.attempts = 1`;
    return rows.length > 0 && rows;
  });
  return Math.round(row!.wait_ms);
}

describe('the webhook dispatcher', () => {
  it('signs the envelope per Standard Webhooks', async () => {
    expect(signPayload('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    ); // the spec's published test vector
    const rx = await startReceiver();
    const { hook, emit } = await hookFor(rx.url);
    const d = dispatcher();
    await d.start();
    const event = await emit('asset.hls_ready');
    const [delivery] = await settled(hook.id);
    const got = rx.received[0]!;
    // Standard Webhooks' recommended shape; data is the event as GET /v1/events sends it.
    expect(JSON.parse(got.body)).toEqual({
      type: 'asset.hls_ready',
      timestamp: event.created_at.toISOString(),
      data: { id: event.seq, type: 'asset.hls_ready', asset_id: event.asset_id, created_at: event.created_at.toISOString(), data: {} },
    });
    expect(got.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': delivery!.id,
      'user-agent': expect.stringMatching(/^Kino-Webhooks\//),
    });
    expect(got.headers['webhook-signature']).toBe(
      signPayload(hook.secret, delivery!.id, Number(got.headers['webhook-timestamp']), got.body),
    );
    expect(delivery).toMatchObject({ state: 'succeeded', attempts: 1, last_status: 200 });
    await rx.close();
  });

  it('retries failures on the schedule with the same webhook-id, then gives up', async () => {
    const rx = await startReceiver((_n, _q, res) => res.writeHead(503).end('down for maintenance'));
    const { hook, emit } = await hookFor(rx.url);
    await dispatcher().start();
    await emit();
    const [delivery] = await settled(hook.id);
    // Three retries on the schedule: four attempts in all.
    expect(delivery).toMatchObject({ state: 'failed', attempts: 4, last_status: 503, last_error: 'HTTP 503' });
    expect(delivery!.attempt_log.map((a) => [a.status, a.response_body])).toEqual(Array(4).fill([503, 'down for maintenance']));
    expect(new Set(rx.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery!.id]));
    expect(rx.received).toHaveLength(4);
    await rx.close();
  });

  it('stops at once on 410 Gone and on a redirect counts a failure without following it', async () => {
    const gone = await startReceiver((_n, _q, res) => res.writeHead(410).end());
    const moved = await startReceiver((n, _q, res) => (n === 1 ? res.writeHead(301, { location: '/other' }).end() : res.end()));
    const a = await hookFor(gone.url);
    const b = await hookFor(moved.url);
    await dispatcher().start();
    await Promise.all([a.emit(), b.emit()]);
    expect((await settled(a.hook.id))[0]).toMatchObject({ state: 'failed', attempts: 1, last_status: 410 });
    const [redirected] = await settled(b.hook.id);
    expect(redirected!.attempt_log.map((x) => x.status)).toEqual([301, 200]);
    expect(moved.received.every((r) => r.headers['webhook-id'] === redirected!.id)).toBe(true);
    await Promise.all([gone.close(), moved.close()]);
  });

  it('records a timeout and retries it', async () => {
    const rx = await startReceiver((n, _q, res) => (n === 1 ? setTimeout(() => res.end(), 2_000) : res.end()));
    const { hook, emit } = await hookFor(rx.url);
    await dispatcher({ timeoutMs: 300 }).start();
    await emit();
    const [delivery] = await settled(hook.id);
    expect(delivery!.attempt_log.map((a) => [a.status, a.error])).toEqual([
      [null, expect.stringMatching(/^timeout/)],
      [200, null],
    ]);
    await rx.close();
  });

  it('sends one endpoint its events one at a time, in sequence order', async () => {
    // Two endpoints on one receiver, counted apart by path. The first request of each is held
    // until the other endpoint's first has arrived too, so the receiver does see two sends at
    // once (the count can tell); each endpoint must never have two.
    const inFlight = new Map<string, number>();
    const maxInFlight = new Map<string, number>();
    let overall = 0;
    let maxOverall = 0;
    const firsts: Array<() => void> = [];
    const rx = await startReceiver((_n, req, res) => {
      const path = req.url!;
      inFlight.set(path, (inFlight.get(path) ?? 0) + 1);
      maxInFlight.set(path, Math.max(maxInFlight.get(path) ?? 0, inFlight.get(path)!));
      maxOverall = Math.max(maxOverall, ++overall);
      res.on('finish', () => {
        inFlight.set(path, inFlight.get(path)! - 1);
        overall--;
      });
      const answer = () => setTimeout(() => res.end(), 5);
      if (firsts.length < 2 && !seenPaths.has(path)) {
        seenPaths.add(path);
        firsts.push(answer);
        if (firsts.length === 2) for (const f of firsts) f();
      } else {
        answer();
      }
    });
    const seenPaths = new Set<string>();
    const a = await hookFor(rx.url.replace('/hook', '/a'));
    const b = await hookFor(rx.url.replace('/hook', '/b'));
    const assetId = randomUUID();
    const eventsA = await appendEvents(
      db.sql,
      Array.from({ length: 8 }, () => ({ accountId: a.account, assetId, type: 'job.progress' as const })),
    );
    const eventsB = await appendEvents(
      db.sql,
      Array.from({ length: 8 }, () => ({ accountId: b.account, assetId, type: 'job.progress' as const })),
    );
    await dispatcher({ concurrency: 8 }).start();
    await Promise.all([settled(a.hook.id, 8), settled(b.hook.id, 8)]);
    const idsAt = (path: string) => rx.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body).data.id);
    expect(idsAt('/a')).toEqual(eventsA.map((e) => e.seq));
    expect(idsAt('/b')).toEqual(eventsB.map((e) => e.seq));
    expect(maxOverall).toBe(2);
    expect(Object.fromEntries(maxInFlight)).toEqual({ '/a': 1, '/b': 1 });
    await rx.close();
  });

  it('honours Retry-After, never past the longest step of the schedule', async () => {
    // Each answer names its own Retry-After; the schedule's own steps are 10 s and 60 s.
    const retryAfter = [() => '30', () => '3600', () => new Date(Date.now() + 50_000).toUTCString()];
    const rx = await startReceiver((n, _q, res) => res.writeHead(503, { 'retry-after': retryAfter[n - 1]!() }).end());
    const hooks = await Promise.all(retryAfter.map(() => hookFor(rx.url)));
    await dispatcher({ retryScheduleMs: [10_000, 60_000] }).start();
    const waits: number[] = [];
    for (const h of hooks) {
      await h.emit();
      // One at a time, so the n-th request is this hook's.
      waits.push(await scheduledWait(h.hook.id));
    }
    // Seconds: exactly that wait (it is longer than the jittered 10 s step).
    expect(waits[0]).toBe(30_000);
    // Far longer than the schedule allows: capped at its longest step.
    expect(waits[1]).toBe(60_000);
    // An HTTP date 50 s ahead: the time until then (whole seconds), well past the 10 s step's
    // jitter band (at most 12 s) and never beyond the date.
    expect(waits[2]).toBeGreaterThan(12_000);
    expect(waits[2]).toBeLessThanOrEqual(50_000);
    await rx.close();
    await db.sql`delete from webhook_deliveries where webhook_id = any (${hooks.map((h) => h.hook.id)}::uuid[])`;
  });

  it('without Retry-After waits the jittered step of the schedule', async () => {
    const rx = await startReceiver((_n, _q, res) => res.writeHead(500).end());
    const h = await hookFor(rx.url);
    await dispatcher({ retryScheduleMs: [10_000, 60_000] }).start();
    await h.emit();
    const wait = await scheduledWait(h.hook.id);
    expect(wait).toBeGreaterThanOrEqual(8_000);
    expect(wait).toBeLessThanOrEqual(12_000);
    await rx.close();
    await db.sql`delete from webhook_deliveries where webhook_id = ${h.hook.id}`;
  });

  it('wakes on an event announcement instead of waiting for the poll', async () => {
    const rx = await startReceiver();
    const { hook, emit, account } = await hookFor(rx.url);
    const bus = createRedisBus(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    await dispatcher({ pollIntervalMs: 600_000, bus }).start();
    try {
      await emit();
      announceEvents(bus.redis, account);
      await settled(hook.id);
      expect(rx.received).toHaveLength(1);
    } finally {
      bus.close();
      await rx.close();
    }
  });

  it('lets several dispatchers share the outbox without sending anything twice', async () => {
    const rx = await startReceiver();
    const hooks = await Promise.all([1, 2, 3, 4].map(() => hookFor(rx.url)));
    const [d1, d2] = [dispatcher(), dispatcher()];
    await Promise.all([d1.start(), d2.start()]);
    for (let i = 0; i < 5; i++) await Promise.all(hooks.map((h) => h.emit()));
    for (const h of hooks) await settled(h.hook.id, 5);
    const ids = rx.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    await rx.close();
  });

  it('refuses a private address when not allowed: recorded, failed at once, nothing sent', async () => {
    const rx = await startReceiver();
    const { hook, emit } = await hookFor(rx.url.replace('127.0.0.1', 'localhost'));
    await dispatcher({ allowPrivate: false }).start();
    await emit();
    const [delivery] = await settled(hook.id);
    expect(delivery).toMatchObject({ state: 'failed', attempts: 1, last_status: null });
    expect(delivery!.attempt_log[0]!.error).toMatch(/^blocked: private address \((127\.0\.0\.1|::1)\)$/);
    expect(rx.received).toHaveLength(0);
    await rx.close();
  });

  it('on stop lets a send in flight finish and records it', async () => {
    let release!: () => void;
    const answered = new Promise<void>((r) => (release = r));
    const rx = await startReceiver((_n, _q, res) => void answered.then(() => res.end('late but fine')));
    const { hook, emit } = await hookFor(rx.url);
    const d = dispatcher();
    await d.start();
    await emit();
    await waitFor('the request to arrive', () => rx.received.length === 1);
    const stopped = d.stop();
    setTimeout(release, 100);
    await stopped;
    const [delivery] = await listDeliveries(db.sql, hook.id, { limit: 10 });
    expect(delivery).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect((await db.sql`select locked_until from webhook_deliveries where id = ${delivery!.id}`)[0]!.locked_until).toBeNull();
    await rx.close();
  });

  it('holds an account to its cap and an endpoint to its own, counted across dispatchers, while other accounts go on', async () => {
    // The receiver holds every request to /x* until released; /y answers at once.
    const held: Array<() => void> = [];
    const open = new Map<string, number>();
    const peak = { account: 0, endpoint: 0 };
    const rx = await startReceiver((_n, req, res) => {
      if (!req.url!.startsWith('/x')) return void res.end();
      open.set(req.url!, (open.get(req.url!) ?? 0) + 1);
      peak.account = Math.max(
        peak.account,
        [...open.values()].reduce((a, b) => a + b, 0),
      );
      peak.endpoint = Math.max(peak.endpoint, ...open.values());
      held.push(() => {
        open.set(req.url!, open.get(req.url!)! - 1);
        res.end();
      });
    });
    const x = (await createAccount(db.sql, 'x')).id;
    const xHooks = await Promise.all(['/x1', '/x2'].map((p) => createWebhook(db.sql, { accountId: x, url: rx.url.replace('/hook', p) })));
    const y = await hookFor(rx.url.replace('/hook', '/y'));
    const events = (n: number) =>
      appendEvents(
        db.sql,
        Array.from({ length: n }, () => ({ accountId: x, assetId: randomUUID(), type: 'job.progress' as const })),
      );
    await events(6); // 12 deliveries: each endpoint could take 2 at once, the account 3
    const opts = { concurrency: 8, accountConcurrency: 3, endpointConcurrency: 2 };
    await Promise.all([dispatcher(opts).start(), dispatcher(opts).start()]);
    await waitFor('the account to be at its cap', () => held.length === 3);
    // Y's event is newer than all of X's, and 13 slots are free: once it arrived, a claim
    // ran after X reached its cap, and passed X's due deliveries over.
    await y.emit();
    await settled(y.hook.id);
    const leased = await db.sql<{ n: number }[]>`
      select count(*)::int as n from webhook_deliveries
      where webhook_id = any (${xHooks.map((h) => h.id)}::uuid[]) and state = 'pending' and locked_until >= now()`;
    expect(leased[0]!.n).toBe(3);
    expect(held).toHaveLength(3);
    // Let everything through, one at a time as it arrives.
    const drain = setInterval(() => {
      for (const release of held.splice(0)) release();
    }, 5);
    try {
      for (const h of xHooks) await settled(h.id, 6);
    } finally {
      clearInterval(drain);
    }
    expect(peak).toEqual({ account: 3, endpoint: 2 });
    await rx.close();
  });

  it('pauses an endpoint after three failures in a row, then disables it with a webhook.disabled event naming no URL or secret', async () => {
    let healthy = false;
    const rx = await startReceiver((_n, req, res) => res.writeHead(healthy || req.url === '/watch' ? 200 : 500).end());
    const url = `${rx.url}?token=s3cr3t-in-the-url`;
    const { account, hook, emit } = await hookFor(url);
    // Another endpoint of the account hears of it.
    const watcher = await createWebhook(db.sql, {
      accountId: account,
      url: rx.url.replace('/hook', '/watch'),
      eventTypes: ['webhook.disabled'],
    });
    await dispatcher({ retryScheduleMs: [300, 300, 300, 300, 300, 300, 300, 300], disableAfterSeconds: 1 }).start();
    for (let i = 0; i < 4; i++) await emit();

    const attemptTimes = async () =>
      (
        await db.sql<{ t: number }[]>`
          select extract(epoch from a.attempted_at) * 1000 as t
          from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id
          where d.webhook_id = ${hook.id} order by a.attempted_at`
      ).map((r) => Number(r.t));
    // The first three go at once (one at a time, the next delivery as soon as one fails);
    // the third failure opens the breaker: nothing for a pause of at least 300 ms - 20 %.
    const times = await waitFor('a fourth attempt', async () => {
      const ts = await attemptTimes();
      return ts.length >= 4 && ts;
    });
    expect(times[3]! - times[2]!).toBeGreaterThanOrEqual(240);

    // Failing for a second: disabled, its pending deliveries failed, the event appended.
    const [row] = await waitFor('the endpoint to be disabled', async () => {
      const rows =
        await db.sql`select disabled_at, paused_until, consecutive_failures from webhooks where id = ${hook.id} and disabled_at is not null`;
      return rows.length > 0 && rows;
    });
    expect(row).toMatchObject({ paused_until: null, consecutive_failures: expect.any(Number) });
    const ds = await listDeliveries(db.sql, hook.id, { limit: 10 });
    expect(ds.filter((d) => d.state === 'pending')).toEqual([]);
    expect(ds.some((d) => d.last_error === DISABLED_ERROR)).toBe(true);
    const [event] = await db.sql`select * from asset_events where account_id = ${account} and type = 'webhook.disabled'`;
    expect(event).toMatchObject({
      asset_id: null,
      data: { webhook_id: hook.id, failing_since: expect.any(String), failures: row!.consecutive_failures },
    });
    const [told] = await settled(watcher.id);
    const body = rx.received.find((r) => r.path === '/watch')!.body;
    expect(JSON.parse(body)).toMatchObject({ type: 'webhook.disabled', data: { id: event!.seq, asset_id: null, data: event!.data } });
    expect(told!.state).toBe('succeeded');
    for (const text of [JSON.stringify(event), body]) {
      for (const secret of ['s3cr3t', 'token', '127.0.0.1', rx.url, 'whsec_', hook.secret]) expect(text).not.toContain(secret);
    }

    // Disabled: new events make no delivery for it. Enabled again: they do, and go out.
    const before = rx.received.length;
    await emit();
    expect(await listDeliveries(db.sql, hook.id, { limit: 10 })).toHaveLength(ds.length);
    healthy = true;
    expect(await enableWebhook(db.sql, account, hook.id)).toMatchObject({
      disabled_at: null,
      consecutive_failures: 0,
      failing_since: null,
    });
    const after = await emit();
    await waitFor('the delivery after enabling', () => rx.received.slice(before).some((r) => JSON.parse(r.body).data.id === after.seq));
    expect((await settled(hook.id, ds.length + 1))[0]).toMatchObject({ event_seq: after.seq, state: 'succeeded' });
    await rx.close();
  });
});
