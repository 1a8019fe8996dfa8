import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStorage, embeddedS3Config, type Storage } from '@kino/storage';

/** A client of the embedded s3rver. */
export function embeddedStorage(endpoint: string, bucket: string): Storage {
  return createStorage(embeddedS3Config(endpoint, bucket));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port free right now on loopback (the server that takes it starts a moment later). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** Waits up to 30 s for `url` to answer as `ok` says (by default: anything but a 5xx). */
export async function waitFor(url: string, what: string, ok = (status: number) => status < 500): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(url).then(
        (r) => ok(r.status),
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  throw new Error(`${what} never answered at ${url}`);
}

/** The value at fraction `p` of an ascending list (NaN when empty). */
export const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
};

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KINO = join(ROOT, 'bin/kino.mjs');

/**
 * This run's own empty directory, `.kino/bench-run/{name}-{pid}`: its roles keep their state
 * there (embedded S3, ClickHouse, caches, spools), never in the `.kino/` of a running `npm run
 * up`, whose embedded ClickHouse would refuse a second process on its directory.
 */
export async function benchWorkDir(name: string): Promise<string> {
  const dir = resolve(ROOT, process.env['KINO_DATA_DIR'] ?? '.kino', 'bench-run', `${name}-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

/** `kino <role>` in a process of its own (as in production), so its RSS is its own. */
export function startRole(role: 'api' | 'worker', env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [KINO, role], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** SIGTERM, and the role's graceful exit: its database and bucket are dropped right after. */
export async function stopRole(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

/**
 * The environment of roles run apart on a bench's private database, embedded S3 and data
 * directory (see benchWorkDir), on free ports: in production mode (whose signing keys must
 * be given, as every api replica must share them).
 */
export function benchRoleEnv(o: {
  databaseUrl: string;
  s3Endpoint: string;
  /** Default: kino-bench, every bench's bucket. */
  bucket?: string;
  apiPort: number;
  signingKey: object;
  dataDir: string;
}) {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    KINO_DATA_DIR: o.dataDir,
    WORKER_PORT: '0',
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    S3_ENDPOINT: o.s3Endpoint,
    S3_BUCKET: o.bucket ?? 'kino-bench',
    API_PORT: String(o.apiPort),
    MAX_UPLOAD_BYTES: '2GiB',
    INTERNAL_TOKEN: 'kino-bench-internal-token',
    PLAYBACK_SIGNING_KEYS: JSON.stringify([o.signingKey]),
  };
}

/** Resident set size of a process, in bytes, from /proc. */
export async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}
