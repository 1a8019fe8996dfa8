import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceEvents, appendEvent, createRedisBus, type EventType, type RedisBus } from '@kino/events';
import { createApi, type Api } from '../src/index.ts';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

// Tiny retry delays keep the suite fast; the schedule's shape is tested in packages/webhooks.
const FAST = { WEBHOOK_RETRY_SCHEDULE_MS: '50,50,50,50,50,50,50,50', WEBHOOK_POLL_INTERVAL_MS: '100' };

let h: ApiHarness;
// Redis as another api process would announce on it.
let bus: RedisBus;
let accountA: string;
let accountB: string;
const extraApis: Api[] = [];
const receivers: Receiver[] = [];

const accountOf = async (hh: ApiHarness, key: string) =>
  (await hh.db.sql`select account_id from api_keys where prefix = ${key.slice(0, 13)}`)[0]!.account_id as string;

beforeAll(async () => {
  h = await startApiHarness(FAST);
  bus = createRedisBus(h.config.redisUrl);
  accountA = await accountOf(h, h.keyA);
  accountB = await accountOf(h, h.keyB);
});
afterAll(async () => {
  bus?.close();
  await Promise.all(receivers.map((r) => r.close()));
  for (const api of extraApis) await api.stop();
  await h?.close();
});

// --- A receiver, and signature verification written from the Standard Webhooks spec ----

/**
 * Standard Webhooks, symmetric scheme: the key is the base64-decoded secret after
 * `whsec_`; the signed content is "{webhook-id}.{webhook-timestamp}.{raw body}";
 * webhook-signature is a space-separated list of "v1,<base64 HMAC-SHA256>", any of which
 * may match; the timestamp must be recent (replay protection).
 */
function verifyStandardWebhook(secret: string, headers: IncomingHttpHeaders, rawBody: string, toleranceSeconds = 300): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  if (!secret.startsWith('whsec_')) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`, 'utf8').digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  /** The payload's `data`: the event as GET /v1/events sends it. */
  event: { id: number; type: string; asset_id: string | null; created_at: string; data: unknown };
}

interface Receiver {
  url: string;
  received: Delivery[];
  /** Decides each answer: the 1-based count of requests so far, the request, the response. */
  answer: (n: number, d: Delivery, res: ServerResponse) => void;
  close(): Promise<void>;
}

async function startReceiver(answer: Receiver['answer'] = (_n, _d, res) => res.writeHead(204).end()): Promise<Receiver> {
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const d: Delivery = { headers: req.headers, body, event: JSON.parse(body).data };
      rx.received.push(d);
      rx.answer(rx.received.length, d, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const rx: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/kino`,
    received: [],
    answer,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  receivers.push(rx);
  return rx;
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// --- The api ---------------------------------------------------------------------------

const call = async (method: string, path: string, key: string, body?: unknown, base = h.api.url) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};

async function createHook(url: string, extra: Record<string, unknown> = {}, key = h.keyA, base = h.api.url) {
  const res = await call('POST', '/v1/webhooks', key, { url, ...extra }, base);
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string; url: string; event_types: string[] | null };
}

async function emit(accountId: string, type: EventType = 'asset.created', assetId = randomUUID(), hh = h) {
  const e = await appendEvent(hh.db.sql, { accountId, assetId, type, data: { note: 'ünïcödé ✓' } });
  announceEvents(bus.redis, accountId);
  return e;
}

const deliveries = async (id: string, key = h.keyA, base = h.api.url) => {
  const res = await call('GET', `/v1/webhooks/${id}/deliveries`, key, undefined, base);
  expect(res.status).toBe(200);
  return res.body.data as any[];
};

describe('webhook endpoints', () => {
  it('creates an endpoint and shows its secret only once', async () => {
    const created = await createHook('https://hooks.example.com/kino', {
      event_types: ['asset.hls_ready', 'asset.errored'],
      description: 'prod',
    });
    expect(created).toMatchObject({
      url: 'https://hooks.example.com/kino',
      event_types: ['asset.hls_ready', 'asset.errored'],
      description: 'prod',
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(created.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);

    const one = await call('GET', `/v1/webhooks/${created.id}`, h.keyA);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      id: created.id,
      url: created.url,
      event_types: created.event_types,
      description: 'prod',
      created_at: expect.any(String),
      enabled: true,
      disabled_at: null,
      consecutive_failures: 0,
      failing_since: null,
      paused_until: null,
      previous_secret_expires_at: null,
    });
    const list = await call('GET', '/v1/webhooks', h.keyA);
    expect(list.body.data.find((w: any) => w.id === created.id)).toEqual(one.body);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');

    // Another account sees nothing of it.
    expect((await call('GET', `/v1/webhooks/${created.id}`, h.keyB)).body.error.code).toBe('NOT_FOUND');
    expect((await call('GET', `/v1/webhooks/${created.id}/deliveries`, h.keyB)).status).toBe(404);
    expect((await call('DELETE', `/v1/webhooks/${created.id}`, h.keyB)).status).toBe(404);
    expect((await call('GET', '/v1/webhooks', h.keyB)).body.data.map((w: any) => w.id)).not.toContain(created.id);
    expect((await call('DELETE', `/v1/webhooks/${created.id}`, h.keyA)).status).toBe(204);
  });

  it('refuses bad input with clear codes and keeps nothing', async () => {
    const before = (await h.db.sql`select count(*)::int as n from webhooks`)[0]!.n;
    for (const url of ['ftp://example.com/hook', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '/relative']) {
      const res = await call('POST', '/v1/webhooks', h.keyA, { url });
      expect(res.status, url).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'INVALID_WEBHOOK_URL', request_id: expect.any(String) });
    }
    const unknownType = await call('POST', '/v1/webhooks', h.keyA, { url: 'https://example.com', event_types: ['asset.exploded'] });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error.code).toBe('VALIDATION_ERROR');
    expect(JSON.stringify(unknownType.body.error.details)).toContain('event_types');
    expect((await call('POST', '/v1/webhooks', h.keyA, { event_types: ['asset.created'] })).body.error.code).toBe('VALIDATION_ERROR');
    expect((await call('POST', '/v1/webhooks', h.keyA, { url: 'https://example.com', event_types: [] })).status).toBe(400);
    expect((await call('GET', '/v1/webhooks/not-a-uuid', h.keyA)).status).toBe(400);
    expect((await call('GET', `/v1/webhooks/${randomUUID()}`, h.keyA)).status).toBe(404);
    expect((await call('GET', '/v1/webhooks', 'kino_wrong')).body.error.code).toBe('INVALID_API_KEY');
    expect((await h.db.sql`select count(*)::int as n from webhooks`)[0]!.n).toBe(before);
  });

  it('documents the routes and the event types in the OpenAPI document', async () => {
    const doc: any = await (await fetch(`${h.api.url}/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/webhooks',
        '/v1/webhooks/{id}',
        '/v1/webhooks/{id}/deliveries',
        '/v1/webhooks/{id}/enable',
        '/v1/webhooks/{id}/rotate-secret',
        '/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver',
      ]),
    );
    const body = doc.paths['/v1/webhooks'].post.requestBody.content['application/json'].schema;
    expect(body.properties.event_types.items.enum).toContain('asset.hls_ready');
  });
});

describe('webhook deliveries', () => {
  it('signs deliveries so a receiver verifies them with its own implementation of the spec', async () => {
    const rx = await startReceiver();
    const hook = await createHook(rx.url);
    rx.answer = (_n, d, res) => res.writeHead(verifyStandardWebhook(hook.secret, d.headers, d.body) ? 204 : 401).end();
    const event = await emit(accountA, 'asset.opener_ready');
    const [got] = await waitFor('the delivery', () => rx.received.length > 0 && rx.received);
    // Standard Webhooks' recommended shape, the event as GET /v1/events sends it in `data`.
    expect(JSON.parse(got!.body)).toEqual({
      type: 'asset.opener_ready',
      timestamp: event.created_at.toISOString(),
      data: {
        id: event.seq,
        type: 'asset.opener_ready',
        asset_id: event.asset_id,
        created_at: event.created_at.toISOString(),
        data: { note: 'ünïcödé ✓' },
      },
    });
    expect(got!.headers['content-type']).toBe('application/json');
    expect(verifyStandardWebhook(hook.secret, got!.headers, got!.body)).toBe(true);
    // Tampering with the body, the id, the timestamp or the key fails the check.
    expect(verifyStandardWebhook(hook.secret, got!.headers, got!.body.replace('opener_ready', 'hls_ready'))).toBe(false);
    expect(verifyStandardWebhook(hook.secret, { ...got!.headers, 'webhook-id': randomUUID() }, got!.body)).toBe(false);
    expect(
      verifyStandardWebhook(
        hook.secret,
        { ...got!.headers, 'webhook-timestamp': String(Number(got!.headers['webhook-timestamp']) + 1) },
        got!.body,
      ),
    ).toBe(false);
    expect(verifyStandardWebhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, got!.headers, got!.body)).toBe(false);

    const [delivery] = await waitFor('success recorded', async () => {
      const ds = await deliveries(hook.id);
      return ds[0]?.state === 'succeeded' && ds;
    });
    expect(delivery).toMatchObject({
      id: got!.headers['webhook-id'],
      event_id: event.seq,
      event_type: 'asset.opener_ready',
      asset_id: event.asset_id,
      state: 'succeeded',
      attempts: 1,
      last_status: 204,
      next_attempt_at: null,
    });
  });

  it('retries a receiver answering 500 twice with the same webhook-id, then stops after its 200', async () => {
    const rx = await startReceiver((n, _d, res) => res.writeHead(n <= 2 ? 500 : 200).end(n <= 2 ? 'not yet' : 'thanks'));
    const hook = await createHook(rx.url);
    const event = await emit(accountA, 'asset.hls_ready');
    await waitFor('three requests', () => rx.received.length >= 3);
    // A later event is the barrier: once it arrived, a fourth send of the first would have too.
    const later = await emit(accountA, 'asset.deleted');
    await waitFor('the later event', () => rx.received.some((d) => d.event.id === later.seq));
    const first = rx.received.filter((d) => d.event.id === event.seq);
    expect(first).toHaveLength(3);
    expect(new Set(first.map((d) => d.headers['webhook-id'])).size).toBe(1);

    const ds = await deliveries(hook.id);
    expect(ds.map((d) => d.event_id)).toEqual([later.seq, event.seq]); // newest first
    const d = ds[1];
    expect(d).toMatchObject({ id: first[0]!.headers['webhook-id'], state: 'succeeded', attempts: 3, last_status: 200, last_error: null });
    expect(d.attempt_log.map((a: any) => [a.status, a.error, a.response_body])).toEqual([
      [500, 'HTTP 500', 'not yet'],
      [500, 'HTTP 500', 'not yet'],
      [200, null, 'thanks'],
    ]);
    for (const a of d.attempt_log) expect(a).toMatchObject({ attempted_at: expect.any(String), duration_ms: expect.any(Number) });

    // Pages walk the deliveries exactly once.
    const p1 = await call('GET', `/v1/webhooks/${hook.id}/deliveries?limit=1`, h.keyA);
    expect(p1.body.data.map((x: any) => x.event_id)).toEqual([later.seq]);
    const p2 = await call('GET', `/v1/webhooks/${hook.id}/deliveries?limit=1&cursor=${p1.body.next_cursor}`, h.keyA);
    expect(p2.body.data.map((x: any) => x.event_id)).toEqual([event.seq]);
    expect(p2.body.next_cursor).toBeNull();
    expect((await call('GET', `/v1/webhooks/${hook.id}/deliveries?cursor=${randomUUID()}`, h.keyA)).body.error.code).toBe('INVALID_CURSOR');
  });

  it("honours event_types and never sends another account's events", async () => {
    const [filtered, everything, other] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
    const onlyReady = await createHook(filtered.url, { event_types: ['asset.hls_ready'] });
    const all = await createHook(everything.url);
    const bHook = await createHook(other.url, {}, h.keyB);
    const asset = randomUUID();
    const bEvent = await emit(accountB, 'asset.hls_ready');
    const created = await emit(accountA, 'asset.created', asset);
    const ready = await emit(accountA, 'asset.hls_ready', asset);
    await waitFor("A's endpoint to get both", () => everything.received.length >= 2);
    await waitFor('the filtered endpoint', () => filtered.received.length >= 1);
    await waitFor("B's endpoint", () => other.received.length >= 1);
    expect(everything.received.map((d) => d.event.id)).toEqual([created.seq, ready.seq]);
    expect(filtered.received.map((d) => d.event.id)).toEqual([ready.seq]);
    expect(other.received.map((d) => d.event.id)).toEqual([bEvent.seq]);
    // The outbox holds exactly those: nothing was queued to send later.
    expect((await deliveries(onlyReady.id)).map((d) => d.event_id)).toEqual([ready.seq]);
    expect((await deliveries(all.id)).map((d) => d.event_id)).toEqual([ready.seq, created.seq]);
    expect((await deliveries(bHook.id, h.keyB)).map((d) => d.event_id)).toEqual([bEvent.seq]);
  });

  it('stops delivering once the endpoint is deleted', async () => {
    const failing = await startReceiver((_n, _d, res) => res.writeHead(500).end());
    const sentinel = await startReceiver();
    const hook = await createHook(failing.url);
    await createHook(sentinel.url);
    await emit(accountA);
    await waitFor('a first attempt', () => failing.received.length >= 1);
    expect((await call('DELETE', `/v1/webhooks/${hook.id}`, h.keyA)).status).toBe(204);
    expect((await call('DELETE', `/v1/webhooks/${hook.id}`, h.keyA)).status).toBe(204); // idempotent
    expect((await call('GET', `/v1/webhooks/${hook.id}`, h.keyA)).status).toBe(404);
    expect((await call('GET', '/v1/webhooks', h.keyA)).body.data.map((w: any) => w.id)).not.toContain(hook.id);
    const [row] = await h.db.sql`select state, last_error from webhook_deliveries where webhook_id = ${hook.id}`;
    expect(row).toMatchObject({ state: 'failed', last_error: 'webhook deleted' });

    // New events get no delivery at all, and the old one is not retried.
    const next = await emit(accountA);
    await waitFor('the sentinel', () => sentinel.received.some((d) => d.event.id === next.seq));
    const count = failing.received.length;
    // Claims take the oldest due delivery first, and the failed one would have been due long
    // ago: two more sentinel deliveries, each claimed after the last, are the "nothing more
    // came" barrier, not a sleep.
    const again = await emit(accountA);
    await waitFor('the sentinel again', () => sentinel.received.some((d) => d.event.id === again.seq));
    const last = await emit(accountA);
    await waitFor('the sentinel a third time', () => sentinel.received.some((d) => d.event.id === last.seq));
    expect(failing.received.length).toBe(count);
    expect((await h.db.sql`select count(*)::int as n from webhook_deliveries where webhook_id = ${hook.id}`)[0]!.n).toBe(1);
  });

  it('rotates the secret: both signatures during the overlap, the old one dropped after it', async () => {
    const rx = await startReceiver();
    const hook = await createHook(rx.url);
    const signatures = (d: Delivery) => String(d.headers['webhook-signature']).split(' ');
    const rotate = async (body: object) => {
      const res = await call('POST', `/v1/webhooks/${hook.id}/rotate-secret`, h.keyA, body);
      expect(res.status).toBe(200);
      return res.body as { secret: string; previous_secret_expires_at: string | null };
    };
    const deliver = async () => {
      const e = await emit(accountA);
      return waitFor('the delivery', () => rx.received.find((d) => d.event.id === e.seq));
    };

    const rotated = await rotate({ overlap_seconds: 3600 });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(hook.secret);
    expect(Date.parse(rotated.previous_secret_expires_at!) - Date.now()).toBeGreaterThan(3500_000);
    expect((await call('GET', `/v1/webhooks/${hook.id}`, h.keyA)).body).toMatchObject({
      previous_secret_expires_at: rotated.previous_secret_expires_at,
    });
    const during = await deliver();
    expect(signatures(during)).toHaveLength(2);
    // A receiver holding either secret verifies, as the spec reads several signatures.
    expect(verifyStandardWebhook(hook.secret, during.headers, during.body)).toBe(true);
    expect(verifyStandardWebhook(rotated.secret, during.headers, during.body)).toBe(true);

    // Rotating again drops the oldest; an overlap of a second runs out, and the old secret goes.
    const again = await rotate({ overlap_seconds: 1 });
    const next = await deliver();
    expect(verifyStandardWebhook(hook.secret, next.headers, next.body)).toBe(false);
    expect(verifyStandardWebhook(rotated.secret, next.headers, next.body)).toBe(true);
    expect(verifyStandardWebhook(again.secret, next.headers, next.body)).toBe(true);
    await waitFor(
      'the overlap to end',
      async () => (await call('GET', `/v1/webhooks/${hook.id}`, h.keyA)).body.previous_secret_expires_at === null,
    );
    const after = await deliver();
    expect(signatures(after)).toHaveLength(1);
    expect(verifyStandardWebhook(rotated.secret, after.headers, after.body)).toBe(false);
    expect(verifyStandardWebhook(again.secret, after.headers, after.body)).toBe(true);
    expect((await h.db.sql`select previous_secret from webhooks where id = ${hook.id}`)[0]!.previous_secret).toBeNull();

    // No body: a day's overlap.
    const byDefault = await call('POST', `/v1/webhooks/${hook.id}/rotate-secret`, h.keyA);
    expect(byDefault.status).toBe(200);
    expect(Date.parse(byDefault.body.previous_secret_expires_at) - Date.now()).toBeGreaterThan(86_300_000);
    // No overlap at all; another account's endpoint is a 404.
    const sharp = await rotate({ overlap_seconds: 0 });
    expect(sharp.previous_secret_expires_at).toBeNull();
    expect(signatures(await deliver())).toHaveLength(1);
    expect((await call('POST', `/v1/webhooks/${hook.id}/rotate-secret`, h.keyB, {})).status).toBe(404);
    expect((await call('POST', `/v1/webhooks/${hook.id}/rotate-secret`, h.keyA, { overlap_seconds: -1 })).status).toBe(400);
  });

  it("redelivers a delivery with the same webhook-id, as new attempts; refuses one in flight and others' ids", async () => {
    let hold: (() => void) | undefined;
    const rx = await startReceiver((n, _d, res) => {
      if (n === 3) hold = () => res.writeHead(200).end();
      else res.writeHead(200).end();
    });
    const hook = await createHook(rx.url);
    const event = await emit(accountA, 'asset.hls_ready');
    const [first] = await waitFor('success', async () => {
      const ds = await deliveries(hook.id);
      return ds[0]?.state === 'succeeded' && ds;
    });
    const redeliver = (key = h.keyA, webhookId = hook.id, deliveryId = first.id) =>
      call('POST', `/v1/webhooks/${webhookId}/deliveries/${deliveryId}/redeliver`, key);

    const res = await redeliver();
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: first.id, event_id: event.seq, state: 'pending', attempts: 1, finished_at: null });
    const [again] = await waitFor('the redelivery', async () => {
      const ds = await deliveries(hook.id);
      return ds[0]?.attempts === 2 && ds[0].state === 'succeeded' && ds;
    });
    expect(again.attempt_log.map((a: any) => a.status)).toEqual([200, 200]);
    expect(rx.received.map((d) => [d.headers['webhook-id'], d.event.id])).toEqual([
      [first.id, event.seq],
      [first.id, event.seq],
    ]);

    // While the third send is held: 409, and nothing changes.
    expect((await redeliver()).status).toBe(202);
    await waitFor('the held send', () => hold !== undefined);
    const busy = await redeliver();
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('DELIVERY_IN_FLIGHT');
    hold!();
    await waitFor('the third attempt', async () => (await deliveries(hook.id))[0]?.attempts === 3);

    // Another account, an unknown delivery, a delivery of another endpoint: 404.
    const other = await createHook(rx.url);
    expect((await redeliver(h.keyB)).status).toBe(404);
    expect((await redeliver(h.keyA, hook.id, randomUUID())).body.error.code).toBe('NOT_FOUND');
    expect((await redeliver(h.keyA, other.id)).status).toBe(404);
  });
  it('continues a pending delivery after an api restart', async () => {
    // The receiver fails the first attempt and, while answering it, the api is stopped:
    // a graceful stop lets that send finish and record, then claims nothing more.
    let stopped: Promise<void> | undefined;
    const rx = await startReceiver((n, _d, res) => {
      if (n === 1) {
        stopped = h.api.stop();
        setTimeout(() => res.writeHead(503).end('restarting'), 50);
      } else res.writeHead(200).end();
    });
    const hook = await createHook(rx.url);
    const event = await emit(accountA, 'asset.thumbnail_ready');
    await waitFor('the first attempt', () => rx.received.length >= 1);
    await waitFor('the stop to begin', () => stopped !== undefined);
    await stopped;
    const [row] = await h.db.sql`select state, attempts, locked_until from webhook_deliveries where webhook_id = ${hook.id}`;
    expect(row).toMatchObject({ state: 'pending', attempts: 1, locked_until: null });

    const api = await createApi(h.config);
    extraApis.push(api);
    await api.start();
    const [delivery] = await waitFor('delivery by the new api', async () => {
      const ds = await deliveries(hook.id, h.keyA, api.url);
      return ds[0]?.state === 'succeeded' && ds;
    });
    expect(delivery.attempt_log.map((a: any) => a.status)).toEqual([503, 200]);
    expect(rx.received.map((d) => [d.event.id, d.headers['webhook-id']])).toEqual([
      [event.seq, delivery.id],
      [event.seq, delivery.id],
    ]);
  });
});

describe('webhook address guard', () => {
  let hp: ApiHarness;
  beforeAll(async () => {
    hp = await startApiHarness({ ...FAST, WEBHOOK_ALLOW_PRIVATE: 'false' });
  });
  afterAll(() => hp?.close());

  it('refuses a private address when not allowed: the attempt records the block and nothing reaches the receiver', async () => {
    const rx = await startReceiver();
    // Private addresses are judged when delivering (DNS changes), so creating is fine.
    const hook = await createHook(rx.url, {}, hp.keyA, hp.api.url);
    const accountId = await accountOf(hp, hp.keyA);
    await appendEvent(hp.db.sql, { accountId, assetId: randomUUID(), type: 'asset.created' });
    announceEvents(bus.redis, accountId);
    const [delivery] = await waitFor('the refusal', async () => {
      const ds = await deliveries(hook.id, hp.keyA, hp.api.url);
      return ds[0]?.state === 'failed' && ds;
    });
    expect(delivery).toMatchObject({ attempts: 1, last_status: null, last_error: 'blocked: private address (127.0.0.1)' });
    expect(delivery.attempt_log).toEqual([
      expect.objectContaining({ status: null, error: 'blocked: private address (127.0.0.1)', response_body: null }),
    ]);
    expect(rx.received).toHaveLength(0);
  });
});

describe('a webhook that keeps failing', () => {
  let hd: ApiHarness;
  beforeAll(async () => {
    hd = await startApiHarness({ ...FAST, WEBHOOK_DISABLE_AFTER_SECONDS: '1' });
  });
  afterAll(() => hd?.close());

  it('is disabled with a webhook.disabled event, refuses redelivery, and works again once enabled', async () => {
    let healthy = false;
    const rx = await startReceiver((_n, _d, res) => res.writeHead(healthy ? 200 : 500).end());
    const hook = await createHook(rx.url, {}, hd.keyA, hd.api.url);
    const accountId = await accountOf(hd, hd.keyA);
    const fire = async () => {
      const e = await appendEvent(hd.db.sql, { accountId, assetId: randomUUID(), type: 'asset.created' });
      announceEvents(bus.redis, accountId);
      return e;
    };
    const get = async () => (await call('GET', `/v1/webhooks/${hook.id}`, hd.keyA, undefined, hd.api.url)).body;
    // An event every 200 ms: each delivery runs its (short) schedule out, and the endpoint
    // fails on for longer than a second.
    const disabled = await waitFor('the endpoint to be disabled', async () => {
      const w = await get();
      if (w.enabled) await fire().then(() => new Promise((r) => setTimeout(r, 200)));
      return w.enabled === false && w;
    });
    expect(disabled).toMatchObject({
      disabled_at: expect.any(String),
      consecutive_failures: expect.any(Number),
      failing_since: expect.any(String),
      paused_until: null,
    });
    expect(disabled.consecutive_failures).toBeGreaterThan(1);
    const ds = await deliveries(hook.id, hd.keyA, hd.api.url);
    expect(ds.filter((d) => d.state === 'pending')).toEqual([]);
    const delivery = ds.find((d) => d.last_error?.startsWith('webhook disabled'));
    expect(delivery).toBeDefined();

    // The account's log says so, in the one event shape, about no asset.
    const sse = await fetch(`${hd.api.url}/v1/events?after_sequence=0`, { headers: { authorization: `Bearer ${hd.keyA}` } });
    const reader = sse.body!.getReader();
    let text = '';
    while (!text.includes('webhook.disabled')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const line = text.split('\n').find((l) => l.startsWith('data:') && l.includes('webhook.disabled'))!;
    expect(JSON.parse(line.slice(5))).toMatchObject({
      type: 'webhook.disabled',
      asset_id: null,
      data: { webhook_id: hook.id, failing_since: disabled.failing_since, failures: disabled.consecutive_failures },
    });

    const redeliver = () => call('POST', `/v1/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`, hd.keyA, undefined, hd.api.url);
    const refused = await redeliver();
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('WEBHOOK_DISABLED');

    healthy = true;
    const enabled = await call('POST', `/v1/webhooks/${hook.id}/enable`, hd.keyA, undefined, hd.api.url);
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({
      enabled: true,
      disabled_at: null,
      consecutive_failures: 0,
      failing_since: null,
      paused_until: null,
    });
    expect((await call('POST', `/v1/webhooks/${hook.id}/enable`, hd.keyB, undefined, hd.api.url)).status).toBe(404);
    expect((await redeliver()).status).toBe(202);
    const later = await fire();
    await waitFor('the new event', () => rx.received.some((d) => d.event.id === later.seq));
    await waitFor('the redelivery', async () => {
      const ds = await deliveries(hook.id, hd.keyA, hd.api.url);
      return ds.find((d) => d.id === delivery.id)?.state === 'succeeded';
    });
    expect(rx.received.filter((d) => d.headers['webhook-id'] === delivery.id).at(-1)!.event.id).toBe(delivery.event_id);
  });
});
