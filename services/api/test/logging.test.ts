import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, issueApiKey } from '@kino/db';
import { createApi, type Api } from '@kino/api';
import { createEdge, type Edge } from '@kino/edge';
import { createTestConfig, createTestDatabase, createTestS3, type TestDatabase, type TestS3 } from '@kino/testkit';

// What machines ask every few seconds (health, readiness, metrics, heartbeats) logs at
// debug; what people and their apps do logs at info. Proved on the real loggers of the api
// and the edge, reading what they write.

const INTERNAL = { authorization: 'Bearer kino-development-internal-token' };
let db: TestDatabase;
let s3: TestS3;
let api: Api;
let edge: Edge;
let key: string;
const lines: Array<{ level: number; reqId?: string; req?: { url: string }; msg: string }> = [];
const capture = { write: (line: string) => void lines.push(JSON.parse(line)) };

beforeAll(async () => {
  [db, s3] = await Promise.all([createTestDatabase(), createTestS3()]);
  api = await createApi(await createTestConfig(db, s3, { LOG_LEVEL: 'debug' }), { logStream: capture });
  await api.start();
  edge = await createEdge(await createTestConfig(db, s3, { LOG_LEVEL: 'debug', KINO_API_URL: api.url }), { logStream: capture });
  await edge.start();
  while ((await db.sql`select 1 from edges`).length === 0) await new Promise((r) => setTimeout(r, 50));
  key = (await issueApiKey(db.sql, (await createAccount(db.sql, 'logs')).id)).key;
});
afterAll(async () => {
  await edge?.stop();
  await api?.stop();
  await Promise.all([db?.drop(), s3?.close()]);
});

/** The level of each request's lines, by the URL its "incoming request" line names. */
function levelsByUrl(): Map<string, Set<number>> {
  const urls = new Map<string, string>();
  for (const l of lines) if (l.reqId && l.req?.url) urls.set(l.reqId, l.req.url);
  const levels = new Map<string, Set<number>>();
  for (const l of lines) {
    const url = l.reqId ? urls.get(l.reqId) : undefined;
    if (url === undefined) continue;
    if (!levels.has(url)) levels.set(url, new Set());
    levels.get(url)!.add(l.level);
  }
  return levels;
}

describe('request logs', () => {
  it('logs health, readiness, metrics and heartbeats at debug and the /v1 routes at info', async () => {
    const quiet = [
      [api.url, '/healthz', {}],
      [api.url, '/readyz', {}],
      [api.url, '/metrics', INTERNAL],
      [api.url, '/internal/revocations', INTERNAL],
      [edge.url, '/healthz', {}],
      [edge.url, '/readyz', {}],
      [edge.url, '/metrics', INTERNAL],
    ] as const;
    for (const [base, path, headers] of quiet) expect((await fetch(`${base}${path}`, { headers })).status).toBe(200);
    expect((await fetch(`${api.url}/v1/assets`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);

    const levels = levelsByUrl();
    for (const [, path] of quiet) {
      // The request was logged (so a LOG_LEVEL=debug run still shows it), at debug only.
      expect([...(levels.get(path) ?? [])], path).toEqual([20]);
    }
    expect([...(levels.get('/v1/assets') ?? [])]).toEqual([30]);
    // The edges' own heartbeats to the api (one at start) are quiet too.
    expect([...(levels.get('/internal/edges/heartbeat') ?? [])]).toEqual([20]);
  });

  it('writes pino-pretty lines, not JSON, with LOG_FORMAT=pretty', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    const pretty = await createApi(await createTestConfig(db, s3, { LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }), { logStream: out });
    await pretty.start();
    try {
      await fetch(`${pretty.url}/v1/assets`, { headers: { authorization: `Bearer ${key}` } });
    } finally {
      await pretty.stop();
    }
    const text = chunks.join('');
    expect(text).toMatch(/INFO.*incoming request/);
    expect(text).toContain('/v1/assets');
    expect(() => JSON.parse(text.split('\n')[0]!)).toThrow();
  });
});
