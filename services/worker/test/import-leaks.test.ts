// An import URL may carry a credential (another cloud's presigned URL). Here every URL given
// to the api carries a secret, the api and the worker run as processes of their own with
// their logs captured, and imports succeed, fail in each way a source can fail, and are
// refused at the door. Then every surface a user or an operator reads is searched for the
// secret: the answers, the asset views, the event log (per asset, and its SSE view), the
// job rows, the asset rows, and both logs.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount, issueApiKey } from '@kino/db';
import { createTestConfig, createTestDatabase, createTestS3, makeFixture, scratchDir, type TestDatabase, type TestS3 } from '@kino/testkit';
import { spawnWorker, startApiProcess, type ApiProcess } from '@kino/testkit-stack';
import { openStream } from './sse.ts';

const SECRET = `presigned-secret-${Date.now().toString(36)}`;

let db: TestDatabase;
let s3: TestS3;
let api: ApiProcess;
let worker: ChildProcess;
const workerLog: Buffer[] = [];
let key: string;
let source: Server;
let base: string;
let closedPort: number;

beforeAll(async () => {
  [db, s3] = await Promise.all([createTestDatabase(), createTestS3()]);
  const config = await createTestConfig(db, s3);
  const dir = await scratchDir('kino-import-leaks-');
  const clip = await readFile(await makeFixture('standard', join(dir, 'clip.mp4'), { seconds: 2 }));
  source = createServer((req, res) => {
    const path = req.url!.split('?')[0];
    if (path === '/clip.mp4') return void res.writeHead(200, { 'content-type': 'video/mp4' }).end(clip);
    if (path === '/notes.txt') return void res.writeHead(200).end(`not a video, just ${SECRET}\n`.repeat(20));
    if (path === '/moved') return void res.writeHead(302, { location: `/gone.mp4?X-Amz-Signature=${SECRET}-hop` }).end(SECRET);
    res.writeHead(404).end(`no such file: ${req.url}`);
  });
  source.listen(0, '127.0.0.1');
  await once(source, 'listening');
  base = `http://127.0.0.1:${(source.address() as AddressInfo).port}`;
  const closed = createServer().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  closedPort = (closed.address() as AddressInfo).port;
  closed.close();

  const env = { LOG_LEVEL: 'debug', JOB_MAX_ATTEMPTS: '1', IMPORT_TIMEOUT_SECONDS: '2' };
  api = await startApiProcess(config, env);
  worker = spawnWorker(config, { ...env, JOB_POLL_INTERVAL_MS: '200' }, ['ignore', 'pipe', 'pipe']);
  worker.stdout!.on('data', (c: Buffer) => workerLog.push(c));
  worker.stderr!.on('data', (c: Buffer) => workerLog.push(c));
  key = (await issueApiKey(db.sql, (await createAccount(db.sql, 'leaks')).id)).key;
});

afterAll(async () => {
  for (const child of [worker, api?.process]) {
    if (!child || child.exitCode !== null) continue;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  source?.closeAllConnections();
  source?.close();
  await Promise.all([db?.drop(), s3?.close()]);
});

const auth = () => ({ authorization: `Bearer ${key}` });
const getJson = async (path: string): Promise<any> => (await fetch(`${api.url}${path}`, { headers: auth() })).json();

async function waitUntilEnded(id: string): Promise<any> {
  for (const until = Date.now() + 90_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    const a = await getJson(`/v1/assets/${id}`);
    if (a.error || a.playable_state === 'hls_ready') return a;
  }
  throw new Error(`asset ${id} did not end`);
}

it('keeps an import URL and its credential out of every answer, event, row and log line', async () => {
  const answers: string[] = [];
  const importUrl = async (url: string) => {
    const res = await fetch(`${api.url}/v1/videos`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', 'idempotency-key': `key-${answers.length}` },
      body: JSON.stringify({ url, title: 'leak check' }),
    });
    const text = await res.text();
    answers.push(text);
    return { status: res.status, body: JSON.parse(text) };
  };

  const imports = [
    [`${base}/clip.mp4?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=${SECRET}`, null],
    [`${base}/gone.mp4?token=${SECRET}`, 'SOURCE_UNREACHABLE'],
    [`${base}/moved?sig=${SECRET}`, 'SOURCE_UNREACHABLE'],
    [`${base}/notes.txt?sig=${SECRET}`, 'NOT_MEDIA'],
    [`http://127.0.0.1:${closedPort}/clip.mp4?sig=${SECRET}`, 'SOURCE_UNREACHABLE'],
  ] as const;
  const ids: string[] = [];
  for (const [url, code] of imports) {
    const { status, body } = await importUrl(url);
    expect(status).toBe(202);
    const ended = await waitUntilEnded(body.id);
    expect(ended.error?.code ?? null).toBe(code);
    ids.push(body.id);
  }
  // Refused at the door: the answer says what is wrong without repeating the URL.
  for (const url of [`ftp://127.0.0.1/clip.mp4?sig=${SECRET}`, `https://user:${SECRET}@example.com/clip.mp4`]) {
    expect((await importUrl(url)).status).toBe(400);
  }

  const events = await Promise.all(ids.map((id) => getJson(`/v1/assets/${id}/events?after_sequence=0&limit=500`)));
  const total = events.reduce((n, page) => n + page.data.length, 0);
  const sse = await openStream(`${api.url}/v1/events?after_sequence=0`, auth());
  const streamed = await sse.until((e) => e.length >= total);
  sse.close();

  const surfaces = {
    answers: answers.join('\n'),
    assets: JSON.stringify(await Promise.all(ids.map((id) => getJson(`/v1/assets/${id}`)))),
    list: JSON.stringify(await getJson('/v1/assets?limit=100')),
    events: JSON.stringify(events),
    sse: JSON.stringify(streamed),
    job_rows: JSON.stringify(await db.sql`select * from media_jobs`),
    asset_rows: JSON.stringify(await db.sql`select * from assets`),
    event_rows: JSON.stringify(await db.sql`select * from asset_events`),
    api_log: Buffer.concat(api.output).toString('utf8'),
    worker_log: Buffer.concat(workerLog).toString('utf8'),
  };
  // The surfaces hold what they should, so finding no secret in them means something.
  expect(surfaces.events).toContain('SOURCE_UNREACHABLE');
  expect(surfaces.sse).toContain('asset.source_uploaded');
  expect(surfaces.job_rows).toContain('import: HTTP 404');
  expect(surfaces.api_log).toMatch(/"url":"\/v1\/videos"/);
  expect(surfaces.worker_log).toMatch(/job failed/);
  for (const [name, text] of Object.entries(surfaces)) expect({ name, leaked: text.includes(SECRET) }).toEqual({ name, leaked: false });
  // Nothing of the URL is kept once its import ended.
  expect(await db.sql`select id from assets where import_url is not null`).toEqual([]);
});
