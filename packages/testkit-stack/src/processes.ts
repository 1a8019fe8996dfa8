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

const API_MAIN = join(dirname(createRequire(import.meta.url).resolve('@kino/api')), 'main.ts');

export interface ApiProcess {
  process: ChildProcess;
  url: string;
  /** Everything it wrote to stdout and stderr: its structured log. */
  output: Buffer[];
}

/**
 * Starts `services/api/src/main.ts` in a node process of its own, on the database, Redis and
 * bucket of `config`, on a free port, with its output piped (for the tests that read the
 * api's log). Resolves once it listens. ClickHouse points nowhere: analytics answer 503.
 */
export async function spawnApi(config: Config, extraEnv: Record<string, string> = {}): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', API_MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: config.databaseUrl,
      REDIS_URL: config.redisUrl,
      S3_ENDPOINT: config.s3.endpoint!,
      S3_BUCKET: config.s3.bucket,
      API_PORT: '0',
      KINO_DATA_DIR: config.dataDir,
      CLICKHOUSE_URL: 'http://127.0.0.1:9',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: Buffer[] = [];
  child.stderr!.on('data', (c: Buffer) => output.push(c));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      output.push(c);
      const listening = /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(Buffer.concat(output).toString('utf8'));
      if (listening) resolve(listening[1]!);
    });
    child.once('exit', (code) =>
      reject(new Error(`the api exited (${code}) before it listened: ${Buffer.concat(output).toString('utf8')}`)),
    );
  });
  return { process: child, url, output };
}
