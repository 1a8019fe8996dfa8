// The attack from issue 10, end to end: uploads that name other files (through the api, and
// planted straight into the bucket as if the sniff had been fooled) against a worker running
// as its own process with real secrets in its environment. A loopback listener and a FIFO
// canary notice any fetch or local read; every surface a failure reaches is then searched
// for what must never leak.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readlink, readdir, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceKeyFor } from '@kino/artifacts';
import { insertAsset, markSourceUploaded } from '@kino/db';
import { enqueueJob } from '@kino/jobs';
import { uploadStream } from '@kino/storage';
import { canaryFile, connectionCounter, hostilePayloads, scratchDir, type Canary, type HostilePayload, type Listener } from '@kino/testkit';
import { openStream } from './sse.ts';
import { spawnWorker, startStack, type Stack } from '@kino/testkit-stack';

const SECRET = `canary-secret-${randomUUID()}`;
const DB_PASSWORD = `canary-db-${randomUUID().slice(0, 8)}`;

let s: Stack;
let net: Listener;
let canary: Canary;
let payloads: HostilePayload[];
let scratch: string;
let worker: ChildProcess;
let accountId: string;
const logs: Buffer[] = [];
/** ffmpeg/ffprobe children of the worker, as /proc showed them while they ran. */
const seen: Array<{ pid: string; env: string[]; cwd: string }> = [];
let watching = true;

beforeAll(async () => {
  s = await startStack();
  net = await connectionCounter();
  const dir = await scratchDir('kino-hostile-');
  canary = await canaryFile(dir);
  payloads = await hostilePayloads(dir, net, canary);
  scratch = await scratchDir('kino-hostile-worker-');
  accountId = (await s.db.sql<{ account_id: string }[]>`select account_id from api_keys limit 1`)[0]!.account_id;

  // Postgres trusts local connections, so the password is never checked: only carried.
  const dbUrl = new URL(s.config.databaseUrl);
  dbUrl.password = DB_PASSWORD;
  worker = spawnWorker(
    s.config,
    {
      LOG_LEVEL: 'info',
      DATABASE_URL: dbUrl.toString(),
      WORKER_TMP_DIR: scratch,
      JOB_POLL_INTERVAL_MS: '200',
      JOB_MAX_ATTEMPTS: '1',
      KINO_TEST_SECRET: SECRET,
      http_proxy: `http://127.0.0.1:${net.port}`,
    },
    ['ignore', 'pipe', 'pipe'],
  );
  worker.stdout!.on('data', (c: Buffer) => logs.push(c));
  worker.stderr!.on('data', (c: Buffer) => logs.push(c));
  void watchTools(worker.pid!);
});

afterAll(async () => {
  watching = false;
  worker?.kill('SIGTERM');
  await new Promise((r) => worker?.once('exit', r));
  await canary?.close();
  await net?.close();
  await s?.close();
});

/** Samples the worker's ffmpeg and ffprobe children: their environment and working directory. */
async function watchTools(parent: number): Promise<void> {
  const known = new Set<string>();
  while (watching) {
    for (const pid of await readdir('/proc').catch(() => [] as string[])) {
      if (!/^\d+$/.test(pid) || known.has(pid)) continue;
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      if (!/^Name:\s+ff(mpeg|probe)$/m.test(status) || !new RegExp(`^PPid:\\s+${parent}$`, 'm').test(status)) continue;
      const [env, cwd] = await Promise.all([
        readFile(`/proc/${pid}/environ`, 'utf8').catch(() => null),
        readlink(`/proc/${pid}/cwd`).catch(() => null),
      ]);
      // An exiting process has already released its memory and reads as an empty
      // environment: only a live sample says what the tool was given.
      if (env === null || cwd === null || env === '') continue;
      known.add(pid);
      seen.push({ pid, env: env.split('\0').filter(Boolean), cwd });
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

const auth = () => ({ authorization: `Bearer ${s.key}` });
const settled = (a: any) => ['succeeded', 'failed'].includes(a.progress?.job_state);

async function uploadFile(file: string, contentType = 'video/mp4'): Promise<Response> {
  return fetch(`${s.api.url}/v1/videos`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': contentType },
    body: await readFile(file),
  });
}

/** What ingest does after its sniff, for a payload the sniff would have refused. */
async function plant(payload: HostilePayload): Promise<string> {
  const id = randomUUID();
  await insertAsset(s.db.sql, { id, accountId, title: payload.name, contentType: 'video/mp4' });
  await uploadStream(s.s3.storage, sourceKeyFor(id), createReadStream(payload.file), { contentType: 'video/mp4' });
  await s.db.sql.begin(async (tx) => {
    await markSourceUploaded(tx, id, (await stat(payload.file)).size);
    await enqueueJob(tx, { assetId: id, accountId, maxAttempts: 1 });
  });
  return id;
}

describe('hostile uploads against a worker process', () => {
  it('the api refuses every text payload with 415 NOT_MEDIA and keeps nothing', async () => {
    for (const p of payloads.filter((x) => !x.playable)) {
      const res = await uploadFile(p.file, 'audio/mpeg');
      const body = (await res.json()) as any;
      expect([p.name, res.status, body.error?.code]).toEqual([p.name, 415, 'NOT_MEDIA']);
    }
    const [row] = await s.db.sql<{ n: number }[]>`select count(*)::int as n from assets`;
    expect(row!.n).toBe(0);
  });

  it('planted past the sniff, each ends errored with a stable code; videos carrying playlists play; nothing is fetched or read', async () => {
    const planted = await Promise.all(payloads.filter((x) => !x.playable).map(async (p) => ({ p, id: await plant(p) })));
    const carried = await Promise.all(
      payloads
        .filter((x) => x.playable)
        .map(async (p) => {
          const res = await uploadFile(p.file);
          expect(res.status).toBe(201);
          return { p, id: ((await res.json()) as any).id as string };
        }),
    );
    for (const { p, id } of planted) {
      const a = await s.waitFor(id, settled);
      expect([p.name, a.source_state, a.error?.code]).toEqual([p.name, 'failed', 'CORRUPT_SOURCE']);
      const events = (await (await fetch(`${s.api.url}/v1/assets/${id}/events`, { headers: auth() })).json()) as any;
      expect(events.data.map((e: any) => e.type)).toContain('asset.errored');
    }
    for (const { p, id } of carried) {
      const a = await s.waitFor(id, settled);
      expect([p.name, a.playable_state, a.error]).toEqual([p.name, 'hls_ready', null]);
    }
    expect(net.connections).toBe(0);
    expect(canary.opened).toBe(false);
  });

  it('ffmpeg and ffprobe ran with PATH and locale only, each in an empty directory of its own', async () => {
    // Precondition: the watcher saw the tools run (the uploads above ran dozens of them).
    expect(seen.length).toBeGreaterThan(0);
    for (const tool of seen) {
      expect(tool.env.map((v) => v.split('=')[0]).sort()).toEqual(['LC_ALL', 'PATH']);
      expect(tool.env.join('\n')).not.toContain(SECRET);
      expect(tool.cwd.startsWith(scratch)).toBe(true);
      expect(tool.cwd).toMatch(/\/kino-run-\w+$/);
    }
  });

  it('no surface a failure reaches carries a URL, a path, a host, a key or a password', async () => {
    const forbidden = [
      /X-Amz-/i,
      /https?:\/\//,
      /file:/,
      /\/tmp\//,
      new RegExp(scratch),
      /kino-job-/,
      /S3RVER/,
      new RegExp(SECRET),
      new RegExp(DB_PASSWORD),
      new RegExp(new URL(s.config.s3.endpoint!).host),
      new RegExp(canary.path),
    ];
    const assets = (await (await fetch(`${s.api.url}/v1/assets?limit=100`, { headers: auth() })).json()) as any;
    const perAsset = await Promise.all(
      assets.data.map(async (a: any) => (await fetch(`${s.api.url}/v1/assets/${a.id}/events`, { headers: auth() })).text()),
    );
    const jobs = await s.db.sql`select last_error from media_jobs`;
    const eventRows = await s.db.sql`select data from asset_events`;
    // The SSE view of the same log, replayed from the start.
    const stream = await openStream(`${s.api.url}/v1/events`, { ...auth(), 'last-event-id': '0' });
    const sse = await stream.until((e) => e.length >= eventRows.length);
    stream.close();
    const events = JSON.stringify(sse);
    const surfaces: Record<string, string> = {
      assets: JSON.stringify(assets.data.map((a: any) => ({ error: a.error, source: a.source, progress: a.progress }))),
      events: perAsset.join('\n') + events,
      event_rows: JSON.stringify(eventRows),
      job_errors: JSON.stringify(jobs),
      // Kino's structured lines (the AWS SDK's Node-version notice is no log of ours), less
      // the health server's own listening address, which operators are meant to see.
      worker_logs: Buffer.concat(logs)
        .toString('utf8')
        .split('\n')
        .filter((l) => l.startsWith('{') && !l.includes('"msg":"Server listening at'))
        .join('\n'),
    };
    expect(jobs.some((j) => j.last_error)).toBe(true);
    expect(surfaces.worker_logs).toMatch(/job failed/);
    for (const [surface, text] of Object.entries(surfaces)) {
      for (const pattern of forbidden)
        expect([
          surface,
          pattern.test(text) ? text.slice(Math.max(0, text.search(pattern) - 200), text.search(pattern) + 100) : null,
        ]).toEqual([surface, null]);
    }
  });
});
