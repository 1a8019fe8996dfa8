import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Scratch directories of media and segment jobs: `kino-job-{what}-{pid}-…`. The pid in the
// name lets a restarted worker recognise the scratch of a dead one.
export const SCRATCH_PREFIX = 'kino-job-';

/**
 * Removes the scratch directories of workers that died (SIGKILL, OOM) on this machine:
 * their pid no longer runs. Each holds a source and its ladder, so they add up.
 */
export async function sweepDeadScratch(tmpRoot: string): Promise<number> {
  const root = tmpRoot || tmpdir();
  let removed = 0;
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const pid = Number(new RegExp(`^${SCRATCH_PREFIX}\\w+-(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    await rm(join(root, name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
