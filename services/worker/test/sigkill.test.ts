import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listKeys } from '@kino/storage';
import { processesMentioning, spawnWorker, startStack, type Stack } from '@kino/testkit-stack';
import { scratchDir } from '@kino/testkit';

let s: Stack;
let child: ChildProcess | undefined;

beforeAll(async () => {
  s = await startStack({ JOB_LEASE_SECONDS: '2' });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await s?.close();
});

it('re-runs the job of a worker killed mid-encode and ends with one set of artifacts', async () => {
  const scratch = await scratchDir('kino-killed-worker-');
  child = spawnWorker(s.config, { JOB_LEASE_SECONDS: '2', WORKER_TMP_DIR: scratch });

  const created = await s.upload('standard', { width: 640, height: 360, seconds: 24 });
  await s.waitFor(created.id, (a) => a.progress?.step === 'ladder' && a.progress.fraction > 0.1);
  // Precondition: the ladder's ffmpeg is running in the doomed worker's scratch directory.
  const before = processesMentioning(scratch);
  expect(before.some((l) => /\bffmpeg\b/.test(l))).toBe(true);
  const deadScratch = (await readdir(scratch)).filter((n) => n.startsWith(`kino-job-`) && n.includes(`-${child!.pid}-`));
  expect(deadScratch).toHaveLength(1);
  // What the first attempt recorded before it died: at least the opener.
  const recorded = (await s.db.sql<{ path: string }[]>`select path from artifacts where asset_id = ${created.id}`).map((r) => r.path);
  expect(recorded).toContain('opener.mp4');
  expect(recorded).not.toContain('hls/master.m3u8');
  const exited = new Promise((r) => child!.once('exit', r));
  child.kill('SIGKILL');
  // Reaped, so its pid is gone (a zombie would still look alive to the sweep).
  await exited;
  const [job] = await s.db.sql`select state, attempts, locked_by from media_jobs where asset_id = ${created.id}`;
  expect(job).toMatchObject({ state: 'running', attempts: 1 });

  // The killed worker's ffmpeg notices its progress pipe is gone and exits too.
  await expect.poll(() => processesMentioning(scratch), { timeout: 30_000, interval: 200 }).toEqual([]);
  // Its scratch directory (source, half a ladder) is still there: nobody cleaned up.
  expect(existsSync(join(scratch, deadScratch[0]!))).toBe(true);

  // The next worker on this machine, with the same scratch root, sweeps it at start.
  await s.startWorker({ JOB_LEASE_SECONDS: '2', WORKER_TMP_DIR: scratch });
  expect(existsSync(join(scratch, deadScratch[0]!))).toBe(false);
  const a = await s.waitFor(created.id, (x) => ['succeeded', 'failed'].includes(x.progress?.job_state));
  expect(a).toMatchObject({ playable_state: 'hls_ready', error: null, progress: { job_state: 'succeeded', attempts: 2 } });

  // The second attempt skipped what the first had recorded: no step of it ran again, and
  // its events appear once.
  const events = await s.db.sql<
    { type: string; data: any }[]
  >`select type, data from asset_events where asset_id = ${created.id} order by seq`;
  const secondStart = events.findIndex((e) => e.type === 'job.started' && e.data.attempt === 2);
  expect(secondStart).toBeGreaterThan(0);
  const stepsOfSecond = new Set(
    events
      .slice(secondStart)
      .filter((e) => e.type === 'job.progress')
      .map((e) => e.data.step),
  );
  expect(stepsOfSecond.has('ladder')).toBe(true);
  expect(stepsOfSecond.has('opener')).toBe(false);
  if (recorded.includes('thumbnail.jpg')) expect(stepsOfSecond.has('thumbnail')).toBe(false);
  expect(events.filter((e) => e.type === 'asset.opener_ready')).toHaveLength(1);
  expect(events.filter((e) => e.type === 'asset.thumbnail_ready')).toHaveLength(1);

  const rows = await s.db.sql<{ key: string }[]>`select key from artifacts where asset_id = ${created.id}`;
  const keys = await listKeys(s.s3.storage, `videos/${created.id}/`);
  expect(keys.sort()).toEqual(rows.map((r) => r.key).sort());
  // Six segments of 4 s per rendition, each once.
  for (const r of a.renditions) expect(r.segments).toBe(6);
});
