import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENER_PATH } from '@kino/artifacts';
import { recordEdgeHeartbeat, type EdgeRow } from '@kino/db';
import { createTestDatabase, type TestDatabase } from '@kino/testkit';
import { pickEdge, purgeEdges, warmEdges } from '../src/index.ts';

describe('pickEdge', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const heartbeat = (id: string, region: string) =>
    recordEdgeHeartbeat(db.sql, { id, region, publicUrl: `https://${id}.example`, internalUrl: `http://${id}.internal` });

  it('prefers a healthy edge in the region, then any healthy edge, then the fallback', async () => {
    const o = { healthySeconds: 30, fallbackUrl: 'https://fallback.example' };
    expect(await pickEdge(db.sql, { ...o, region: 'eu' })).toEqual({ id: null, region: null, url: 'https://fallback.example' });
    expect(await pickEdge(db.sql, { healthySeconds: 30 })).toBeNull();

    await heartbeat('edge-us', 'us');
    await heartbeat('edge-eu', 'eu');
    await heartbeat('edge-stale', 'ap');
    await db.sql`update edges set last_seen_at = now() - interval '1 hour' where id = 'edge-stale'`;
    expect(await pickEdge(db.sql, { ...o, region: 'eu' })).toEqual({ id: 'edge-eu', region: 'eu', url: 'https://edge-eu.example' });
    expect((await pickEdge(db.sql, { ...o, region: 'ap' }))?.id).toMatch(/^edge-(us|eu)$/);
    expect((await pickEdge(db.sql, o))?.id).toMatch(/^edge-(us|eu)$/);
  });
});

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** Requests in flight across several fake edges, and the most there were at once. */
interface Gauge {
  now: number;
  most: number;
}

/** An edge's internal routes, answering `status` and recording what they were asked. */
async function fakeEdge(
  status: number,
  gauge: Gauge = { now: 0, most: 0 },
): Promise<{ row: EdgeRow; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    gauge.most = Math.max(gauge.most, ++gauge.now);
    let text = '';
    req.on('data', (c: Buffer) => (text += c));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers, body: JSON.parse(text) });
      // Answer on the next turn, so requests sent together overlap here.
      setImmediate(() => {
        gauge.now -= 1;
        res.writeHead(status, { 'content-type': 'application/json' }).end(status < 300 ? '{}' : '{"error":{"code":"BOOM"}}');
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const row: EdgeRow = {
    id: randomUUID(),
    region: 'test',
    public_url: url,
    internal_url: url,
    registered_at: new Date(),
    last_seen_at: new Date(),
  };
  return { row, received, close: () => new Promise((r) => server.close(() => r())) };
}

describe('warmEdges and purgeEdges', () => {
  const o = { internalToken: 'internal-secret', timeoutMs: 5_000 };

  it('asks every edge with the internal token and reports each outcome, never throwing', async () => {
    const [ok, failing] = await Promise.all([fakeEdge(200), fakeEdge(500)]);
    // Nothing listens on port 9 (discard): an edge that is down.
    const down: EdgeRow = { ...ok.row, id: 'edge-down', internal_url: 'http://127.0.0.1:9' };
    try {
      const assetId = randomUUID();
      const outcomes = await warmEdges([ok.row, failing.row, down], assetId, [OPENER_PATH], o);
      expect(outcomes).toEqual([
        { edge: ok.row.id, ok: true },
        { edge: failing.row.id, ok: false, detail: '500 {"error":{"code":"BOOM"}}' },
        { edge: 'edge-down', ok: false, detail: expect.any(String) },
      ]);
      expect(ok.received).toEqual([
        {
          path: '/internal/warm',
          headers: expect.objectContaining({ authorization: 'Bearer internal-secret' }),
          body: { asset_id: assetId, artifact_paths: [OPENER_PATH] },
        },
      ]);

      await purgeEdges([ok.row], assetId, o);
      expect(ok.received[1]).toMatchObject({ path: '/internal/purge', body: { asset_id: assetId, revoke: true } });
    } finally {
      await Promise.all([ok.close(), failing.close()]);
    }
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const gauge: Gauge = { now: 0, most: 0 };
    const edges = await Promise.all(Array.from({ length: 6 }, () => fakeEdge(200, gauge)));
    try {
      const outcomes = await purgeEdges(
        edges.map((e) => e.row),
        randomUUID(),
        { ...o, concurrency: 2 },
      );
      expect(outcomes.map((x) => x.ok)).toEqual(Array(6).fill(true));
      expect(gauge.most).toBeGreaterThan(0);
      expect(gauge.most).toBeLessThanOrEqual(2);
    } finally {
      await Promise.all(edges.map((e) => e.close()));
    }
  });

  it('sends nothing when there is nothing to warm', async () => {
    const edge = await fakeEdge(200);
    try {
      expect(await warmEdges([edge.row], randomUUID(), [], o)).toEqual([]);
      expect(edge.received).toEqual([]);
    } finally {
      await edge.close();
    }
  });
});
