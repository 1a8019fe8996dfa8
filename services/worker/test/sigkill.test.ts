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

  // A 540p source: its video-only ladder (three rungs) is still running when the worker is
  // killed; a 360p one's is over too soon after it starts to be caught reliably.
  const created = await s.upload('standard', { width: 960, height: 540, seconds: 24 });
  await s.waitFor(created.id, (a) => a.progress?.step === 'ladder' && a.progress.fraction > 0.1);
  // Precondition: the ladder's ffmpeg is running in the doomed worker's scratch directory.
  const before = processesMentioning(scratch);
  expect(before.some((l) => /\bffmpeg\b/.test(l))).toBe(true);
  // The job running the ladder (the asset's first job, probe to opener, is done by now), and
  // its own scratch directory (just-in-time segments have theirs, `kino-job-seg-…`).
  const running = await s.db.sql<{ id: number }[]>`select id from media_jobs where asset_id = ${created.id} and state = 'running'`;
  expect(running).toHaveLength(1);
  const jobId = running[0]!.id;
  const deadScratch = (await readdir(scratch)).filter((n) => n.startsWith(`kino-job-${jobId}-${child!.pid}-`));
  expect(deadScratch).toHaveLength(1);
  // What was recorded before the worker died: the playlists (published at probe time), the
  // opener and the whole audio rendition (all before the video ladder starts), but not the
  // ladder: the asset is not hls_ready, and no video rendition has every segment.
  const recorded = (await s.db.sql<{ path: string }[]>`select path from artifacts where asset_id = ${created.id}`).map((r) => r.path);
  const segmentsOf = (paths: string[], rendition: string) => paths.filter((p) => new RegExp(`^hls/${rendition}/\\d+\\.m4s$`).test(p));
  const ladder = ['480p', '360p', '240p'];
  expect(recorded).toEqual(
    expect.arrayContaining(['hls/master.m3u8', ...[...ladder, 'audio'].map((r) => `hls/${r}/index.m3u8`), 'opener.mp4']),
  );
  expect(recorded).toContain('hls/audio/init.mp4');
  expect(segmentsOf(recorded, 'audio')).toHaveLength(6);
  for (const r of ladder) expect(segmentsOf(recorded, r).length, r).toBeLessThan(6);
  expect((await s.asset(created.id)).playable_state).toBe('opener_ready');
  const exited = new Promise((r) => child!.once('exit', r));
  child.kill('SIGKILL');
  // Reaped, so its pid is gone (a zombie would still look alive to the sweep).
  await exited;
  const [job] = await s.db.sql`select state, attempts, locked_by from media_jobs where id = ${jobId}`;
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
  expect(stepsOfSecond.has('playlists')).toBe(false);
  expect(stepsOfSecond.has('audio')).toBe(false);
  if (recorded.includes('thumbnail.jpg')) expect(stepsOfSecond.has('thumbnail')).toBe(false);
  expect(events.filter((e) => e.type === 'asset.playlists_ready')).toHaveLength(1);
  expect(events.filter((e) => e.type === 'asset.opener_ready')).toHaveLength(1);
  expect(events.filter((e) => e.type === 'asset.thumbnail_ready')).toHaveLength(1);
  expect(events.filter((e) => e.type === 'asset.rendition_ready').map((e) => e.data.rendition)).toEqual(['audio', ...ladder]);

  const rows = await s.db.sql<{ key: string }[]>`select key from artifacts where asset_id = ${created.id}`;
  const keys = await listKeys(s.s3.storage, `videos/${created.id}/`);
  expect(keys.sort()).toEqual(rows.map((r) => r.key).sort());
  // Six segments of 4 s per rendition, the audio rendition's too, each once.
  expect(a.renditions.map((r: any) => r.name)).toEqual([...ladder, 'audio']);
  for (const r of a.renditions) expect(r.segments).toBe(6);
});
