// npm run bench:pipeline — how fast an upload becomes playable, against the same ladder
// run as one plain ffmpeg command, and how much memory the api needs for a 1 GiB upload.
// The api and the worker run as their own processes (as in production), on a private
// database and an embedded S3, so the api's RSS is the api's alone.
import type { ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createAccount, issueApiKey } from '@kino/db';
import { planMedia, probe, runFfmpeg } from '@kino/media';
import { startEmbeddedS3 } from '@kino/storage';
import { generateSigningKey } from '@kino/tokens';
import { createTestDatabase, makeFixture } from '@kino/testkit';
import { benchRoleEnv, benchWorkDir, freePort, rss, sleep, startRole, waitFor } from './util.ts';
import { referenceLadderArgs } from './reference-ladder.ts';
import { printTable, writeBenchJson, type Row } from './report.ts';

const FIXTURES = [10, 60];
const INGEST_BYTES = 1024 ** 3;

const work = await benchWorkDir('pipeline');
const db = await createTestDatabase();
const s3dir = await mkdtemp(join(work, 's3-'));
const s3 = await startEmbeddedS3({ directory: s3dir, buckets: ['kino-bench'] });
const key = (await issueApiKey(db.sql, (await createAccount(db.sql, 'bench')).id)).key;
const apiPort = await freePort();
const api = `http://127.0.0.1:${apiPort}`;
const env = {
  ...benchRoleEnv({ databaseUrl: db.url, s3Endpoint: s3.endpoint, apiPort, signingKey: await generateSigningKey(), dataDir: work }),
  WORKER_TMP_DIR: work,
};
const apiProc = startRole('api', env);
let workerProc: ChildProcess | undefined = startRole('worker', env);
const auth = { authorization: `Bearer ${key}` };

async function upload(body: Readable, bytes?: number): Promise<{ id: string }> {
  const res = await fetch(`${api}/v1/videos`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'video/mp4', ...(bytes ? { 'content-length': String(bytes) } : {}) },
    body: Readable.toWeb(body) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string };
}

try {
  await waitFor(`${api}/readyz`, 'the api', (status) => status === 200);
  const rows: Row[] = [];
  const fixtures = [];
  for (const seconds of FIXTURES) {
    process.stderr.write(`[bench] ${seconds} s 1080p30 fixture …\n`);
    const file = await makeFixture('hd', join(work, `hd-${seconds}s.mp4`), { seconds, width: 1920, height: 1080, fps: 30 });
    const size = (await stat(file)).size;

    const t0 = performance.now();
    const { id } = await upload(createReadStream(file), size);
    const uploaded = performance.now();
    let openerAt: number | undefined;
    let hlsAt: number | undefined;
    while (!hlsAt) {
      const a = (await (await fetch(`${api}/v1/assets/${id}`, { headers: auth })).json()) as { playable_state: string; error: unknown };
      if (a.error) throw new Error(`processing failed: ${JSON.stringify(a.error)}`);
      const now = performance.now();
      if (!openerAt && a.playable_state !== 'not_playable') openerAt = now;
      if (a.playable_state === 'hls_ready') hlsAt = now;
      await sleep(20);
    }

    // The reference: the ladder as one bare ffmpeg command, as the pipeline ran it before
    // segment plans, each rung with its own AAC encode; run after the pipeline is done.
    const p = await probe(file);
    const plan = planMedia(p);
    const hlsDir = join(work, `raw-${seconds}`);
    for (const r of plan.video) await mkdir(join(hlsDir, r.name), { recursive: true });
    const r0 = performance.now();
    await runFfmpeg(referenceLadderArgs(file, hlsDir, p, plan));
    const raw = (performance.now() - r0) / 1000;

    const result = {
      fixture: `${seconds}s 1080p30`,
      source_bytes: size,
      upload_s: (uploaded - t0) / 1000,
      opener_ready_s: (openerAt! - uploaded) / 1000,
      hls_ready_s: (hlsAt - uploaded) / 1000,
      raw_ffmpeg_ladder_s: raw,
      renditions: plan.video.map((r) => r.name),
    };
    fixtures.push(result);
    rows.push({
      fixture: result.fixture,
      'upload s': result.upload_s,
      'upload→opener_ready s': result.opener_ready_s,
      'upload→hls_ready s': result.hls_ready_s,
      'raw ffmpeg ladder s': raw,
      'hls_ready / raw': result.hls_ready_s / raw,
      'opener ≤ 2 s': result.opener_ready_s <= 2 ? 'met' : 'NOT MET',
      'ratio ≤ 1.2': result.hls_ready_s / raw <= 1.2 ? 'met' : 'NOT MET',
    });
    await rm(hlsDir, { recursive: true, force: true });
  }

  // The worker would download the 1 GiB "video" just to find it is not one.
  workerProc.kill('SIGTERM');
  await new Promise((r) => workerProc!.once('exit', r));
  workerProc = undefined;
  process.stderr.write('[bench] 1 GiB upload …\n');
  const before = await rss(apiProc.pid!);
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rss(apiProc.pid!));
      await sleep(25);
    }
  })();
  const chunk = Buffer.alloc(1024 * 1024);
  Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]).copy(chunk); // an ftyp box
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent >= INGEST_BYTES) return void this.push(null);
      this.push(sent === 0 ? chunk : Buffer.alloc(chunk.length));
      sent += chunk.length;
    },
  });
  const i0 = performance.now();
  await upload(body, INGEST_BYTES);
  const ingestSeconds = (performance.now() - i0) / 1000;
  sampling = false;
  await sampler;
  const ingest = {
    bytes: INGEST_BYTES,
    seconds: ingestSeconds,
    rss_before_mb: before / 2 ** 20,
    rss_peak_mb: peak / 2 ** 20,
    rss_growth_mb: (peak - before) / 2 ** 20,
  };

  printTable('Upload to playable (each fixture uploaded through the api; the raw ladder is the same ffmpeg command run bare)', rows);
  printTable('api memory while ingesting a 1 GiB upload', [
    {
      'upload s': ingest.seconds,
      'MB/s': INGEST_BYTES / 2 ** 20 / ingest.seconds,
      'RSS before MB': ingest.rss_before_mb,
      'RSS peak MB': ingest.rss_peak_mb,
      'growth MB': ingest.rss_growth_mb,
      'growth < 100 MB': ingest.rss_growth_mb < 100 ? 'met' : 'NOT MET',
    },
  ]);
  const file = await writeBenchJson('pipeline', { fixtures, ingest }, { fixture_seconds: FIXTURES, ingest_bytes: INGEST_BYTES });
  console.log(`\nwritten: ${file}`);
} finally {
  workerProc?.kill('SIGTERM');
  apiProc.kill('SIGTERM');
  await new Promise((r) => apiProc.once('exit', r));
  await s3.close();
  await db.drop();
  await rm(work, { recursive: true, force: true });
}
