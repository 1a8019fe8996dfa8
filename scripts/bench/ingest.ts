// npm run bench:ingest — the same 1 GiB file in through each door: streamed through the api
// (POST /v1/videos), presigned straight to storage (POST /v1/uploads, multipart), and tus
// (/v1/uploads/tus). For each, the throughput against the reference — the same file sent
// to the same S3 with the SDK's multipart upload, as the api itself stores a stream — and
// the api's RSS growth (the api runs as its own process, a fresh one for each door, warmed by
// one small upload through it, so the growth is the large upload's). Then the
// cost of a cut: the bytes sent again after a connection dies mid-transfer, for tus and for
// a presigned part.
import { createReadStream } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as tus from 'tus-js-client';
import { createAccount, issueApiKey } from '@kino/db';
import { startEmbeddedS3, uploadStream } from '@kino/storage';
import { generateSigningKey } from '@kino/tokens';
import { createTestDatabase, makeFixture, padMp4 } from '@kino/testkit';
import { benchRoleEnv, benchWorkDir, embeddedStorage, freePort, rss, sleep, startRole, stopRole, waitFor } from './util.ts';
import { printTable, writeBenchJson, type Row } from './report.ts';

const BYTES = Number(process.env['BENCH_INGEST_BYTES'] ?? 1024 ** 3);
const MiB = 2 ** 20;

/** Runs `fn` while sampling the api's RSS; returns its duration and the RSS growth over the run. */
async function measured<T>(pid: number, fn: () => Promise<T>): Promise<{ value: T; seconds: number; growthMb: number }> {
  const before = await rss(pid);
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rss(pid));
      await sleep(25);
    }
  })();
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, seconds: (performance.now() - t0) / 1000, growthMb: (peak - before) / MiB };
  } finally {
    sampling = false;
    await sampler;
  }
}

const work = await benchWorkDir('ingest');
const db = await createTestDatabase();
const s3 = await startEmbeddedS3({ directory: join(work, 's3'), buckets: ['kino-bench'] });
const storage = embeddedStorage(s3.endpoint, 'kino-bench');
const key = (await issueApiKey(db.sql, (await createAccount(db.sql, 'bench')).id)).key;
const apiPort = await freePort();
const api = `http://127.0.0.1:${apiPort}`;
const auth = { authorization: `Bearer ${key}` };
const env = benchRoleEnv({ databaseUrl: db.url, s3Endpoint: s3.endpoint, apiPort, signingKey: await generateSigningKey(), dataDir: work });
// No worker: what is measured is the bytes coming in; the jobs they queue wait. A fresh api
// for each door, so one door's RSS is not measured on top of what the one before left.
let apiProc: ChildProcess | undefined;
/**
 * A fresh api, warmed by one small upload through the same door, so the RSS growth measured
 * is the large upload's and not the process's first request (lazy modules, pools, JIT).
 */
async function freshApi(warm: () => Promise<unknown>): Promise<number> {
  await stopApi();
  apiProc = startRole('api', env);
  await waitFor(`${api}/readyz`, 'the api', (status) => status === 200);
  await warm();
  return apiProc.pid!;
}
async function stopApi(): Promise<void> {
  if (!apiProc) return;
  await stopRole(apiProc);
  apiProc = undefined;
}

/** A file to send, and its size. */
interface Source {
  file: string;
  bytes: number;
}

async function streamed({ file, bytes }: Source): Promise<void> {
  const res = await fetch(`${api}/v1/videos`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'video/mp4', 'content-length': String(bytes) },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (res.status !== 201) throw new Error(`streamed upload answered ${res.status}: ${await res.text()}`);
}

async function openDirect(bytes: number): Promise<{ id: string; partBytes: number; parts: { part: number; url: string }[] }> {
  const res = await fetch(`${api}/v1/uploads`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ content_type: 'video/mp4', bytes }),
  });
  const body = (await res.json()) as any;
  if (res.status !== 201) throw new Error(`POST /v1/uploads answered ${res.status}: ${JSON.stringify(body)}`);
  // One PUT is part 1 of the upload, of the whole size.
  const { part_bytes: partBytes = bytes, parts = [{ part: 1, url: body.upload.url }] } = body.upload;
  return { id: body.asset.id, partBytes, parts };
}

async function putPart(file: string, url: string, start: number, end: number): Promise<string> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-length': String(end - start) },
    body: Readable.toWeb(createReadStream(file, { start, end: end - 1 })) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (!res.ok) throw new Error(`part PUT answered ${res.status}`);
  return res.headers.get('etag')!;
}

/** Four parts in flight, as browsers and the SDK send them. */
async function presigned({ file, bytes }: Source): Promise<void> {
  const { id, partBytes, parts } = await openDirect(bytes);
  const etags: { part: number; etag: string }[] = [];
  const queue = [...parts];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        const start = (p.part - 1) * partBytes;
        etags.push({ part: p.part, etag: await putPart(file, p.url, start, Math.min(bytes, start + partBytes)) });
      }
    }),
  );
  const res = await fetch(`${api}/v1/uploads/${id}/complete`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ parts: etags }),
  });
  if (res.status !== 200) throw new Error(`complete answered ${res.status}: ${await res.text()}`);
}

interface TusRun {
  url: string | null;
  sent: number;
}

/**
 * A tus upload of the file; with `cutAt`, the connection is dropped once that many bytes are
 * acknowledged as sent and the run ends there (its URL kept for the resume).
 */
function tusUpload({ file, bytes }: Source, o: { resumeUrl?: string; cutAt?: number } = {}): Promise<TusRun> {
  return new Promise((resolveRun, reject) => {
    const run: TusRun = { url: o.resumeUrl ?? null, sent: 0 };
    const upload = new tus.Upload(createReadStream(file), {
      endpoint: `${api}/v1/uploads/tus`,
      uploadUrl: o.resumeUrl ?? null,
      uploadSize: bytes,
      chunkSize: 64 * MiB,
      headers: auth,
      metadata: { filetype: 'video/mp4', title: 'bench' },
      retryDelays: [],
      onUploadUrlAvailable() {
        run.url = upload.url;
      },
      onProgress(uploaded) {
        run.sent = uploaded;
        if (o.cutAt !== undefined && uploaded >= o.cutAt) {
          void upload.abort(false).then(() => resolveRun(run));
        }
      },
      onSuccess: () => resolveRun(run),
      onError: reject,
    });
    upload.start();
  });
}

/** Where the server says a tus upload stands. */
async function tusOffset(url: string): Promise<number> {
  const res = await fetch(url, { method: 'HEAD', headers: { ...auth, 'tus-resumable': '1.0.0' } });
  return Number(res.headers.get('upload-offset'));
}

try {
  process.stderr.write(`[bench] a ${BYTES / MiB} MiB file (a short clip padded with a free box) …\n`);
  const file = await padMp4(await makeFixture('standard', join(work, 'big.mp4'), { seconds: 2 }), BYTES);
  const size = (await stat(file)).size;

  const big: Source = { file, bytes: size };
  const small: Source = { file: await makeFixture('standard', join(work, 'small.mp4'), { seconds: 2 }), bytes: 0 };
  small.bytes = (await stat(small.file)).size;

  const doors: Record<string, { seconds: number; growthMb: number }> = {};
  // The reference runs in this process and does not touch the api: its RSS column is empty.
  const t0 = performance.now();
  await uploadStream(storage, 'bench/reference', createReadStream(file), { contentType: 'video/mp4' });
  const reference = (performance.now() - t0) / 1000;
  const doorsToMeasure: [string, (source: Source) => Promise<unknown>][] = [
    ['streamed (POST /v1/videos)', streamed],
    ['presigned multipart (4 parts in flight)', presigned],
    ['tus (64 MiB PATCHes)', tusUpload],
  ];
  for (const [name, send] of doorsToMeasure) {
    process.stderr.write(`[bench] ${name} …\n`);
    const m = await measured(await freshApi(() => send(small)), () => send(big));
    doors[name] = { seconds: m.seconds, growthMb: m.growthMb };
  }

  process.stderr.write('[bench] cut and resume …\n');
  // Mid-PATCH, not at a chunk's end: the bytes in flight are what a cut can cost.
  const first = await tusUpload(big, { cutAt: Math.round(size * 0.55) });
  const serverOffset = await tusOffset(first.url!);
  await tusUpload(big, { resumeUrl: first.url! });
  const tusResent = first.sent - serverOffset;

  // A presigned part cut halfway: S3 keeps nothing of a part it did not get whole, so what
  // went out before the cut is sent again with the part.
  const { parts, partBytes } = await openDirect(size);
  const cut = new AbortController();
  let partSent = 0;
  const body = createReadStream(file, { start: 0, end: partBytes - 1 });
  body.on('data', (chunk) => {
    if (cut.signal.aborted) return;
    partSent += chunk.length;
    if (partSent >= partBytes / 2) cut.abort();
  });
  await fetch(parts[0]!.url, {
    method: 'PUT',
    headers: { 'content-length': String(partBytes) },
    body: Readable.toWeb(body) as ReadableStream,
    duplex: 'half',
    signal: cut.signal,
  } as RequestInit).catch(() => null);
  await putPart(file, parts[0]!.url, 0, partBytes);
  const partResent = partSent;

  const rows: Row[] = [
    {
      door: 'reference: SDK multipart straight to S3',
      'MB/s': size / MiB / reference,
      'vs reference': 1,
      'api RSS growth MB': null,
      'growth < 100 MB': '—',
    },
    ...Object.entries(doors).map(([door, d]) => ({
      door,
      'MB/s': size / MiB / d.seconds,
      'vs reference': reference / d.seconds,
      'api RSS growth MB': d.growthMb,
      'growth < 100 MB': d.growthMb < 100 ? 'met' : 'NOT MET',
    })),
  ];
  printTable(`${size / MiB} MiB in through each door (api in its own process, embedded S3, ${cpus().length} cores)`, rows);
  printTable('A connection cut mid-transfer (tus: at 55 % of the file; a presigned part: halfway through it), then resumed', [
    {
      door: 'tus',
      'bytes sent before the cut': first.sent,
      'server offset on resume': serverOffset,
      'bytes sent again': tusResent,
      'of the file': tusResent / size,
    },
    {
      door: 'presigned multipart (the cut part)',
      'bytes sent before the cut': partSent,
      'server offset on resume': 0,
      'bytes sent again': partResent,
      'of the file': partResent / size,
    },
  ]);
  const out = await writeBenchJson('ingest', {
    bytes: size,
    reference_seconds: reference,
    doors,
    resume: {
      tus: { sent_before_cut: first.sent, server_offset: serverOffset, resent: tusResent },
      presigned: { part_bytes: partBytes, sent_before_cut: partSent, resent: partResent },
    },
  });
  console.log(`\nwritten: ${out}`);
} finally {
  await stopApi();
  await s3.close();
  await db.drop();
  await rm(work, { recursive: true, force: true });
}
