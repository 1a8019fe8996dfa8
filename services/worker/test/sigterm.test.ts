import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scratchDir } from '@kino/testkit';
import { processesMentioning, spawnWorker, startStack, type Stack } from '@kino/testkit-stack';

// The worker's shutdown with a real ffmpeg running: SIGTERM stops claiming, gives the job
// WORKER_SHUTDOWN_GRACE_SECONDS, then aborts it (ffmpeg killed) and hands it back without
// spending an attempt; the next worker takes it from there.

let s: Stack;
let child: ChildProcess | undefined;

beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await s?.close();
});

it('on SIGTERM aborts a running ffmpeg after the grace, releases the job unspent, exits 0; the next worker finishes it', async () => {
  const scratch = await scratchDir('kino-sigterm-worker-');
  child = spawnWorker(s.config, { WORKER_TMP_DIR: scratch, WORKER_SHUTDOWN_GRACE_SECONDS: '1' });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child!.once('exit', (code, signal) => r({ code, signal })),
  );

  // A 540p source: its video-only ladder (three rungs) runs for seconds after the SIGTERM,
  // well past the 1 s grace; a 360p one's would now finish within it.
  const created = await s.upload('standard', { width: 960, height: 540, seconds: 24 });
  await s.waitFor(created.id, (a) => a.progress?.step === 'ladder' && a.progress.fraction > 0.05);
  // Precondition: the ladder's ffmpeg is running under the worker.
  expect(processesMentioning(scratch).some((l) => /\bffmpeg\b/.test(l))).toBe(true);
  // The job running the ladder (the asset's first job, probe to opener, is done by now).
  const running = await s.db.sql<{ id: number; state: string; attempts: number }[]>`
    select id, state, attempts from media_jobs where asset_id = ${created.id} and state = 'running'`;
  expect(running).toHaveLength(1);
  expect(running[0]).toMatchObject({ state: 'running', attempts: 1 });
  const jobId = running[0]!.id;

  child.kill('SIGTERM');
  expect(await exited).toEqual({ code: 0, signal: null });
  // ffmpeg was stopped with it, and its scratch directory removed.
  expect(processesMentioning(scratch)).toEqual([]);
  // Handed back, not failed: queued again with the attempt given back, no lease held.
  const [job] = await s.db.sql`select state, attempts, locked_by from media_jobs where id = ${jobId}`;
  expect(job).toEqual({ state: 'queued', attempts: 0, locked_by: null });
  expect((await s.asset(created.id)).error).toBeNull();

  await s.startWorker();
  const a = await s.waitFor(created.id, (x) => ['succeeded', 'failed'].includes(x.progress?.job_state));
  expect(a).toMatchObject({ playable_state: 'hls_ready', error: null, progress: { job_state: 'succeeded', attempts: 1 } });
});
