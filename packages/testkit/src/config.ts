import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMIT_NAMES, loadConfig, type Config } from '@kino/config';
import type { TestDatabase } from './database.ts';
import type { TestS3 } from './s3.ts';

// Directories this test file made; vitest-setup.ts removes them after the file, so a test
// that fails half way, or a harness that keeps no handle on them, leaves nothing in /tmp.
const scratch = new Set<string>();

export function removeScratch(): void {
  for (const dir of scratch) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // chdb's background merges can still be writing into its directory after the test's
      // last query (it cannot be closed): what is left goes when the process exits.
      atExit.add(dir);
    }
  }
  scratch.clear();
  chdbPath = undefined;
}

const atExit = new Set<string>();
process.once('exit', () => {
  for (const dir of atExit) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Best effort: the OS's temp cleaning has the last word.
    }
  }
});

let chdbPath: string | undefined;

/** The embedded ClickHouse directory of this test process, removed after each test file. */
export function testClickHousePath(): string {
  if (chdbPath === undefined) {
    chdbPath = join(tmpdir(), `kino-chdb-${process.pid}`);
    scratch.add(chdbPath);
  }
  return chdbPath;
}

/** A temp directory removed after the test file. */
export async function scratchDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scratch.add(dir);
  return dir;
}

/** A Config on the test's own database and bucket, free ports, and any variable overridden. */
// Stored bytes (1 TiB) and webhooks (50, which a test of its own fills) keep the default.
const UNLIMITED = Object.fromEntries(LIMIT_NAMES.filter((n) => n !== 'stored_bytes' && n !== 'webhooks').map((n) => [n, 1_000_000]));

export async function createTestConfig(db: TestDatabase, s3: TestS3, env: Record<string, string> = {}): Promise<Config> {
  return loadConfig({
    NODE_ENV: 'test',
    REDIS_URL: process.env['REDIS_URL'],
    DATABASE_URL: db.url,
    S3_ENDPOINT: s3.config.endpoint,
    S3_BUCKET: s3.config.bucket,
    API_PORT: '0',
    EDGE_PORT: '0',
    WORKER_PORT: '0',
    KINO_DATA_DIR: await scratchDir('kino-data-'),
    JOB_POLL_INTERVAL_MS: '500',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    // Tests read logs as JSON, whatever terminal vitest runs in.
    LOG_FORMAT: 'json',
    // chdb opens one data directory per process (and test files are processes): the roles a
    // test starts share it, each test database getting its own ClickHouse database.
    CLICKHOUSE_URL: process.env['CLICKHOUSE_URL'] ?? '',
    CLICKHOUSE_PATH: testClickHousePath(),
    CLICKHOUSE_DATABASE: db.name,
    // Test sources listen on loopback; the tests of the refusal turn this off.
    IMPORT_ALLOW_PRIVATE: 'true',
    // A test file makes many requests and uploads with one key in seconds; the tests of
    // limits and quotas name plans of their own.
    TENANT_PLANS: JSON.stringify({ default: UNLIMITED }),
    ...env,
  });
}
