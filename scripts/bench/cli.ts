// npm run bench:cli — `kino upload` against curl, the same file to the same endpoint by the
// same protocol: tus, created with a POST and sent as one PATCH of the whole file (what the
// SDK under the CLI does on Node). The file (1 GiB by default; BENCH_CLI_MB to change it) is
// a small MP4 padded with a `free` box, so the api admits it as media at the end. Each tool
// runs BENCH_CLI_RUNS times (default 3), alternating; the table shows the median wall time
// of each whole command, process start included, and the CLI's throughput over curl's
// (target >= 0.9x). Its own api, database, bucket and ports: it runs beside `npm run up`.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createAccount, issueApiKey } from '@kino/db';
import { startEmbeddedS3 } from '@kino/storage';
import { generateSigningKey } from '@kino/tokens';
import { createTestDatabase, makeFixture, padMp4 } from '@kino/testkit';
import { printTable, writeBenchJson } from './report.ts';
import { benchRoleEnv, benchWorkDir, freePort, median, round, startRole, stopRole, waitFor } from './util.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MiB = 2 ** 20;
const BYTES = Number(process.env['BENCH_CLI_MB'] ?? 1024) * MiB;
const RUNS = Number(process.env['BENCH_CLI_RUNS'] ?? 3);
const run = promisify(execFile);

const work = await benchWorkDir('cli');
const db = await createTestDatabase();
const s3 = await startEmbeddedS3({ directory: join(work, 's3'), buckets: ['kino-bench'] });
const key = (await issueApiKey(db.sql, (await createAccount(db.sql, 'bench')).id)).key;
const apiPort = await freePort();
const api = `http://127.0.0.1:${apiPort}`;
// No worker: what is measured is the bytes coming in; the jobs they queue wait.
const apiProc = startRole(
  'api',
  benchRoleEnv({ databaseUrl: db.url, s3Endpoint: s3.endpoint, apiPort, signingKey: await generateSigningKey(), dataDir: work }),
);

/** Seconds `fn` takes. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

/** The CLI as a user runs it in the repository (npm run kino -- upload FILE). */
async function cliUpload(file: string): Promise<void> {
  const { stdout } = await run(process.execPath, [join(ROOT, 'bin', 'kino.mjs'), 'upload', file, '--json'], {
    env: { ...process.env, KINO_API_URL: api, KINO_API_KEY: key, XDG_CONFIG_HOME: join(work, 'config') },
  });
  const asset = JSON.parse(stdout) as { source?: { bytes?: number } };
  if (asset.source?.bytes !== BYTES) throw new Error(`the CLI's asset holds ${asset.source?.bytes} bytes, not ${BYTES}`);
}

/** curl: the tus creation, then one PATCH streaming the whole file (-T reads as it sends). */
async function curlUpload(file: string): Promise<void> {
  const auth = ['-H', `authorization: Bearer ${key}`, '-H', 'tus-resumable: 1.0.0'];
  const created = await run('curl', [
    '-sS',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code} %header{location}',
    '-X',
    'POST',
    ...auth,
    '-H',
    `upload-length: ${BYTES}`,
    '-H',
    `upload-metadata: filetype ${Buffer.from('video/mp4').toString('base64')}`,
    `${api}/v1/uploads/tus`,
  ]);
  const [status, location] = created.stdout.trim().split(' ');
  if (status !== '201' || !location) throw new Error(`the tus creation answered ${created.stdout}`);
  // No Expect: 100-continue: the CLI does not wait for one either.
  const sent = await run('curl', [
    '-sS',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    '-X',
    'PATCH',
    ...auth,
    '-H',
    'upload-offset: 0',
    '-H',
    'content-type: application/offset+octet-stream',
    '-H',
    'expect:',
    '-T',
    file,
    new URL(location, api).href,
  ]);
  if (sent.stdout.trim() !== '204') throw new Error(`the PATCH answered ${sent.stdout}`);
}

try {
  await waitFor(`${api}/readyz`, 'the api', (status) => status === 200);
  const file = await padMp4(await makeFixture('standard', join(work, 'upload.mp4'), { seconds: 2 }), BYTES);
  // One round of each first, not counted: the api's lazy modules and pools, the file's page cache.
  await cliUpload(file);
  await curlUpload(file);
  const seconds: Record<'kino upload' | 'curl', number[]> = { 'kino upload': [], curl: [] };
  for (let i = 0; i < RUNS; i++) {
    seconds['kino upload'].push(await timed(() => cliUpload(file)));
    seconds.curl.push(await timed(() => curlUpload(file)));
  }
  const mbps = (tool: keyof typeof seconds) => BYTES / MiB / median(seconds[tool]);
  const rows = (Object.keys(seconds) as (keyof typeof seconds)[]).map((tool) => ({
    tool,
    'median s': round(median(seconds[tool]), 2),
    'MiB/s': round(mbps(tool)),
    'vs curl': round(mbps(tool) / mbps('curl'), 2),
    runs: seconds[tool].map((s) => round(s, 2)).join(', '),
  }));
  printTable(`${BYTES / MiB} MiB over tus to one api, whole commands (target: kino upload >= 0.9x curl)`, rows);
  const out = await writeBenchJson('cli', { seconds, ratio: mbps('kino upload') / mbps('curl') }, { bytes: BYTES, runs: RUNS });
  console.log(`\nwritten: ${out}`);
} finally {
  await stopRole(apiProc);
  await s3.close();
  await db.drop();
  await rm(work, { recursive: true, force: true });
}
