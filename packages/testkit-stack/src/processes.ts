import { type ChildProcess, execFileSync, spawn, type StdioOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Config } from '@kino/config';

// The worker in a process of its own, for the tests that kill it, signal it or watch its
// children from outside, and a look at what runs on the machine.

const WORKER_MAIN = join(dirname(createRequire(import.meta.url).resolve('@kino/worker')), 'main.ts');

/**
 * Starts `services/worker/src/main.ts` in a new node process, on the database, Redis and
 * bucket of `config` (a stack's), on a port of its own. `extraEnv` adds to that environment
 * or overrides any of it (LOG_LEVEL, DATABASE_URL, WORKER_TMP_DIR, job settings...).
 */
export function spawnWorker(config: Config, extraEnv: Record<string, string> = {}, stdio: StdioOptions = 'inherit'): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WORKER_MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: config.databaseUrl,
      REDIS_URL: config.redisUrl,
      S3_ENDPOINT: config.s3.endpoint!,
      S3_BUCKET: config.s3.bucket,
      WORKER_PORT: '0',
      ...extraEnv,
    },
    stdio,
  });
}

/** The processes (pgrep -af lines) whose command line mentions `text`, the pgrep itself excluded. */
export function processesMentioning(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', text], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((l) => l && !l.includes('pgrep'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
