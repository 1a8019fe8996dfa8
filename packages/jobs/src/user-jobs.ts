import type { Queryable, Sql } from '@kino/db';
import { appendEvent } from '@kino/events';
import { enqueueJob, type JobState } from './queue.ts';

// The jobs API's jobs (POST /v1/jobs, /v1/analyze): a `user_jobs` row is what the caller
// sees; its work is one `run_job` row of the media_jobs queue (job_id set, asset_id null),
// so claims, leases, the reaper, retries, shutdown and fair turns are the queue's. The
// queue moves the user job's state at the same commits as its own (claim, retry, release,
// reap, failure); the worker's handler records success (finishUserJob).

export interface JobOutput {
  name: string;
  key: string;
  bytes: number;
  content_type: string;
  /** ffprobe's summary (describeMedia). */
  probe: object;
}

export interface UserJobRow {
  id: string;
  account_id: string;
  operation: string;
  state: JobState;
  request: Record<string, unknown>;
  error: { code: string; message: string } | null;
  outputs: JobOutput[];
  metrics: Record<string, number> | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  /** 0..1: the queue row's progress while running, 1 once succeeded. */
  progress: number;
}

export const FINISHED_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

const PROGRESS = (sql: Queryable) => sql`
  case when u.state = 'succeeded' then 1
       else coalesce((select (m.progress->>'fraction')::float8 from media_jobs m
                      where m.job_id = u.id order by m.id desc limit 1), 0) end as progress`;

export interface NewUserJob {
  accountId: string;
  operation: string;
  request: Record<string, unknown>;
  maxAttempts: number;
  /** The account's user_jobs quota: queued and running jobs. */
  limit: number;
}

/**
 * Queues a job: its row, its queue row and `job.queued`, in one transaction. Null when the
 * account already has `limit` jobs queued or running (checked under a per-account lock, so
 * concurrent submissions cannot all see room for one).
 */
export async function createUserJob(sql: Sql, o: NewUserJob): Promise<UserJobRow | null> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${`kino:user_jobs:${o.accountId}`}, 0))`;
    const [count] = await tx<{ active: number }[]>`
      select count(*)::int as active from user_jobs where account_id = ${o.accountId} and state in ('queued', 'running')`;
    if (count!.active >= o.limit) return null;
    const [job] = await tx<UserJobRow[]>`
      insert into user_jobs (account_id, operation, request)
      values (${o.accountId}, ${o.operation}, ${tx.json(o.request as never)})
      returning *, 0::float8 as progress`;
    await enqueueJob(tx, { jobId: job!.id, accountId: o.accountId, kind: 'run_job', maxAttempts: o.maxAttempts });
    await appendEvent(tx, {
      accountId: o.accountId,
      assetId: null,
      type: 'job.queued',
      data: { job_id: job!.id, reason: 'submitted', operation: o.operation },
    });
    return job!;
  });
}

export async function getUserJob(sql: Queryable, accountId: string, id: string): Promise<UserJobRow | null> {
  const [job] = await sql<UserJobRow[]>`select u.*, ${PROGRESS(sql)} from user_jobs u where u.account_id = ${accountId} and u.id = ${id}`;
  return job ?? null;
}

/** The worker's read: the job whatever its account. */
export async function userJobById(sql: Queryable, id: string): Promise<UserJobRow | null> {
  const [job] = await sql<UserJobRow[]>`select u.*, ${PROGRESS(sql)} from user_jobs u where u.id = ${id}`;
  return job ?? null;
}

/** Newest first; `afterId` is the last row of the page before. */
export async function listUserJobs(
  sql: Queryable,
  accountId: string,
  q: { limit: number; afterId?: string | undefined; state?: JobState | undefined },
): Promise<UserJobRow[]> {
  return sql<UserJobRow[]>`
    select u.*, ${PROGRESS(sql)} from user_jobs u
    where u.account_id = ${accountId}
      ${q.state ? sql`and u.state = ${q.state}` : sql``}
      ${q.afterId ? sql`and (u.created_at, u.id) < (select created_at, id from user_jobs where id = ${q.afterId})` : sql``}
    order by u.created_at desc, u.id desc
    limit ${q.limit}`;
}

/**
 * Cancels a queued or running job: both rows cancelled and `job.cancelled`, in one
 * transaction. `finished` for a job already over; null for none of the account's. The
 * caller announces the cancel (announceCancel with the job id), which aborts a running
 * ffmpeg at once; a lost announcement leaves it to the next lease renewal.
 */
export async function cancelUserJob(sql: Sql, accountId: string, id: string): Promise<UserJobRow | 'finished' | null> {
  return sql.begin(async (tx) => {
    const [job] = await tx<UserJobRow[]>`select * from user_jobs where account_id = ${accountId} and id = ${id} for update`;
    if (!job) return null;
    if (FINISHED_STATES.includes(job.state)) return 'finished';
    const error = { code: 'CANCELLED', message: 'The job was cancelled.' };
    await tx`
      update media_jobs set state = 'cancelled', locked_by = null, locked_until = null, finished_at = now(), updated_at = now(),
             last_error = 'cancelled by the caller'
      where job_id = ${id} and state in ('queued', 'running')`;
    const [done] = await tx<UserJobRow[]>`
      update user_jobs set state = 'cancelled', error = ${tx.json(error)}, finished_at = now(), updated_at = now()
      where id = ${id} returning *, 0::float8 as progress`;
    await appendEvent(tx, { accountId, assetId: null, type: 'job.cancelled', data: { job_id: id, operation: job.operation } });
    return done!;
  });
}

/** The queue claimed the job's row (claimJob). */
export async function markUserJobRunning(tx: Queryable, jobId: string): Promise<void> {
  await tx`
    update user_jobs set state = 'running', started_at = coalesce(started_at, now()), updated_at = now()
    where id = ${jobId} and state in ('queued', 'running')`;
}

/** The queue took the job's row back (a retry, a release, a reaped lease). */
export async function markUserJobQueued(tx: Queryable, jobId: string): Promise<void> {
  await tx`update user_jobs set state = 'queued', updated_at = now() where id = ${jobId} and state = 'running'`;
}

/** The queue gave up on the job (failJob, the reaper): failed, and `job.failed`. */
export async function failUserJob(tx: Queryable, jobId: string, error: { code: string; message: string }): Promise<void> {
  const [job] = await tx<{ account_id: string; operation: string }[]>`
    update user_jobs set state = 'failed', error = ${tx.json(error)}, finished_at = now(), updated_at = now()
    where id = ${jobId} and state in ('queued', 'running')
    returning account_id, operation`;
  if (!job) return;
  await appendEvent(tx, {
    accountId: job.account_id,
    assetId: null,
    type: 'job.failed',
    data: { job_id: jobId, operation: job.operation, ...error },
  });
}

/**
 * The worker's handler finished the work: call inside the transaction that proved the lease
 * (JobContext.holdLease). False when the job is no longer running (cancelled meanwhile).
 */
export async function finishUserJob(
  tx: Queryable,
  jobId: string,
  result: { outputs: JobOutput[]; metrics: Record<string, number> | null },
): Promise<boolean> {
  const [job] = await tx<{ account_id: string; operation: string }[]>`
    update user_jobs set state = 'succeeded', outputs = ${tx.json(result.outputs as never)},
           metrics = ${result.metrics ? tx.json(result.metrics) : null}, finished_at = now(), updated_at = now()
    where id = ${jobId} and state = 'running'
    returning account_id, operation`;
  if (!job) return false;
  await appendEvent(tx, {
    accountId: job.account_id,
    assetId: null,
    type: 'job.succeeded',
    data: { job_id: jobId, operation: job.operation, outputs: result.outputs.map((o) => o.name) },
  });
  return true;
}

/** A finished job's outputs are gone from storage: the row says so (DELETE …/outputs). */
export async function clearUserJobOutputs(sql: Queryable, accountId: string, id: string): Promise<void> {
  await sql`update user_jobs set outputs = '[]', updated_at = now() where account_id = ${accountId} and id = ${id}`;
}

/** Finished jobs still holding outputs that finished before `before`, oldest first (the expiry sweep's batch). */
export async function jobsWithExpiredOutputs(
  sql: Queryable,
  before: Date,
  limit: number,
): Promise<Array<{ id: string; account_id: string }>> {
  return sql<Array<{ id: string; account_id: string }>>`
    select id, account_id from user_jobs
    where finished_at < ${before} and outputs <> '[]'::jsonb
    order by finished_at limit ${limit}`;
}
