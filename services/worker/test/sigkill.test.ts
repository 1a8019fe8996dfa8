import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listKeys } from '@kino/storage';
import { startStack, type Stack } from '@kino/testkit-stack';
import { scratchDir } from '@kino/testkit';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let s: Stack;
let child: ChildProcess | undefined;

beforeAll(async () => {
  s = await startStack({ JOB_LEASE_SECONDS: '2' });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await s?.close();
});

/** Processes whose command line mentions `text`, this test's own excluded. */
function processesMentioning(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', text], { encoding: 'utf8' }).trim().split('\n').filter((l) => l && !l.includes('pgrep'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

it('re-runs the job of a worker killed mid-encode and ends with one set of artifacts', async () => {
  const scratch = await scratchDir('kino-killed-worker-');
  child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: s.config.databaseUrl, REDIS_URL: s.config.redisUrl,
      S3_ENDPOINT: s.config.s3.endpoint!, S3_BUCKET: s.config.s3.bucket, WORKER_PORT: '0',
      JOB_LEASE_SECONDS: '2', WORKER_TMP_DIR: scratch,
    },
    stdio: 'inherit',
  });

  const created = await s.upload('standard', { width: 640, height: 360, seconds: 24 });
  await s.waitFor(created.id, (a) => a.progress?.step === 'ladder' && a.progress.fraction > 0.1);
  child.kill('SIGKILL');
  const [job] = await s.db.sql`select state, attempts, locked_by from media_jobs where asset_id = ${created.id}`;
  expect(job).toMatchObject({ state: 'running', attempts: 1 });

  // The killed worker's ffmpeg notices its progress pipe is gone and exits too.
  const until = Date.now() + 15_000;
  while (processesMentioning(scratch).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  expect(processesMentioning(scratch)).toEqual([]);

  await s.startWorker({ JOB_LEASE_SECONDS: '2' });
  const a = await s.waitFor(created.id, (x) => ['succeeded', 'failed'].includes(x.progress?.job_state));
  expect(a).toMatchObject({ playable_state: 'hls_ready', error: null, progress: { job_state: 'succeeded', attempts: 2 } });

  const rows = await s.db.sql<{ key: string }[]>`select key from artifacts where asset_id = ${created.id}`;
  const keys = await listKeys(s.s3.storage, `videos/${created.id}/`);
  expect(keys.sort()).toEqual(rows.map((r) => r.key).sort());
  // Six segments of 4 s per rendition, each once.
  for (const r of a.renditions) expect(r.segments).toBe(6);
});
