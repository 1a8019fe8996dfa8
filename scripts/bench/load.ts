// The HTTP load generator the benches share: undici, one Pool with a connection per
// concurrent client, each client requesting one path back to back. Servers are compared in
// alternating slices, so whatever else the shared machine does slows them alike.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { percentile, sleep } from './util.ts';

/** One server under load: where to send requests, and its process (for CPU time). */
export interface Target {
  base: string;
  path: string;
  pid: number;
}

export interface LoadOptions {
  /** Clients, each on its own connection. */
  concurrency: number;
  /** The body size every response must have (a shorter or longer one counts as an error). */
  bytes: number;
  /** Requests before the measurement starts, to let connections and the JIT settle. */
  warmupMs: number;
}

export interface Slice {
  /** Requests completed inside the measured window. */
  requests: number;
  /** Every response received, warm-up and the tail after the window included. */
  responses: number;
  seconds: number;
  cpuMs: number;
  bytes: number;
  errors: number;
  latencies: number[];
}

export interface LoadResult {
  requests: number;
  rps: number;
  /** req/s of each slice, in the order they ran. */
  sliceRps: number[];
  /** CPU time (user + system, all threads) the server spent per request. */
  cpuUs: number;
  mbps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Every response, warm-up included: what the server answered in all. */
  responses: number;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU milliseconds a process has used so far (all its threads), from /proc. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** `concurrency` clients, each on its own connection, requesting `t.path` back to back for `ms`. */
export async function slice(t: Target, o: LoadOptions & { ms: number }): Promise<Slice> {
  const { base, path } = t;
  const pool = new Pool(base, { connections: o.concurrency, pipelining: 1 });
  const out: Slice = { requests: 0, responses: 0, seconds: 0, cpuMs: 0, bytes: 0, errors: 0, latencies: [] };
  let measuring = false;
  let stop = false;
  const client = async () => {
    while (!stop) {
      const counted = measuring;
      const t0 = performance.now();
      const { statusCode, body } = await pool.request({ path, method: 'GET' });
      let n = 0;
      for await (const chunk of body) n += (chunk as Buffer).length;
      out.responses += 1;
      if (!counted || stop) continue;
      out.latencies.push(performance.now() - t0);
      out.requests += 1;
      out.bytes += n;
      if (statusCode !== 200 || n !== o.bytes) out.errors += 1;
    }
  };
  const clients = Array.from({ length: o.concurrency }, client);
  await sleep(o.warmupMs);
  measuring = true;
  const t0 = performance.now();
  const cpu0 = cpuMs(t.pid);
  await sleep(o.ms);
  stop = true;
  out.seconds = (performance.now() - t0) / 1000;
  out.cpuMs = cpuMs(t.pid) - cpu0;
  await Promise.all(clients);
  await pool.close();
  return out;
}

/** Slices of one server taken together. */
export function summarize(s: Slice[]): LoadResult {
  const seconds = s.reduce((a, x) => a + x.seconds, 0);
  const requests = s.reduce((a, x) => a + x.requests, 0);
  const latencies = s.flatMap((x) => x.latencies).sort((a, b) => a - b);
  return {
    requests,
    rps: requests / seconds,
    sliceRps: s.map((x) => x.requests / x.seconds),
    cpuUs: (s.reduce((a, x) => a + x.cpuMs, 0) * 1000) / requests,
    mbps: s.reduce((a, x) => a + x.bytes, 0) / seconds / 1e6,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors: s.reduce((a, x) => a + x.errors, 0),
    responses: s.reduce((a, x) => a + x.responses, 0),
  };
}

/**
 * Every target on the same cell, in `rounds` alternating slices of `sliceMs` each (the order
 * reversed every other round): whatever else the shared machine is doing slows them alike
 * instead of whichever happened to run at the time. `settleMs` pauses between slices, so
 * one server's after-work (a flush, a GC) does not land in the next one's slice.
 */
export async function compare(
  targets: Target[],
  o: LoadOptions & { rounds: number; sliceMs: number; settleMs?: number },
): Promise<LoadResult[]> {
  const slices: Slice[][] = targets.map(() => []);
  for (let round = 0; round < o.rounds; round++) {
    const order = round % 2 === 0 ? targets.map((_, i) => i) : targets.map((_, i) => i).reverse();
    for (const i of order) {
      slices[i]!.push(await slice(targets[i]!, { ...o, ms: o.sliceMs }));
      if (o.settleMs) await sleep(o.settleMs);
    }
  }
  return slices.map(summarize);
}
