import { type ChildProcess, execFileSync, spawn, type StdioOptions } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { Config } from '@kino/config';

// The worker or the api in a process of its own, for the tests that kill it, signal it,
// watch its children or measure its memory from outside, and a look at what runs on the machine.

const require = createRequire(import.meta.url);
const WORKER_MAIN = join(dirname(require.resolve('@kino/worker')), 'main.ts');
const API_MAIN = join(dirname(require.resolve('@kino/api')), 'main.ts');

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
      IMPORT_ALLOW_PRIVATE: String(config.ingest.importAllowPrivate),
      ...extraEnv,
    },
    stdio,
  });
}

export interface ApiProcess {
  process: ChildProcess;
  url: string;
  /** Everything it wrote to stdout and stderr: its structured log (LOG_LEVEL: error unless given). */
  output: Buffer[];
  /** Resident set size now, in bytes (from /proc). */
  rss(): Promise<number>;
  /** SIGTERM, and the exit. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `services/api/src/main.ts` in a new node process on the database, Redis and bucket
 * of `config`, with its output kept (for the tests that read the api's log), and resolves
 * once it answers /readyz. Analytics point at an address where nothing listens (ClickHouse
 * away, which the api tolerates), so the process holds the api alone and no embedded
 * ClickHouse: its RSS is the api's.
 */
export async function startApiProcess(config: Config, extraEnv: Record<string, string> = {}): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', API_MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      DATABASE_URL: config.databaseUrl,
      REDIS_URL: config.redisUrl,
      S3_ENDPOINT: config.s3.endpoint!,
      S3_BUCKET: config.s3.bucket,
      API_PORT: String(port),
      KINO_DATA_DIR: config.dataDir,
      CLICKHOUSE_URL: 'http://127.0.0.1:1',
      IMPORT_ALLOW_PRIVATE: String(config.ingest.importAllowPrivate),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => output.push(c));
  child.stderr!.on('data', (c: Buffer) => output.push(c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let ready = false; !ready; ) {
    if (child.exitCode !== null) {
      throw new Error(`the api process exited with ${child.exitCode} before it was ready: ${Buffer.concat(output).toString('utf8')}`);
    }
    ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  return {
    process: child,
    url,
    output,
    async rss() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
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
