// B's job start delay behind A's backlog: account A queues a burst of media jobs, account B
// one job just after, while a worker's slots are taking A's. No ffmpeg: claimer loops take
// jobs with the real claimJob and hold each for a fixed time, as a slot busy encoding would.
// The delay under first in, first out (the claim order before fair claims) is computed from
// what was measured, not run: B waits for the same first free slot, then for every job of A
// that was queued ahead of it, `slots` at a time.
import { randomUUID } from 'node:crypto';
import { createAccount, insertAsset, type Sql } from '@kino/db';
import { claimJob, completeJob, enqueueJob } from '@kino/jobs';
import { createTestDatabase } from '@kino/testkit';
import type { Row } from './report.ts';
import { round, sleep } from './util.ts';

export interface JobFairnessOptions {
  /** A's burst. */
  backlog?: number;
  /** Claimer loops, each one worker slot. */
  slots?: number;
  /** How long a slot holds each job. */
  holdMs?: number;
}

async function queueJob(sql: Sql, accountId: string) {
  const assetId = randomUUID();
  await insertAsset(sql, { id: assetId, accountId, contentType: 'video/mp4' });
  return enqueueJob(sql, { assetId, accountId, maxAttempts: 3 });
}

export async function benchJobFairness(o: JobFairnessOptions = {}): Promise<{ rows: Row[] }> {
  const { backlog = 20, slots = 2, holdMs = 200 } = o;
  // Otherwise the slots may run dry, and stop, before B's job arrives.
  if (backlog <= slots) throw new Error('benchJobFairness: the backlog must outnumber the slots');
  const db = await createTestDatabase();
  try {
    const sql = db.sql;
    const a = (await createAccount(sql, 'a')).id;
    const b = (await createAccount(sql, 'b')).id;
    for (let i = 0; i < backlog; i++) await queueJob(sql, a);

    let claims = 0;
    let bClaim = { at: 0, position: 0 };
    const slot = async (n: number) => {
      for (let job = await claimJob(sql, `slot-${n}`, 30); job; job = await claimJob(sql, `slot-${n}`, 30)) {
        claims++;
        if (job.account_id === b) bClaim = { at: performance.now(), position: claims };
        await sleep(holdMs);
        await completeJob(sql, job.id, `slot-${n}`);
      }
    };
    const running = Array.from({ length: slots }, (_, n) => slot(n));
    // A's burst is being served when B's job arrives.
    while (claims < slots) await sleep(5);
    const [queued] = await sql<{ ahead: number }[]>`select count(*)::int as ahead from media_jobs where state = 'queued'`;
    const ahead = queued!.ahead;
    const enqueuedAt = performance.now();
    await queueJob(sql, b);
    await Promise.all(running);

    const fair = round(bClaim.at - enqueuedAt);
    const settings = { 'A queued': backlog, slots, 'hold (ms)': holdMs, "A's jobs queued ahead of B's": ahead };
    return {
      rows: [
        { claims: 'fair across accounts (measured)', ...settings, "B's start delay (ms)": fair, "B's claim (nth)": bClaim.position },
        {
          claims: 'first in, first out (computed)',
          ...settings,
          "B's start delay (ms)": fair + Math.floor(ahead / slots) * holdMs,
          "B's claim (nth)": backlog + 1,
        },
      ],
    };
  } finally {
    await db.drop();
  }
}
