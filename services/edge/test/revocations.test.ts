import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '@kino/api';
import { createAccount, issueApiKey, markAssetDeleted, revocationsSince, type Sql } from '@kino/db';
import { appendEvent } from '@kino/events';
import { createTestConfig, createTestDatabase, createTestS3, type TestDatabase, type TestS3 } from '@kino/testkit';
import { get, INTERNAL_TOKEN, startEdgeHarness, type EdgeHarness } from '@kino/testkit-stack';

// A real api on a real Postgres, and a real edge that pulls its revocation list from it
// (through a recording proxy) every second. No worker runs: the purge jobs the deletes
// enqueue never reach the edge, so the revocation list is its only way to learn of them.

let db: TestDatabase;
let apiS3: TestS3;
let api: Api;
let key: string;
let accountId: string;
let proxy: Server;
/** The request targets of the edge's calls to the api. */
const pulls: string[] = [];
let h: EdgeHarness;

beforeAll(async () => {
  [db, apiS3] = await Promise.all([createTestDatabase(), createTestS3()]);
  api = await createApi(await createTestConfig(db, apiS3, { INTERNAL_TOKEN }));
  await api.start();
  const account = await createAccount(db.sql, 'revocations');
  accountId = account.id;
  key = (await issueApiKey(db.sql, account.id)).key;
  const target = new URL(api.url);
  proxy = createServer((req, res) => {
    if (req.url!.startsWith('/internal/revocations')) pulls.push(req.url!);
    const out = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode!, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  h = await startEdgeHarness({ KINO_API_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, EDGE_HEARTBEAT_SECONDS: '1' });
});

afterAll(async () => {
  await h?.close();
  proxy?.closeAllConnections();
  await new Promise((r) => proxy?.close(r));
  await api?.stop();
  await Promise.all([db?.drop(), apiS3?.close()]);
});

/** An asset row in the api's database, with a thumbnail on the edge's origin under its id. */
async function newAsset(): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`
    insert into assets (account_id, source_key, source_state) values (${accountId}, 'sources/x/original', 'uploaded') returning id`;
  await h.put(row!.id, 'thumbnail.jpg', Buffer.from(`thumbnail of ${row!.id}`));
  return row!.id;
}

const deleteViaApi = async (id: string) => {
  const res = await fetch(`${api.url}/v1/assets/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
};

/** The api's revocation list as an edge sees it. */
async function pull(query = ''): Promise<{ cursor: string; more: boolean; ids: string[]; window_seconds: number }> {
  const res = await fetch(`${api.url}/internal/revocations${query}`, { headers: { authorization: `Bearer ${INTERNAL_TOKEN}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as any;
  return { ...body, ids: body.assets.map((a: any) => a.id) };
}

/** Deletes like the api does, in one transaction held open until `release` is called. */
function deleteHeldOpen(sql: Sql, ids: string[]): { started: Promise<void>; release: () => void; done: Promise<void> } {
  let release!: () => void;
  let started!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const startedP = new Promise<void>((r) => (started = r));
  const done = sql
    .begin(async (tx) => {
      for (const id of ids) await markAssetDeleted(tx, accountId, id);
      started();
      await gate;
      for (const id of ids) await appendEvent(tx, { accountId, assetId: id, type: 'asset.deleted' });
    })
    .then(() => {});
  return { started: startedP, release, done };
}

const status = async (id: string) => (await get(await h.url(id, 'thumbnail.jpg'))).status;

async function until(ok: () => Promise<boolean>): Promise<void> {
  // No limit of its own: the test's timeout bounds it.
  while (!(await ok())) await new Promise((r) => setTimeout(r, 50));
}

describe('incremental revocations', () => {
  const deleted: string[] = [];
  let live: string;

  it('a pull with the cursor returns only what was deleted after it', async () => {
    live = await newAsset();
    const [a, b, c] = [await newAsset(), await newAsset(), await newAsset()];
    await deleteViaApi(a!);
    await deleteViaApi(b!);
    deleted.push(a!, b!);

    const first = await pull();
    expect(first.ids).toEqual([a, b]);
    expect(first.more).toBe(false);
    expect(first.window_seconds).toBeGreaterThanOrEqual(86_400);

    await deleteViaApi(c!);
    deleted.push(c!);
    const second = await pull(`?since=${first.cursor}`);
    expect(second.ids).toEqual([c]);
    const third = await pull(`?since=${second.cursor}`);
    expect(third.ids).toEqual([]);
    expect(third.cursor).toBe(second.cursor);
    // Deleting again appends nothing, so it revokes nothing new.
    await deleteViaApi(c!);
    expect((await pull(`?since=${second.cursor}`)).ids).toEqual([]);
    // Without a cursor: the whole list again.
    expect((await pull()).ids).toEqual([a, b, c]);
  });

  it('pages exactly through deletions that share one timestamp', async () => {
    const before = (await pull()).cursor;
    const same = [await newAsset(), await newAsset(), await newAsset(), await newAsset()];
    const tx = deleteHeldOpen(db.sql, same);
    tx.release();
    await tx.done;
    deleted.push(...same);
    const stamps = await db.sql<{ deleted_at: Date }[]>`select distinct deleted_at from assets where id = any (${same}::uuid[])`;
    expect(stamps).toHaveLength(1);

    const seen: string[] = [];
    let cursor = before;
    for (;;) {
      const page = await pull(`?since=${cursor}&limit=1`);
      seen.push(...page.ids);
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(seen.sort()).toEqual([...same].sort());
  });

  it('does not skip a deletion that started before the cursor but committed after it', async () => {
    const [early, late] = [await newAsset(), await newAsset()];
    const start = (await pull()).cursor;
    // `early` is marked deleted first (its deleted_at is older) but commits last.
    const tx = deleteHeldOpen(db.sql, [early!]);
    await tx.started;
    await deleteViaApi(late!);
    const mid = await pull(`?since=${start}`);
    expect(mid.ids).toEqual([late]);
    tx.release();
    await tx.done;
    deleted.push(early!, late!);
    const [e, l] = await Promise.all(
      [early!, late!].map(async (id) => (await db.sql`select deleted_at from assets where id = ${id}`)[0]!.deleted_at as Date),
    );
    expect(e!.getTime()).toBeLessThan(l!.getTime());
    expect((await pull(`?since=${mid.cursor}`)).ids).toEqual([early]);
  });

  it('answers the same list through the deletions index and through the log', async () => {
    // A cursor far behind the head reads the deletions index instead of walking the log;
    // from every cursor, both give the same page.
    const head = Number((await pull()).cursor);
    for (let since = 0; since <= head; since++) {
      for (const limit of [1, 1000]) {
        const viaIndex = await revocationsSince(db.sql, { since, windowSeconds: 86_460, limit, walkLogWithin: 0 });
        const viaLog = await revocationsSince(db.sql, { since, windowSeconds: 86_460, limit, walkLogWithin: Infinity });
        expect(viaLog, `since ${since}`).toEqual(viaIndex);
      }
    }
    const all = await revocationsSince(db.sql, { windowSeconds: 86_460, limit: 1000 });
    expect(all.revocations.map((r) => r.id).sort()).toEqual([...deleted].sort());
    expect(all).toMatchObject({ cursor: head, more: false });
    // Deletions older than the window are no longer listed.
    expect((await revocationsSince(db.sql, { windowSeconds: 0, limit: 1000 })).revocations).toEqual([]);
    // A cursor from another database (past this log's head) starts over with the whole list.
    const fromElsewhere = await pull('?since=999999999');
    expect(fromElsewhere.ids.sort()).toEqual([...deleted].sort());
  });

  it('refuses bad cursors with the one error shape', async () => {
    for (const q of ['?since=abc', '?since=-1', '?limit=0', '?since=1&limit=100000']) {
      const res = await fetch(`${api.url}/internal/revocations${q}`, { headers: { authorization: `Bearer ${INTERNAL_TOKEN}` } });
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as any).error).toMatchObject({ code: 'VALIDATION_ERROR', request_id: expect.any(String) });
    }
  });

  it('the edge pulls with its cursor and refuses every deleted asset, the live one still plays', async () => {
    // Pulls after the first one carry the cursor.
    await until(async () => pulls.filter((u) => u.includes('since=')).length >= 2);
    expect(pulls[0]).toBe('/internal/revocations');
    for (const id of deleted) await until(async () => (await status(id)) === 410);
    const refused = await get(await h.url(deleted[0]!, 'thumbnail.jpg'));
    expect(JSON.parse(refused.body.toString()).error.code).toBe('ASSET_DELETED');
    expect(await status(live)).toBe(200);

    // A deletion now reaches the edge through an incremental pull.
    const later = await newAsset();
    expect(await status(later)).toBe(200);
    const n = pulls.length;
    await deleteViaApi(later);
    deleted.push(later);
    await until(async () => (await status(later)) === 410);
    expect(pulls.slice(n).every((u) => u.startsWith('/internal/revocations?since='))).toBe(true);

    // A restarted edge has no cursor: it takes the whole list before it serves.
    const before = pulls.length;
    await h.restart();
    expect(pulls[before]).toBe('/internal/revocations');
    for (const id of deleted) expect(await status(id), id).toBe(410);
    expect(await status(live)).toBe(200);
  });
});
