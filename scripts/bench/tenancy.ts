// npm run bench:tenancy — what sharing a deployment costs and what it buys:
// 1. the overhead of rate limiting on GET /v1/assets/{id}: req/s with limits (a token taken
//    from Redis per request) against the same api without them (RATE_LIMITS=false), in the
//    same run, with wrk (not Node) as the load; target ≥ 0.9×;
// 2. the cost of one take against a bare Redis PING;
// 3. B's job start delay behind A's backlog of twenty (fair claims vs first in, first out);
// 4. B's webhook latency behind A's 50 endpoints that never answer, against A idle.
import { execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createAccount, issueApiKey } from '@kino/db';
import { startEmbeddedS3 } from '@kino/storage';
import { generateSigningKey } from '@kino/tokens';
import { createTestDatabase } from '@kino/testkit';
import { printTable, writeBenchJson, type Row } from './report.ts';
import { benchJobFairness } from './tenancy-jobs.ts';
import { benchLimiterCost } from './tenancy-limits.ts';
import { benchWebhookFairness } from './tenancy-webhooks.ts';
import { benchRoleEnv, benchWorkDir, freePort, median, round, startRole, stopRole, waitFor } from './util.ts';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env['BENCH_TENANCY_SECONDS'] ?? 8);
const ROUNDS = Number(process.env['BENCH_TENANCY_ROUNDS'] ?? 3);
const CONNECTIONS = Number(process.env['BENCH_TENANCY_CONNECTIONS'] ?? 16);

/** wrk's requests per second against `url` (one thread: the machine has few cores). */
async function wrk(url: string, key: string): Promise<{ rps: number; non2xx: number }> {
  const { stdout } = await promisify(execFile)('wrk', [
    '-t1',
    `-c${CONNECTIONS}`,
    `-d${SECONDS}s`,
    '-H',
    `Authorization: Bearer ${key}`,
    url,
  ]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  if (!Number.isFinite(rps)) throw new Error(`wrk said nothing usable:\n${stdout}`);
  return { rps, non2xx };
}

async function rateLimitOverhead(): Promise<{ rows: Row[]; data: object }> {
  const work = await benchWorkDir('tenancy');
  const db = await createTestDatabase();
  const s3 = await startEmbeddedS3({ directory: join(work, 's3'), buckets: ['kino-bench'] });
  const procs: ChildProcess[] = [];
  try {
    const key = (await issueApiKey(db.sql, (await createAccount(db.sql, 'bench')).id)).key;
    const signingKey = await generateSigningKey();
    // A limit the load stays under (a million a minute; wrk makes about 150 000), so nothing
    // is refused and what is measured is the taking: a process takes such a busy bucket 50
    // tokens at a time (packages/limits chunkOf).
    const plans = JSON.stringify({ default: { reads_per_minute: 1_000_000 } });
    const apis: Record<'limited' | 'unlimited', string> = { limited: '', unlimited: '' };
    for (const name of ['limited', 'unlimited'] as const) {
      const apiPort = await freePort();
      const env = benchRoleEnv({ databaseUrl: db.url, s3Endpoint: s3.endpoint, apiPort, signingKey, dataDir: work });
      procs.push(
        startRole('api', { ...env, TENANT_PLANS: plans, RATE_LIMITS: String(name === 'limited'), CLICKHOUSE_URL: 'http://127.0.0.1:1' }),
      );
      apis[name] = `http://127.0.0.1:${apiPort}`;
      await waitFor(`${apis[name]}/readyz`, `the ${name} api`, (s) => s === 200);
    }
    // An asset to read: a direct upload's, which exists from its creation.
    const made = await fetch(`${apis.limited}/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content_type: 'video/mp4' }),
    });
    const assetId = ((await made.json()) as any).asset.id as string;
    const path = `/v1/assets/${assetId}`;
    // Warm both (JIT, pools, the key cache), then alternate so drift hits both alike.
    for (const base of Object.values(apis))
      for (let i = 0; i < 200; i++) await (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
    const runs: Record<'limited' | 'unlimited', number[]> = { limited: [], unlimited: [] };
    let refused = 0;
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of r % 2 === 0 ? (['unlimited', 'limited'] as const) : (['limited', 'unlimited'] as const)) {
        const { rps, non2xx } = await wrk(`${apis[name]}${path}`, key);
        runs[name].push(rps);
        refused += non2xx;
      }
    }
    if (refused > 0) throw new Error(`${refused} requests were not answered 200: the measurement is not of successful reads`);
    const limited = median(runs.limited);
    const unlimited = median(runs.unlimited);
    return {
      rows: [
        {
          api: 'RATE_LIMITS=false (reference)',
          'req/s (median)': round(unlimited),
          runs: runs.unlimited.map((x) => Math.round(x)).join(' '),
          ratio: 1,
        },
        {
          api: 'rate limited (Redis buckets, 50 tokens per round trip)',
          'req/s (median)': round(limited),
          runs: runs.limited.map((x) => Math.round(x)).join(' '),
          ratio: round(limited / unlimited, 3),
        },
      ],
      data: {
        seconds: SECONDS,
        rounds: ROUNDS,
        connections: CONNECTIONS,
        limited: runs.limited,
        unlimited: runs.unlimited,
        ratio: limited / unlimited,
        target: 0.9,
      },
    };
  } finally {
    await Promise.all(procs.map(stopRole));
    await s3.close();
    await db.drop();
    await rm(work, { recursive: true, force: true });
  }
}

const overhead = await rateLimitOverhead();
printTable(
  `GET /v1/assets/{id} with and without rate limits (wrk, ${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS}; target ≥ 0.9×)`,
  overhead.rows,
);

if (process.env['BENCH_TENANCY_ONLY'] === 'overhead') {
  console.log(
    `\nwritten: ${await writeBenchJson('tenancy-overhead', { rate_limit_overhead: overhead.data }, { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS })}`,
  );
  process.exit(0);
}
const cost = await benchLimiterCost(REDIS_URL);
printTable('One take of the shared limiter against a bare Redis PING (32 at once)', [
  {
    what: 'limiter take (EVALSHA)',
    'per second': cost.takesPerSecond,
    'p50 ms': cost.p50Ms,
    'p99 ms': cost.p99Ms,
    'fell back': cost.fallbackDecisions,
  },
  { what: 'PING (reference)', 'per second': cost.pingsPerSecond, 'p50 ms': null, 'p99 ms': null, 'fell back': null },
]);

const jobs = await benchJobFairness();
printTable("B's job start delay behind A's backlog", jobs.rows);

const hooks = await benchWebhookFairness();
printTable("B's webhook latency behind A's 50 endpoints that never answer (target: each within 2 s)", [
  { 'A is': 'idle (reference)', deliveries: hooks.reference.deliveries, 'p50 ms': hooks.reference.p50Ms, 'max ms': hooks.reference.maxMs },
  {
    'A is': `stuck on 50 dead endpoints (A's peak sends in flight: ${hooks.aPeakInFlight})`,
    deliveries: hooks.behindDeadEndpoints.deliveries,
    'p50 ms': hooks.behindDeadEndpoints.p50Ms,
    'max ms': hooks.behindDeadEndpoints.maxMs,
  },
]);

const out = await writeBenchJson(
  'tenancy',
  {
    rate_limit_overhead: overhead.data,
    limiter_cost: cost,
    job_fairness: jobs.rows,
    webhook_fairness: hooks,
  },
  { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS },
);
console.log(`\nwritten: ${out}`);
