import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '@kino/db';
import { claimJob, completeJob, failJob, type JobKind, type MediaJob } from '../src/index.ts';
import { useQueueDb } from './queue-db.ts';

const q = useQueueDb();
let a: string;
let b: string;
beforeAll(async () => {
  a = q.accountId;
  b = (await createAccount(q.sql, 'b')).id;
});

async function queue(accountId: string, n: number, kind: JobKind = 'process_source'): Promise<MediaJob[]> {
  const jobs: MediaJob[] = [];
  for (let i = 0; i < n; i++) jobs.push(await q.newJob(3, kind, accountId));
  return jobs;
}

/** One slot: claims, finishes and claims again until the queue is empty; the jobs in claim order. */
async function drain(workerId: string): Promise<MediaJob[]> {
  const order: MediaJob[] = [];
  for (let job = await claimJob(q.sql, workerId, 30); job; job = await claimJob(q.sql, workerId, 30)) {
    order.push(job);
    await completeJob(q.sql, job.id, workerId);
  }
  return order;
}

describe('claims across accounts', () => {
  it("start B's one job at the next free slot, not after A's twenty, and keep A's in order", async () => {
    const backlog = await queue(a, 20);
    const [late] = await queue(b, 1);
    const order = await drain('one-slot');
    expect(order.slice(0, 2).map((j) => j.id)).toContain(late!.id);
    expect(order.filter((j) => j.account_id === a).map((j) => j.id)).toEqual(backlog.map((j) => j.id));

    // The same with every slot busy when B's job arrives: the next slot to come free takes it.
    const more = await queue(a, 20);
    const running = [await claimJob(q.sql, 's1', 30), await claimJob(q.sql, 's2', 30)];
    expect(running.map((j) => j!.id)).toEqual(more.slice(0, 2).map((j) => j.id));
    const [arrived] = await queue(b, 1);
    await completeJob(q.sql, running[0]!.id, 's1');
    expect((await claimJob(q.sql, 's1', 30))!.id).toBe(arrived!.id);
  });

  it('alternate between two accounts with backlogs, whichever queued first', async () => {
    await queue(a, 6);
    await queue(b, 3);
    const order = await drain('one-slot');
    expect(order.map((j) => (j.account_id === a ? 'A' : 'B')).join('')).toBe('ABABABAAA');
  });

  it('let priorities win across accounts: first frames, then purges, then ladders', async () => {
    const [ladder] = await queue(b, 1, 'encode_ladder');
    const [purge] = await queue(a, 1, 'purge_asset');
    const [opener] = await queue(b, 1, 'process_source');
    expect((await drain('one-slot')).map((j) => j.id)).toEqual([opener!.id, purge!.id, ladder!.id]);
  });

  it("never let a retry's early turn move newcomers ahead of a backlog", async () => {
    const [retried] = await queue(a, 4);
    const report = { detail: 'x', retryable: true, error: { code: 'ENCODING_FAILED', message: 'x' } };
    expect(await failJob(q.sql, (await claimJob(q.sql, 'w', 30))!, 'w', report)).toBe('retrying');
    await completeJob(q.sql, (await claimJob(q.sql, 'w', 30))!.id, 'w'); // turn 1, while the retry backs off
    await q.sql`update media_jobs set run_at = now() where id = ${retried!.id}`;
    // The retry, due again, keeps its turn 0; B's burst still starts at the turn served (1),
    // so it alternates with A's last two instead of going ahead of them.
    await queue(b, 3);
    const order = await drain('w');
    expect(order[0]!.id).toBe(retried!.id);
    expect(order.map((j) => (j.account_id === a ? 'A' : 'B')).join('')).toBe('ABABAB');
  });

  it('hand no job out twice to several claimers at once', async () => {
    const accounts = [a, b, (await createAccount(q.sql, 'c')).id];
    const ids = (await Promise.all(accounts.map((acc) => queue(acc, 40)))).flat().map((j) => j.id);
    const claimed = (await Promise.all(['w1', 'w2', 'w3', 'w4', 'w5', 'w6'].map(drain))).flat().map((j) => j.id);
    expect(claimed.toSorted((x, y) => x - y)).toEqual(ids.toSorted((x, y) => x - y));
  });
});
