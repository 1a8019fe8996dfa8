import type { Queryable, Sql } from '@kino/db';
import type { Redis } from '@kino/events';
import { openerWaiting } from './queue.ts';

// Segments wanted before the ladder has made them (see migrations/007_segment_jobs.sql).
// The table is small and short-lived: a row exists while its segment is queued or being
// encoded, and the outcome is the artifact row, or its absence.

export interface SegmentJob {
  asset_id: string;
  account_id: string;
  /** The artifact path: `hls/{rendition}/{n}.m4s` or its init segment. */
  path: string;
  priority: number;
  state: 'queued' | 'running';
  /** Viewers waiting for it now (see leaveSegment). */
  waiters: number;
  locked_by: string | null;
  locked_until: Date | null;
  created_at: Date;
}

/** Claim order: a viewer waiting at an edge first, then read-ahead after such a miss. */
export const SEGMENT_PRIORITY = { viewer: 0, readAhead: 1 } as const;

export interface SegmentRequest {
  assetId: string;
  accountId: string;
  path: string;
  priority: number;
  /** Pending viewer requests the whole tier may hold; read-ahead may only use what is free of it. */
  limit: number;
  /** Of those, what one account may hold, so one viewer cannot take every slot. */
  accountLimit: number;
}

/**
 * Asks for a segment: `joined` when it is already queued or being encoded (a lower priority
 * number is taken over), `queued` when a new row was added, `full` when the bounds leave no
 * room for another. Bounded, never an unbounded queue: the caller turns `full` into 503.
 * A viewer's request counts as a waiter until leaveSegment says it stopped waiting.
 */
export async function requestSegment(sql: Sql, r: SegmentRequest): Promise<'queued' | 'joined' | 'full'> {
  return sql.begin(async (tx) => {
    // One request at a time across the tier: the count below and the insert must see every
    // other request's row, or two at once both fit under a bound that holds one, and a
    // request that missed a row just committed would call a queued segment full.
    await tx`select pg_advisory_xact_lock(${SEGMENT_REQUEST_LOCK})`;
    return joinOrQueue(tx, r);
  });
}

/** Arbitrary, but fixed: the advisory lock key that serialises segment requests. */
const SEGMENT_REQUEST_LOCK = 7_012_203;

async function joinOrQueue(sql: Queryable, r: SegmentRequest): Promise<'queued' | 'joined' | 'full'> {
  const waiter = r.priority === SEGMENT_PRIORITY.viewer ? 1 : 0;
  const [joined] = await sql`
    update segment_jobs set priority = least(priority, ${r.priority}), waiters = waiters + ${waiter}
    where asset_id = ${r.assetId} and path = ${r.path}
    returning 1`;
  if (joined) return 'joined';
  // Read-ahead counts every pending row against the bound; a viewer's request only other
  // viewers' requests, so read-ahead never crowds out someone who is waiting.
  const [added] = await sql<{ inserted: boolean }[]>`
    with pending as (
      select count(*) filter (where priority <= ${r.priority}) as tier,
             count(*) filter (where account_id = ${r.accountId} and priority <= ${r.priority}) as account
      from segment_jobs
    )
    insert into segment_jobs (asset_id, account_id, path, priority, waiters)
    select ${r.assetId}, ${r.accountId}, ${r.path}, ${r.priority}, ${waiter}
    from pending
    where pending.tier < ${r.limit} and pending.account < ${r.accountLimit}
    returning true as inserted`;
  return added ? 'queued' : 'full';
}

/**
 * Takes the most urgent segment (with `only`, of that class: the runner's slots for one
 * class are full) and leases it to `workerId`; a running row whose lease ran out (its
 * worker died) is claimable again. SKIP LOCKED, as for media jobs: claimers never wait on
 * each other and never take the same row.
 */
export async function claimSegmentJob(
  sql: Sql,
  workerId: string,
  leaseSeconds: number,
  o: { only?: 'viewers' | 'readAhead' } = {},
): Promise<SegmentJob | null> {
  const [job] = await sql<SegmentJob[]>`
    with next as (
      select asset_id, path from segment_jobs
      where (state = 'queued' or locked_until < now())
        and (${o.only !== 'viewers'} or priority = ${SEGMENT_PRIORITY.viewer})
        and (${o.only !== 'readAhead'} or priority = ${SEGMENT_PRIORITY.readAhead})
        -- Read-ahead is for later: it waits while an upload waits for its opener.
        and (priority = ${SEGMENT_PRIORITY.viewer} or not exists (${openerWaiting(sql)}))
      order by priority, created_at
      limit 1
      for update skip locked
    )
    update segment_jobs s
    set state = 'running', locked_by = ${workerId}, locked_until = now() + make_interval(secs => ${leaseSeconds})
    from next
    where s.asset_id = next.asset_id and s.path = next.path
    returning s.*`;
  return job ?? null;
}

/**
 * Ends a segment job, successful or not. False when the row is no longer this worker's:
 * the asset was deleted (its rows went with it), or the lease ran out and another worker
 * took the segment over. Call it in the transaction that records the segment.
 */
export async function finishSegmentJob(sql: Queryable, job: Pick<SegmentJob, 'asset_id' | 'path'>, workerId: string): Promise<boolean> {
  const rows = await sql`
    delete from segment_jobs
    where asset_id = ${job.asset_id} and path = ${job.path} and locked_by = ${workerId}
    returning 1`;
  return rows.length === 1;
}

/** Gives a segment back to the queue (the worker is stopping), keeping its place. */
export async function releaseSegmentJob(sql: Queryable, job: Pick<SegmentJob, 'asset_id' | 'path'>, workerId: string): Promise<void> {
  await sql`
    update segment_jobs set state = 'queued', locked_by = null, locked_until = null
    where asset_id = ${job.asset_id} and path = ${job.path} and locked_by = ${workerId}`;
}

/**
 * A viewer stopped waiting for a segment it asked for: its wait ran out (it will ask again),
 * or it went away (`gone`: it seeked elsewhere, closed the page). A queued job that the
 * last waiter went away from is dropped, so the slots go to where viewers are now; true
 * when that happened. A running job is left to finish: it is nearly done, and its
 * segment is wanted by whoever plays on.
 */
export async function leaveSegment(sql: Queryable, assetId: string, path: string, o: { gone: boolean }): Promise<boolean> {
  if (o.gone) {
    // Read committed re-checks `waiters` on a row another request updated meanwhile, so a
    // viewer who joined since keeps the job.
    const dropped = await sql`
      delete from segment_jobs
      where asset_id = ${assetId} and path = ${path} and state = 'queued' and waiters <= 1
      returning 1`;
    if (dropped.length > 0) return true;
  }
  await sql`
    update segment_jobs set waiters = greatest(waiters - 1, 0)
    where asset_id = ${assetId} and path = ${path}`;
  return false;
}

/** Whether the segment is still queued or being encoded. */
export async function segmentPending(sql: Queryable, assetId: string, path: string): Promise<boolean> {
  const [row] = await sql`select 1 from segment_jobs where asset_id = ${assetId} and path = ${path}`;
  return row !== undefined;
}

/**
 * Forgets an asset's pending segments (it was deleted) and says until when a worker that
 * was encoding one could still write: its lease.
 */
export async function cancelSegmentJobsOf(sql: Queryable, assetId: string): Promise<Date> {
  const rows = await sql<{ locked_until: Date | null }[]>`
    delete from segment_jobs where asset_id = ${assetId} returning locked_until`;
  return new Date(Math.max(Date.now(), ...rows.map((r) => r.locked_until?.getTime() ?? 0)));
}

// Redis says "look again" (new segment work) and "this segment's job ended"; Postgres stays
// the truth, so a lost message only delays a claim until the next poll or a waiter until its
// next look at the table.
export const SEGMENT_JOBS_CHANNEL = 'kino:segment_jobs';
export const SEGMENT_DONE_CHANNEL = 'kino:segment_jobs:done';

export async function announceSegmentJobs(redis: Redis): Promise<void> {
  await redis.publish(SEGMENT_JOBS_CHANNEL, '1');
}

export async function announceSegmentDone(redis: Redis, assetId: string, path: string): Promise<void> {
  await redis.publish(SEGMENT_DONE_CHANNEL, `${assetId} ${path}`);
}

/**
 * "A viewer waits for this segment now": a worker encoding it as read-ahead, niced, raises
 * it (see the segment runner). A lost message only leaves it niced until the lease's next
 * renewal, which reads the row's priority.
 */
export const SEGMENT_HURRY_CHANNEL = 'kino:segment_jobs:hurry';

export async function announceSegmentWanted(redis: Redis, assetId: string, path: string): Promise<void> {
  await redis.publish(SEGMENT_HURRY_CHANNEL, `${assetId} ${path}`);
}
