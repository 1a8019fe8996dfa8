import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourcePrefix } from '@kino/artifacts';
import { listKeys, listMultipartUploads } from '@kino/storage';
import { makeFixture } from '@kino/testkit';
import { startStack, type Stack } from '@kino/testkit-stack';

// URL imports end to end: the api takes the URL, a worker fetches it from a real listener on
// loopback (allowed here, as under `npm run up`; the refusal of private addresses is tested
// in packages/pipeline/test/import-source.test.ts and services/api/test/import.test.ts) and
// the asset goes on like an upload. Refusals end the asset with the source's error and
// leave nothing in the bucket.

const MAX_BYTES = 1024 * 1024;

let s: Stack;
let clip: Buffer;
let source: Server;
let base: string;
/** Accepts connections and never says a word. */
let silent: TcpServer;
let silentPort: number;
const sockets = new Set<Socket>();

beforeAll(async () => {
  s = await startStack({ IMPORT_TIMEOUT_SECONDS: '1', JOB_MAX_ATTEMPTS: '2', MAX_UPLOAD_BYTES: String(MAX_BYTES) });
  await s.startWorker();
  clip = await readFile(await makeFixture('standard', join(s.work, 'clip.mp4'), { seconds: 5 }));
  const text = await readFile(await makeFixture('text', join(s.work, 'notes.txt')));
  const big = Buffer.alloc(MAX_BYTES + 1, 7);
  clip.copy(big, 0, 0, 4096);
  source = createHttpServer((req, res) => {
    const path = req.url!.split('?')[0];
    if (path === '/clip.mp4') return void res.writeHead(200, { 'content-type': 'video/mp4' }).end(clip);
    if (path === '/notes.txt') return void res.writeHead(200, { 'content-type': 'video/mp4' }).end(text);
    if (path === '/big.mp4') return void res.writeHead(200, { 'content-type': 'video/mp4' }).end(big);
    res.writeHead(404).end('no such file');
  });
  await new Promise<void>((r) => source.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(source.address() as AddressInfo).port}`;
  silent = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  source?.closeAllConnections();
  await new Promise((r) => source?.close(r));
  await new Promise((r) => silent?.close(r));
  await s?.close();
});

async function importUrl(url: string, fields: Record<string, unknown> = {}) {
  const res = await fetch(`${s.api.url}/v1/videos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url, ...fields }),
  });
  return { status: res.status, location: res.headers.get('location'), body: (await res.json()) as any };
}

async function events(id: string): Promise<any[]> {
  const res = await fetch(`${s.api.url}/v1/assets/${id}/events?after_sequence=0&limit=500`, {
    headers: { authorization: `Bearer ${s.key}` },
  });
  return ((await res.json()) as any).data;
}

/** What a source does, the error the asset ends with, and the attempts it took. */
const REFUSALS: Array<[string, () => string, string, string, number]> = [
  ['a 404', () => `${base}/missing.mp4`, 'SOURCE_UNREACHABLE', 'The source could not be fetched: it answered HTTP 404.', 1],
  ['a text body', () => `${base}/notes.txt`, 'NOT_MEDIA', 'The source does not look like a video or audio file.', 1],
  [
    'a body over MAX_UPLOAD_BYTES',
    () => `${base}/big.mp4`,
    'SOURCE_TOO_LARGE',
    `The source is larger than the limit of ${MAX_BYTES} bytes.`,
    1,
  ],
  // Retried once (JOB_MAX_ATTEMPTS=2), since a silent server may answer later.
  [
    'a server that never answers',
    () => `http://127.0.0.1:${silentPort}/clip.mp4`,
    'SOURCE_UNREACHABLE',
    'The source could not be fetched: no answer came within 1 s.',
    2,
  ],
];

const ended = (a: any) => a.error !== null || a.playable_state === 'hls_ready';

describe('import from a URL', () => {
  it('answers 202 with an importing asset, fetches the URL and reaches hls_ready', async () => {
    const created = await importUrl(`${base}/clip.mp4`, { title: 'Imported', passthrough: 'order-9', playback_policy: 'public' });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({
      title: 'Imported',
      passthrough: 'order-9',
      playback_policy: 'public',
      source_state: 'importing',
      playable_state: 'not_playable',
      source: { content_type: null, bytes: null, meta: null },
      error: null,
    });
    expect(created.location).toBe(created.body.links.self);

    const a = await s.waitFor(created.body.id, ended);
    expect(a).toMatchObject({
      source_state: 'uploaded',
      playable_state: 'hls_ready',
      error: null,
      source: { content_type: 'video/mp4', bytes: clip.length },
    });
    expect(a.source.meta).toMatchObject({ video: { width: 320, height: 240 } });
    expect(a.artifacts.map((x: any) => x.path)).toEqual(expect.arrayContaining(['opener.mp4', 'thumbnail.jpg', 'hls/master.m3u8']));

    const log = await events(a.id);
    const types = log.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual(['asset.created', 'job.queued', 'job.started', 'job.progress']);
    expect(log[1].data).toMatchObject({ reason: 'import' });
    expect(log[3].data).toMatchObject({ step: 'fetch' });
    expect(types).toEqual(expect.arrayContaining(['asset.source_uploaded', 'asset.opener_ready', 'asset.hls_ready']));
    expect(types.indexOf('asset.source_uploaded')).toBeLessThan(types.indexOf('asset.opener_ready'));
    expect(types).not.toContain('asset.errored');
  });

  it.each(REFUSALS)(
    'ends %s as asset.errored with its code, leaving nothing in the bucket',
    async (_what, url, code, message, attempts) => {
      const created = await importUrl(url());
      expect(created.status).toBe(202);
      const a = await s.waitFor(created.body.id, (x) => x.progress?.job_state === 'failed');
      expect(a).toMatchObject({
        source_state: 'failed',
        playable_state: 'not_playable',
        error: { code, message },
        progress: { job_state: 'failed', attempts, max_attempts: 2 },
        source: { bytes: null },
      });
      const errored = (await events(a.id)).filter((e) => e.type === 'asset.errored');
      expect(errored.map((e) => e.data)).toEqual([{ code, message, job_id: expect.any(Number) }]);
      expect(await listKeys(s.s3.storage, sourcePrefix(a.id))).toEqual([]);
      expect(await listMultipartUploads(s.s3.storage, sourcePrefix(a.id))).toEqual([]);
      const [row] = await s.db.sql<{ import_url: string | null }[]>`select import_url from assets where id = ${a.id}`;
      expect(row!.import_url).toBeNull();
    },
  );
});
