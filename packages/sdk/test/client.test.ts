import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startPlayerStack, type PlayerStack } from '@kino/testkit-stack';
import { createKino, type Kino, type KinoEvent, KinoError } from '../src/index.ts';
import { startCuttingProxy, type CuttingProxy } from './proxy.ts';

// Every helper of the SDK against a real stack (api, worker, edge): waiting on the event
// stream, the stream's reconnection, webhook verification of real deliveries, playback URLs
// the edge serves, the typed errors, and the thin wrappers over the rest of the api.

let s: PlayerStack;
let kino: Kino;
let proxy: CuttingProxy;
let clip: Uint8Array;
let truncated: Uint8Array;

beforeAll(async () => {
  // Imports fetch from a server on loopback here.
  s = await startPlayerStack({ WEBHOOK_RETRY_SCHEDULE_MS: '50,50,50,50', WEBHOOK_POLL_INTERVAL_MS: '100', IMPORT_ALLOW_PRIVATE: 'true' });
  kino = createKino({ baseUrl: s.api.url, apiKey: s.key });
  proxy = await startCuttingProxy(s.api.url);
  const dir = await scratchDir('kino-sdk-client-');
  clip = await readFile(await makeFixture('standard', join(dir, 'clip.mp4'), { seconds: 2 }));
  truncated = await readFile(await makeFixture('truncated', join(dir, 'truncated.mp4')));
});
afterAll(async () => {
  await proxy?.close();
  await s?.close();
});

const upload = (bytes: Uint8Array, title?: string) =>
  kino.uploads.create(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'video/mp4' }), { title });

describe('assets.waitUntil', () => {
  it('resolves at opener_ready, then at hls_ready, and at once for a state already reached', async () => {
    const id = (await upload(clip)).id!;
    const opener = await kino.assets.waitUntil(id, 'opener_ready', { timeoutMs: 90_000 });
    expect(['opener_ready', 'hls_ready']).toContain(opener.playable_state);
    const ready = await kino.assets.waitUntil(id, 'hls_ready', { timeoutMs: 90_000 });
    expect(ready.playable_state).toBe('hls_ready');
    expect((await kino.assets.waitUntil(id, 'opener_ready')).playable_state).toBe('hls_ready');
  });

  it("rejects with the asset's error code when processing fails, and ASSET_DELETED when it is deleted", async () => {
    const broken = await upload(truncated);
    const failed = await kino.assets.waitUntil(broken.id!, 'opener_ready', { timeoutMs: 90_000 }).catch((e) => e);
    expect(failed).toBeInstanceOf(KinoError);
    expect(failed).toMatchObject({ code: 'CORRUPT_SOURCE', status: 0 });

    const id = (await upload(clip)).id!;
    const waiting = kino.assets.waitUntil(id, 'hls_ready', { timeoutMs: 90_000 }).catch((e) => e);
    await kino.assets.delete(id);
    expect(await waiting).toMatchObject({ code: 'ASSET_DELETED' });
  });

  it('gives up with TIMEOUT', async () => {
    await s.worker.stop();
    try {
      const id = (await upload(clip)).id!;
      expect(await kino.assets.waitUntil(id, 'opener_ready', { timeoutMs: 500 }).catch((e) => e)).toMatchObject({ code: 'TIMEOUT' });
    } finally {
      await s.startWorker();
    }
  });
});

describe('events.stream', () => {
  it('reconnects after the api was unreachable and replays what it missed, without a gap or a duplicate', async () => {
    const through = createKino({ baseUrl: proxy.url, apiKey: s.key });
    const stop = new AbortController();
    const seen: KinoEvent[] = [];
    let reached: (() => void) | undefined;
    let want: ((e: KinoEvent) => boolean) | undefined;
    const until = (f: (e: KinoEvent) => boolean) =>
      new Promise<void>((r) => {
        want = f;
        reached = r;
      });
    const reading = (async () => {
      for await (const e of through.events.stream({ signal: stop.signal, idleTimeoutMs: 5_000 })) {
        seen.push(e);
        if (want?.(e)) reached?.();
      }
    })();

    // The stream starts "now": wait until it is open (an event arrives) before counting on it.
    const first = await upload(clip, 'before the cut');
    await until((e) => e.asset_id === first.id && e.type === 'asset.hls_ready');
    proxy.down();
    const second = await upload(clip, 'while away');
    await kino.assets.waitUntil(second.id!, 'hls_ready', { timeoutMs: 90_000 });
    const caughtUp = until((e) => e.asset_id === second.id && e.type === 'asset.hls_ready');
    proxy.up();
    await caughtUp;
    stop.abort();
    await reading;

    const ids = seen.map((e) => e.id);
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
    for (const asset of [first.id!, second.id!]) {
      const log = (await kino.api.GET('/v1/assets/{id}/events', { params: { path: { id: asset }, query: { limit: 500 } } })).data!.data!;
      const got = seen.filter((e) => e.asset_id === asset);
      // Everything the log holds from the first event seen on, in order (the edges' warm-up may still be coming).
      const from = log.findIndex((e) => e.id === got[0]!.id);
      expect(got.map((e) => e.id)).toEqual(log.slice(from, from + got.length).map((e) => e.id));
      expect(got.map((e) => e.type)).toContain('asset.created');
    }
  });

  it('resumes from lastEventId and filters by asset', async () => {
    const id = (await upload(clip)).id!;
    await kino.assets.waitUntil(id, 'opener_ready', { timeoutMs: 90_000 });
    const log = (await kino.api.GET('/v1/assets/{id}/events', { params: { path: { id } } })).data!.data!;
    const stop = new AbortController();
    const replayed: KinoEvent[] = [];
    for await (const e of kino.events.stream({ assetId: id, lastEventId: String(log[0]!.id), signal: stop.signal })) {
      replayed.push(e);
      if (replayed.length === 2) stop.abort();
    }
    expect(replayed.map((e) => e.id)).toEqual(log.slice(1, 3).map((e) => e.id));
    expect(new Set(replayed.map((e) => e.asset_id))).toEqual(new Set([id]));
  });
});

describe('videos.import and assets.events', () => {
  it('imports from a URL once per idempotency key and waits for it; events pages its log, from `after` too', async () => {
    const origin = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': clip.length }).end(clip);
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/clip.mp4`;
      const asset = await kino.videos.import(url, {
        title: 'imported',
        idempotencyKey: 'sdk-import',
        wait: 'opener_ready',
        timeoutMs: 90_000,
      });
      expect(asset).toMatchObject({ title: 'imported', source_state: 'uploaded' });
      expect(['opener_ready', 'hls_ready']).toContain(asset.playable_state);
      expect((await kino.videos.import(url, { title: 'imported', idempotencyKey: 'sdk-import' })).id).toBe(asset.id);

      const events: KinoEvent[] = [];
      for await (const e of kino.assets.events(asset.id)) events.push(e);
      expect(events[0]).toMatchObject({ type: 'asset.created', asset_id: asset.id });
      expect(events.map((e) => e.type)).toContain('asset.opener_ready');
      const later: KinoEvent[] = [];
      for await (const e of kino.assets.events(asset.id, { after: events[0]!.id })) later.push(e);
      // Processing may have logged more since: what was there is a prefix.
      expect(later.slice(0, events.length - 1)).toEqual(events.slice(1));
    } finally {
      await new Promise((r) => origin.close(r));
    }
  });
});

describe('webhooks.verify', () => {
  let server: Server;
  const deliveries: { headers: IncomingHttpHeaders; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const delivery = async (assetId: string) => {
    for (;;) {
      const d = deliveries.find((x) => x.body.includes(assetId));
      if (d) return d;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it("accepts a real delivery signed with the endpoint's secret and refuses a tampered one", async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const hook = await kino.webhooks.create({ url, events: ['asset.created'] });
    expect(hook.secret).toMatch(/^whsec_/);
    const id = (await upload(clip)).id!;
    const { headers, body } = await delivery(id);

    const event = await kino.webhooks.verify(headers, body, hook.secret);
    expect(event).toMatchObject({ type: 'asset.created', data: { type: 'asset.created', asset_id: id } });
    // A fetch Headers and bytes work the same (what a browser or a worker runtime has).
    const asHeaders = new Headers(Object.entries(headers).map(([k, v]): [string, string] => [k, String(v)]));
    expect(await kino.webhooks.verify(asHeaders, new TextEncoder().encode(body), hook.secret)).toEqual(event);

    const refusals = [
      kino.webhooks.verify(
        headers,
        body.replace(
          id,
          id.replace(/^./, (c) => (c === '0' ? '1' : '0')),
        ),
        hook.secret,
      ),
      kino.webhooks.verify(headers, body, `whsec_${btoa('another secret of enough length!')}`),
      kino.webhooks.verify(headers, body, hook.secret, { now: () => Date.now() + 3_600_000 }),
      kino.webhooks.verify({ ...headers, 'webhook-signature': undefined }, body, hook.secret),
    ];
    for (const r of await Promise.allSettled(refusals)) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID', status: 0 });
    }

    // The rest of the webhook routes, through the SDK.
    expect((await kino.webhooks.list()).map((w) => w.id)).toContain(hook.id);
    const { data } = await kino.webhooks.deliveries(hook.id);
    const sent = data!.find((d) => d.event_id === event.data.id)!;
    expect(sent).toBeDefined();
    deliveries.length = 0;
    await kino.webhooks.redeliver(hook.id, sent.id!);
    const again = await delivery(id);
    const rotated = await kino.webhooks.rotateSecret(hook.id);
    // A redelivery keeps its webhook-id; both secrets verify during the rotation's overlap.
    expect(again.headers['webhook-id']).toBe(headers['webhook-id']);
    await kino.webhooks.verify(again.headers, again.body, hook.secret);
    expect(rotated.secret).not.toBe(hook.secret);
    expect((await kino.webhooks.enable(hook.id)).id).toBe(hook.id);
    await kino.webhooks.delete(hook.id);
    expect(await kino.webhooks.get(hook.id).catch((e) => e)).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });
});

describe('playback.url', () => {
  it('gives a signed URL the edge serves', async () => {
    const id = (await upload(clip)).id!;
    await kino.assets.waitUntil(id, 'hls_ready', { timeoutMs: 90_000 });
    const playback = await kino.playback.url(id, { ttl: 120 });
    expect(playback.url).toBe(playback.urls!.master);
    expect(new Date(playback.expires_at!).getTime() - Date.now()).toBeLessThanOrEqual(120_000);
    const res = await fetch(playback.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^#EXTM3U/);
    const opener = await fetch(playback.urls!.opener!);
    expect(opener.status).toBe(200);
    await opener.arrayBuffer();
  });
});

describe('KinoError', () => {
  it('carries code, status and request id on a 404 and a 401, and never the key', async () => {
    const missing = await kino.assets.get('00000000-0000-4000-8000-000000000000').catch((e) => e);
    expect(missing).toBeInstanceOf(KinoError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', status: 404, requestId: expect.stringMatching(/.+/) });

    const badKey = 'kino_thisIsNotAKeyAnyoneWasGiven0000';
    const stranger = createKino({ baseUrl: s.api.url, apiKey: badKey });
    const refused = await stranger.account.get().catch((e) => e);
    expect(refused).toMatchObject({ status: 401, requestId: expect.stringMatching(/.+/) });
    expect(refused.code).toMatch(/^[A-Z_]+$/);
    expect(`${refused.message} ${JSON.stringify(refused)}`).not.toContain(badKey);
    const stream = await (async () => {
      for await (const _ of stranger.events.stream()) return 'no error';
    })().catch((e) => e);
    expect(stream).toMatchObject({ status: 401 });
  });

  it('is NETWORK_ERROR with status 0 when nothing answers', async () => {
    const closed = await startCuttingProxy(s.api.url);
    const url = closed.url;
    await closed.close();
    const err = await createKino({ baseUrl: url, apiKey: s.key })
      .assets.list()
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
    expect(err.message).not.toContain(s.key);
  });
});

describe('the wrappers', () => {
  it('list and iterate assets, manage keys, read the account and analytics', async () => {
    const page = await kino.assets.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.next_cursor).toEqual(expect.any(String));
    const all: string[] = [];
    for await (const a of kino.assets.iterate({ limit: 2 })) all.push(a.id!);
    expect(all.length).toBeGreaterThan(2);
    expect(new Set(all).size).toBe(all.length);
    expect((await kino.assets.list({ state: 'hls_ready' })).data.every((a) => a.playable_state === 'hls_ready')).toBe(true);
    expect((await kino.assets.list({ state: 'failed' })).data.every((a) => a.source_state === 'failed')).toBe(true);

    const key = await kino.keys.create({ name: 'sdk test', scopes: ['read'] });
    expect(key.key).toMatch(/^kino_/);
    expect((await kino.keys.list()).map((k) => k.id)).toContain(key.id);
    const reader = createKino({ baseUrl: s.api.url, apiKey: key.key });
    expect((await reader.assets.list({ limit: 1 })).data).toHaveLength(1);
    await kino.keys.revoke(key.id);
    expect(await reader.assets.list().catch((e) => e)).toMatchObject({ status: 401 });

    expect(await kino.account.get()).toMatchObject({ id: expect.any(String), limits: expect.any(Object) });
    const [one] = all;
    expect(await kino.analytics.playback(one!)).toMatchObject({ asset_id: one });
    expect(await kino.analytics.qoe(one!)).toMatchObject({ asset_id: one });
    expect(await kino.analytics.account()).toHaveProperty('totals');
  });
});
