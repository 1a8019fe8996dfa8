import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnWorker, startStack, type Stack } from '@kino/testkit-stack';

// The worker registry seen from the api: a worker process counts as alive (with its slots)
// once started, and is gone as soon as a SIGTERM has stopped it gracefully.

let s: Stack;
let child: ChildProcess | undefined;

beforeAll(async () => {
  s = await startStack({ ADMISSION_CACHE_MS: '0' });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await s?.close();
});

const status = async () => (await (await fetch(`${s.api.url}/v1/status`, { headers: { authorization: `Bearer ${s.key}` } })).json()) as any;

it('a started worker is alive in GET /v1/status with its slots, and gone once SIGTERM stopped it', async () => {
  expect((await status()).workers).toEqual({ alive: 0, slots: { process_source: 0, encode_ladder: 0 } });
  child = spawnWorker(s.config, { WORKER_CONCURRENCY: '3', WORKER_LADDER_CONCURRENCY: '2' });
  let exitedEarly = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child!.once('exit', (code, signal) => {
      exitedEarly = true;
      r({ code, signal });
    }),
  );
  let seen = await status();
  while (seen.workers.alive === 0 && !exitedEarly) {
    await sleep(100);
    seen = await status();
  }
  expect(seen.workers).toEqual({ alive: 1, slots: { process_source: 3, encode_ladder: 2 } });
  expect(seen.estimate).toMatchObject({ slots: { process_source: 3, encode_ladder: 2 }, assumes_configured_workers: false });

  child.kill('SIGTERM');
  expect(await exited).toEqual({ code: 0, signal: null });
  expect((await status()).workers).toEqual({ alive: 0, slots: { process_source: 0, encode_ladder: 0 } });
  expect(await s.db.sql`select id from workers`).toEqual([]);
});
