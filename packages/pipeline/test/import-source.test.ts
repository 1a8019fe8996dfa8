import type { LookupAddress } from 'node:dns';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourcePrefix } from '@kino/artifacts';
import { getAssetById } from '@kino/db';
import { isPrivateAddress, type EgressPolicy, type Resolver } from '@kino/egress';
import { eventsAfter } from '@kino/events';
import { createImport } from '@kino/ingest';
import { createJobRunner, type JobRunner, type MediaJob } from '@kino/jobs';
import { listKeys, listMultipartUploads, readObjectHead } from '@kino/storage';
import { makeFixture } from '@kino/testkit';
import { describeFailure, importSource } from '../src/index.ts';
import { startBed, type PipelineBed } from './support.ts';

// The import job under a real runner (claims, retries with backoff, failJob), against real
// sockets and a real bucket. There is no public internet here, so one seam stands in for
// it: a stub resolver answers for made-up names, and `PUBLIC` — a loopback address, where
// the "public" source listens — is the one address this test's policy does not count as
// private. Every other address is judged by the real rules, so a redirect to 127.0.0.1 or
// to a name that resolves there is refused exactly as a redirect into a private network
// would be. Everything that needs no public host runs on real DNS with no seam.

const PUBLIC = '127.0.0.2';
const MiB = 1024 * 1024;
const MAX_BYTES = 9 * MiB;

let bed: PipelineBed;
let clip: Buffer;
let source: Server;
let sourcePort: number;
/** Loopback, where a redirect into private space would land: counts what reaches it. */
let internal: Server;
let internalPort: number;
let internalHits = 0;
const hits: Record<string, number> = {};

/** The source's answers, by path. */
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/clip.mp4': (_req, res) => res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': clip.length }).end(clip),
  '/a': (_req, res) => res.writeHead(302, { location: '/b?token=hop' }).end(),
  '/b': (_req, res) => res.writeHead(307, { location: `http://cdn.import.test:${sourcePort}/clip.mp4` }).end(),
  '/to-loopback': (_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${internalPort}/clip.mp4` }).end(),
  '/to-file': (_req, res) => res.writeHead(308, { location: 'file:///etc/passwd' }).end(),
  '/to-internal-name': (_req, res) => res.writeHead(301, { location: `http://internal.import.test:${internalPort}/clip.mp4` }).end(),
  '/flaky': (_req, res) => {
    if ((hits['/flaky'] ?? 0) === 1) return void res.writeHead(503).end('busy');
    routes['/clip.mp4']!(_req, res);
  },
  // Announces more than the limit and sends nothing: only a check of the length before
  // reading ends this at once (reading would wait for the body until the idle timeout).
  '/declared-too-large': (_req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': MAX_BYTES + 1 });
    res.flushHeaders();
  },
  // A media head, then a byte now and then: never idle for the timeout, never done.
  '/trickle': (req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4' });
    res.write(clip.subarray(0, 4096));
    const drip = setInterval(() => res.write(Buffer.alloc(1)), 500);
    req.socket.once('close', () => clearInterval(drip));
  },
  // No length: the limit is found while streaming, after a multipart upload has begun.
  '/streamed-too-large': (_req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4' });
    const chunk = Buffer.alloc(MiB, 7);
    clip.copy(chunk, 0, 0, 4096);
    let sent = 0;
    const pump = () => {
      while (sent < 10) {
        sent += 1;
        if (!res.write(sent === 1 ? chunk : Buffer.alloc(MiB, 7))) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  },
};
for (let n = 0; n <= 6; n++) routes[`/loop/${n}`] = (_req, res) => res.writeHead(302, { location: `/loop/${n + 1}` }).end();

function handle(req: IncomingMessage, res: ServerResponse) {
  const path = req.url!.split('?')[0]!;
  hits[path] = (hits[path] ?? 0) + 1;
  const route = routes[path];
  if (route) route(req, res);
  else res.writeHead(404).end();
}

const listen = async (server: Server, host: string) => {
  await new Promise<void>((r) => server.listen(0, host, r));
  return (server.address() as AddressInfo).port;
};

/** The made-up names: the source's "public" one, and one that leads into private space. */
const resolve: Resolver = (hostname, _options, callback) => {
  const answers: Record<string, LookupAddress[]> = {
    'cdn.import.test': [{ address: PUBLIC, family: 4 }],
    'internal.import.test': [{ address: '127.0.0.1', family: 4 }],
  };
  queueMicrotask(() =>
    answers[hostname] ? callback(null, answers[hostname]) : callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []),
  );
};
const strict: EgressPolicy = { allowPrivate: false, resolve, isPrivate: (address) => address !== PUBLIC && isPrivateAddress(address) };

let runner: JobRunner;
let policy: EgressPolicy = strict;
/** What the account may still store (its quota), as the worker reads it. */
let storageLeft = Number.POSITIVE_INFINITY;

beforeAll(async () => {
  bed = await startBed();
  clip = await readFile(await makeFixture('standard', join(bed.tmpRoot, 'clip.mp4'), { seconds: 1 }));
  source = createServer(handle);
  sourcePort = await listen(source, PUBLIC);
  internal = createServer((_req, res) => {
    internalHits++;
    res.writeHead(200, { 'content-type': 'video/mp4' }).end(clip);
  });
  internalPort = await listen(internal, '127.0.0.1');
  const deps = {
    sql: bed.db.sql,
    storage: bed.s3.storage,
    maxAttempts: 3,
    maxBytes: MAX_BYTES,
    storageLeft: async () => storageLeft,
    timeoutMs: 2_000,
    // Well above the idle timeout: only a source that keeps trickling reaches it.
    deadlineMs: 4_000,
    get egress() {
      return policy;
    },
  };
  runner = createJobRunner({
    sql: bed.db.sql,
    workerId: 'import-test-worker',
    kinds: ['import_source'],
    concurrency: 2,
    leaseSeconds: 30,
    pollIntervalMs: 100,
    shutdownGraceMs: 1_000,
    handler: (job, ctx) => importSource(deps, job, ctx),
    describeError: describeFailure,
    log: { info() {}, warn() {}, error() {} },
  });
  await runner.start();
});

afterAll(async () => {
  await runner?.stop();
  source?.closeAllConnections();
  internal?.closeAllConnections();
  await new Promise((r) => source?.close(r));
  await new Promise((r) => internal?.close(r));
  await bed?.close();
});

/** Asks for an import of `url` (as the api would: literal private hosts allowed, so the worker's check is the one tested) and waits for its job to end. */
async function runImport(url: string): Promise<{ job: MediaJob; asset: NonNullable<Awaited<ReturnType<typeof getAssetById>>> }> {
  const { asset } = await createImport({ sql: bed.db.sql, maxAttempts: 3 }, { accountId: bed.accountId, url, allowPrivate: true });
  for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    const [job] = await bed.db.sql<MediaJob[]>`
      select * from media_jobs where asset_id = ${asset.id} and kind = 'import_source' and state in ('succeeded', 'failed')`;
    if (job) return { job, asset: (await getAssetById(bed.db.sql, asset.id))! };
  }
  throw new Error(`the import of ${url} did not end`);
}

async function nothingStored(assetId: string) {
  expect(await listKeys(bed.s3.storage, sourcePrefix(assetId))).toEqual([]);
  expect(await listMultipartUploads(bed.s3.storage, sourcePrefix(assetId))).toEqual([]);
}

/** The asset failed with `code`, once, and its URL is forgotten; the job failed after `attempts`. */
async function failedWith(r: Awaited<ReturnType<typeof runImport>>, code: string, attempts = 1) {
  expect(r.job).toMatchObject({ state: 'failed', attempts });
  expect(r.asset).toMatchObject({ source_state: 'failed', import_url: null, error: { code } });
  const errored = (await eventsAfter(bed.db.sql, { accountId: bed.accountId, assetId: r.asset.id, afterSeq: 0, limit: 100 })).filter(
    (e) => e.type === 'asset.errored',
  );
  expect(errored.map((e) => e.data)).toEqual([{ code, message: r.asset.error!.message, job_id: r.job.id }]);
  await nothingStored(r.asset.id);
}

describe('the import job', () => {
  it('follows redirects, checking each hop, and admits the source like an upload', async () => {
    policy = strict;
    const { job, asset } = await runImport(`http://cdn.import.test:${sourcePort}/a`);
    expect(job.state).toBe('succeeded');
    expect(asset).toMatchObject({
      source_state: 'uploaded',
      source_bytes: clip.length,
      source_content_type: 'video/mp4',
      import_url: null,
    });
    expect(await readObjectHead(bed.s3.storage, asset.source_key, clip.length)).toEqual(clip);
    const [next] = await bed.db.sql<MediaJob[]>`select * from media_jobs where asset_id = ${asset.id} and kind = 'process_source'`;
    expect(next).toMatchObject({ state: 'queued', priority: 1 });
    const types = (await eventsAfter(bed.db.sql, { accountId: bed.accountId, assetId: asset.id, afterSeq: 0, limit: 100 })).map(
      (e) => e.type,
    );
    expect(types.filter((t) => t !== 'job.progress')).toEqual([
      'asset.created',
      'job.queued',
      'job.started',
      'asset.source_uploaded',
      'job.queued',
    ]);
  });

  it('refuses a redirect into private space, by address or by name, before connecting there', async () => {
    policy = strict;
    for (const path of ['/to-loopback', '/to-internal-name']) {
      const r = await runImport(`http://cdn.import.test:${sourcePort}${path}`);
      await failedWith(r, 'SOURCE_FORBIDDEN');
      expect(r.asset.error!.message).toBe('The URL redirects to a private, loopback or link-local address, which imports may not reach.');
      expect(r.job.last_error).toBe('import: blocked: private address (after 1 redirect)');
    }
    expect(internalHits).toBe(0);
  });

  it('refuses a name that resolves to loopback (real DNS), and the same URL goes through when private targets are allowed', async () => {
    policy = { allowPrivate: false };
    const before = internalHits;
    await failedWith(await runImport(`http://localhost:${internalPort}/clip.mp4`), 'SOURCE_FORBIDDEN');
    await failedWith(await runImport(`http://127.0.0.1:${internalPort}/clip.mp4`), 'SOURCE_FORBIDDEN');
    expect(internalHits).toBe(before);
    policy = { allowPrivate: true };
    const { job, asset } = await runImport(`http://localhost:${internalPort}/clip.mp4`);
    expect(job.state).toBe('succeeded');
    expect(asset.source_state).toBe('uploaded');
    expect(internalHits).toBe(before + 1);
  });

  it('gives up after five redirects', async () => {
    policy = strict;
    const r = await runImport(`http://cdn.import.test:${sourcePort}/loop/0`);
    await failedWith(r, 'SOURCE_UNREACHABLE');
    expect(r.asset.error!.message).toBe('The source could not be fetched: it redirected more than 5 times.');
    expect(hits['/loop/5']).toBe(1);
    expect(hits['/loop/6']).toBeUndefined();
  });

  it('refuses a redirect to another scheme', async () => {
    policy = strict;
    const r = await runImport(`http://cdn.import.test:${sourcePort}/to-file`);
    await failedWith(r, 'SOURCE_UNREACHABLE');
    expect(r.asset.error!.message).toBe('The source could not be fetched: it redirected to a URL that is not http(s).');
  });

  it('tries a 503 again, through the job’s retries, and imports on the next attempt', async () => {
    policy = strict;
    const { job, asset } = await runImport(`http://cdn.import.test:${sourcePort}/flaky`);
    expect(job).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(asset.source_state).toBe('uploaded');
    const retried = (await eventsAfter(bed.db.sql, { accountId: bed.accountId, assetId: asset.id, afterSeq: 0, limit: 100 })).filter(
      (e) => e.type === 'job.queued' && (e.data as { reason?: string }).reason === 'retry',
    );
    expect(retried.map((e) => (e.data as { error?: unknown }).error)).toEqual([
      {
        code: 'SOURCE_UNREACHABLE',
        message: 'The source could not be fetched: it answered HTTP 503.',
      },
    ]);
  });

  it('refuses a source whose declared length is over the limit before reading its body', async () => {
    policy = strict;
    const r = await runImport(`http://cdn.import.test:${sourcePort}/declared-too-large`);
    await failedWith(r, 'SOURCE_TOO_LARGE');
    expect(r.asset.error!.message).toBe(`The source is larger than the limit of ${MAX_BYTES} bytes.`);
  });

  it('counts the bytes of a source that declares no length, and leaves no multipart part when it runs over', async () => {
    policy = strict;
    await failedWith(await runImport(`http://cdn.import.test:${sourcePort}/streamed-too-large`), 'SOURCE_TOO_LARGE');
  });

  it('stops at the bytes the account may still store, declared or streamed, leaving nothing', async () => {
    policy = strict;
    try {
      storageLeft = 100;
      const declared = await runImport(`http://cdn.import.test:${sourcePort}/clip.mp4`);
      await failedWith(declared, 'SOURCE_TOO_LARGE');
      expect(declared.asset.error!.message).toBe(
        'The source is larger than the 100 bytes the account may still store (its stored_bytes quota).',
      );
      storageLeft = 2 * MiB;
      await failedWith(await runImport(`http://cdn.import.test:${sourcePort}/streamed-too-large`), 'SOURCE_TOO_LARGE');
    } finally {
      storageLeft = Number.POSITIVE_INFINITY;
    }
  });

  it('gives up a source that keeps trickling once the whole fetch runs past its deadline, leaving nothing', async () => {
    policy = strict;
    const r = await runImport(`http://cdn.import.test:${sourcePort}/trickle`);
    await failedWith(r, 'SOURCE_UNREACHABLE');
    expect(r.asset.error!.message).toBe('The source could not be fetched: it took longer than 4 s in all.');
  });

  it('ends a 404 at once, without retrying', async () => {
    policy = strict;
    const r = await runImport(`http://cdn.import.test:${sourcePort}/missing.mp4?X-Amz-Signature=s3cr3t`);
    await failedWith(r, 'SOURCE_UNREACHABLE');
    expect(r.asset.error!.message).toBe('The source could not be fetched: it answered HTTP 404.');
    expect(r.job.last_error).toBe('import: HTTP 404: it answered HTTP 404');
  });
});
