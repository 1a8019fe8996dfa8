import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAsset } from '@kino/db';
import { appendEvent } from '@kino/events';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ EVENTS_MAX_STREAMS_PER_ACCOUNT: '2', EVENTS_MAX_STREAM_BUFFER: '64KiB' });
});
afterAll(() => h?.close());

const open = (key: string, query = '') => {
  const controller = new AbortController();
  const response = fetch(`${h.api.url}/v1/events${query}`, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
  return { response, close: () => controller.abort() };
};

/** Whether two streams of an account (A unless told) open at once (the limit is two); closes them either way. */
async function bothOpen(key = h.keyA): Promise<boolean> {
  const a = open(key);
  const b = open(key);
  const statuses = [(await a.response).status, (await b.response).status];
  a.close();
  b.close();
  return statuses.every((x) => x === 200);
}

describe('GET /v1/events limits', () => {
  it('bounds the streams an account may hold open', async () => {
    const a = open(h.keyA);
    const b = open(h.keyA);
    expect((await a.response).status).toBe(200);
    expect((await b.response).status).toBe(200);
    const third = await open(h.keyA).response;
    expect(third.status).toBe(429);
    expect(((await third.json()) as any).error.code).toBe('TOO_MANY_STREAMS');
    // Another account is not affected, and a closed stream frees its slot.
    const other = open(h.keyB);
    expect((await other.response).status).toBe(200);
    other.close();
    a.close();
    // The slot comes back once the api has seen the close: re-open until it has (each
    // refused attempt holds no slot), however long a busy machine takes.
    await expect
      .poll(
        async () => {
          const again = open(h.keyA);
          const status = (await again.response).status;
          again.close();
          return status;
        },
        { timeout: 30_000, interval: 50 },
      )
      .toBe(200);
    b.close();
    // Both slots free again before the next test.
    await expect.poll(() => bothOpen(), { timeout: 30_000, interval: 50 }).toBe(true);
  });

  it('gives the slot back when a client leaves before its stream has started', async () => {
    // Each of these connects and is gone before the api has looked up its cursor.
    for (let i = 0; i < 6; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(Number(new URL(h.api.url).port), '127.0.0.1');
        socket.write(`GET /v1/events HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${h.keyA}\r\n\r\n`, () => {
          socket.destroy();
          resolve();
        });
      });
    }
    // Every slot comes back: two streams open at once, eventually (no sleep decides when).
    await expect.poll(() => bothOpen(), { timeout: 30_000, interval: 50 }).toBe(true);
  });

  it('disconnects a client that stops reading instead of buffering without bound', async () => {
    const accountId = (await h.db.sql`select account_id from api_keys where prefix = ${h.keyB.slice(0, 13)}`)[0]!.account_id as string;
    // Far more than the socket buffers hold, so the unread part has to pile up in the api.
    await h.db.sql`
      insert into asset_events (account_id, asset_id, type, data)
      select ${accountId}, ${randomUUID()}, 'job.progress', jsonb_build_object('pad', repeat('x', 500))
      from generate_series(1, 40000)`;
    // Read the start of the answer, then nothing: the api has counted the stream by the time
    // it sends its status line, and the paused socket leaves the rest to pile up in the api.
    const socket = connect(Number(new URL(h.api.url).port), '127.0.0.1');
    socket.on('error', () => {});
    socket.setEncoding('utf8');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const started = new Promise<string>((resolve) =>
      socket.once('data', (d: string) => {
        socket.pause();
        resolve(d);
      }),
    );
    socket.write(`GET /v1/events?after_sequence=0 HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${h.keyB}\r\n\r\n`);
    let text = await started;
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    // The signal that the api gave up: the stream's slot comes back (the limit is two), while
    // this client still reads nothing. A stream the api kept would hold its slot for good.
    await expect.poll(() => bothOpen(h.keyB), { timeout: 30_000, interval: 50 }).toBe(true);
    // Now read what was sent, up to the close the api made.
    socket.on('data', (d: string) => (text += d));
    socket.resume();
    await closed;
    // A stream the api kept would stay open (SSE never ends) and deliver all 40,000.
    expect(text.split('\nid: ').length - 1).toBeLessThan(40_000);
  });
});

describe('GET /v1/events opening', () => {
  /** The stream's text up to its first blank line, then it is closed. */
  const firstBlock = async (query: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${h.api.url}/v1/events${query}`, { headers: { authorization: `Bearer ${h.keyA}`, ...headers } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    return text.slice(0, text.indexOf('\n\n'));
  };

  it('without Last-Event-ID says where "now" is with an id alone, account-wide and for one asset; resumed, it does not', async () => {
    const accountId = (await h.db.sql`select account_id from api_keys where prefix = ${h.keyA.slice(0, 13)}`)[0]!.account_id as string;
    const assetId = randomUUID();
    await insertAsset(h.db.sql, { id: assetId, accountId, contentType: 'video/mp4' });
    await appendEvent(h.db.sql, { accountId, assetId, type: 'asset.created', data: { title: null } });
    // Another asset's event after it: the head is the account's, whichever asset is followed.
    const head = (await appendEvent(h.db.sql, { accountId, assetId: randomUUID(), type: 'job.progress' })).seq;

    // An `id:` with no data sets the client's last event id (EventSource's as well) and is no event.
    expect(await firstBlock('')).toBe(`id: ${head}\n: connected`);
    expect(await firstBlock(`?asset_id=${assetId}`)).toBe(`id: ${head}\n: connected`);
    await expect.poll(() => bothOpen(), { timeout: 30_000, interval: 50 }).toBe(true);
    expect(await firstBlock('', { 'last-event-id': '1' })).toBe(': connected');
    expect(await firstBlock('?after_sequence=1')).toBe(': connected');
    await expect.poll(() => bothOpen(), { timeout: 30_000, interval: 50 }).toBe(true);
  });
});
