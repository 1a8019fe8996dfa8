import { failPendingSource, type AssetError, type Queryable, type Sql } from '@kino/db';
import { appendEvent, appendEvents } from '@kino/events';
import { failUserJob, markUserJobQueued, markUserJobRunning } from './user-jobs.ts';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobProgress {
  step?: string;
  /** 0..1 within the step. */
  fraction?: number;
}

export interface MediaJob {
  id: number;
  /** The asset a pipeline job works on; null for a job of the jobs API (`run_job`). */
  asset_id: string | null;
  /** The user job a `run_job` runs (user-jobs.ts); null for the pipeline's. */
  job_id: string | null;
  account_id: string;
  kind: JobKind;
  /** Claim order: lower first (JOB_PRIORITY). */
  priority: number;
  /** Claim order within a priority: the account's turn (nextTurn). */
  turn: number;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_by: string | null;
  locked_until: Date | null;
  progress: JobProgress;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  /** When the latest attempt was claimed: with finished_at, how long the work took (admission.ts). */
  started_at: Date | null;
  finished_at: Date | null;
}

/**
 * `import_source`: fetch a URL import's source into storage, then queue `process_source`.
 * `process_source`: probe, publish the playlists, make the opener: what a viewer waits for.
 * `encode_ladder`: the thumbnail and the video ladder, queued by the first.
 * `purge_asset`: remove a deleted asset's files everywhere.
 * `run_job`: a job of the jobs API (user-jobs.ts), in the ladder lane with the ladders' priority.
 */
export type JobKind = 'import_source' | 'process_source' | 'encode_ladder' | 'purge_asset' | 'run_job';

/**
 * Claim order across kinds: first frames (an import is the first step towards them) before
 * purges before ladders and the jobs API's jobs, which share a class, so their turns are
 * fair across accounts between them too.
 */
export const JOB_PRIORITY: Record<JobKind, number> = { import_source: 1, process_source: 1, purge_asset: 2, encode_ladder: 3, run_job: 3 };

/** What events say a queue row is: the user job's id for a `run_job`, else the row's own. */
export const eventJobId = (job: Pick<MediaJob, 'id' | 'job_id'>): number | string => job.job_id ?? job.id;

export interface EnqueueOptions {
  /** One of assetId (the pipeline's jobs) and jobId (`run_job`). */
  assetId?: string;
  jobId?: string;
  accountId: string;
  maxAttempts: number;
  kind?: JobKind;
  /** Not before this moment. */
  runAt?: Date;
}

/** Call inside the transaction that makes the job's work exist, so neither exists alone. */
export async function enqueueJob(sql: Queryable, o: EnqueueOptions): Promise<MediaJob> {
  const kind = o.kind ?? 'process_source';
  const priority = JOB_PRIORITY[kind];
  const [job] = await sql<MediaJob[]>`
    insert into media_jobs (asset_id, job_id, account_id, kind, priority, max_attempts, run_at, turn)
    values (${o.assetId ?? null}, ${o.jobId ?? null}, ${o.accountId}, ${kind}, ${priority}, ${o.maxAttempts}, ${o.runAt ?? sql`now()`},
            (${nextTurn(sql, o.accountId, priority)}))
    returning *`;
  return job!;
}

/**
 * Fair claims across accounts (start-time fair queuing): within a priority class jobs are
 * claimed by turn, and an account's jobs take consecutive turns starting no earlier than
 * the turn being served. So an account's backlog of twenty holds turns t … t + 19, and
 * another account's job queued behind it takes the turn being served, t: it starts at the
 * next free slot, and two busy accounts alternate. The turn being served only grows (the
 * latest any claimed job of the class had), so a retry claimed late, with its old turn,
 * never lets newcomers jump back ahead. Two enqueues of one account at once may share a
 * turn: the id orders them.
 */
function nextTurn(sql: Queryable, accountId: string, priority: number) {
  return sql`
    select coalesce(greatest(
      (select max(turn) from media_jobs where priority = ${priority} and started_at is not null),
      (select max(turn) + 1 from media_jobs
       where account_id = ${accountId} and priority = ${priority} and state in ('queued', 'running'))
    ), 0)`;
}

/**
 * Enqueues a job unless the asset already has one of that kind that is pending, running or
 * done: for a job that queues the next (the opener's queues the ladder's) and may itself
 * run again after a crash. Null when there was one.
 */
export async function enqueueJobOnce(sql: Queryable, o: EnqueueOptions & { kind: JobKind; assetId: string }): Promise<MediaJob | null> {
  const [existing] = await sql`
    select 1 from media_jobs
    where asset_id = ${o.assetId} and kind = ${o.kind} and state in ('queued', 'running', 'succeeded')`;
  return existing ? null : enqueueJob(sql, o);
}

/**
 * Takes the most urgent due job (of `kinds`, when given), fairly across accounts (earliest
 * turn, then oldest: nextTurn), and leases it to `workerId`. SKIP LOCKED lets any number of
 * workers claim at once: each skips rows another claimer has locked instead of waiting,
 * so no job is handed out twice and nobody blocks.
 */
export async function claimJob(sql: Sql, workerId: string, leaseSeconds: number, kinds?: readonly JobKind[]): Promise<MediaJob | null> {
  return sql.begin(async (tx) => {
    const job = await claimNext(tx, workerId, leaseSeconds, kinds);
    if (job) {
      if (job.job_id) await markUserJobRunning(tx, job.job_id);
      await appendEvent(tx, {
        accountId: job.account_id,
        assetId: job.asset_id,
        type: 'job.started',
        data: { job_id: eventJobId(job), attempt: job.attempts },
      });
    }
    return job;
  });
}

async function claimNext(sql: Queryable, workerId: string, leaseSeconds: number, kinds?: readonly JobKind[]): Promise<MediaJob | null> {
  const [job] = await sql<MediaJob[]>`
    with next as (
      select id from media_jobs
      where state = 'queued' and run_at <= now() ${kinds ? sql`and kind = any(${kinds as JobKind[]})` : sql``}
        -- The same rows again, by their classes: the index then skips other lanes' classes.
        ${kinds ? sql`and priority = any(${kinds.map((k) => JOB_PRIORITY[k])})` : sql``}
        -- First frames come first: no ladder starts while an upload waits for its opener
        -- (a running one goes on, niced). The ladders of a burst start once its openers are out.
        and (kind <> 'encode_ladder' or not exists (${openerWaiting(sql)}))
      -- The index media_jobs_due in this order: the first row that is due and not locked
      -- ends the scan, however many are queued.
      order by priority, turn, id
      limit 1
      for update skip locked
    )
    update media_jobs j
    set state = 'running',
        attempts = j.attempts + 1,
        locked_by = ${workerId},
        locked_until = now() + make_interval(secs => ${leaseSeconds}),
        started_at = now(),
        updated_at = now()
    from next
    where j.id = next.id
    returning j.*`;
  return job ?? null;
}

/** A query with a row while some upload's first job (probe, playlists, opener) waits to be claimed. */
export function openerWaiting(sql: Queryable) {
  return sql`select 1 from media_jobs where kind = 'process_source' and state = 'queued' and run_at <= now()`;
}

/**
 * Extends the lease. False means the job is no longer ours (the reaper took it back, or
 * it was cancelled): the caller must stop working on it and write nothing more.
 */
export async function renewLease(sql: Sql, jobId: number, workerId: string, leaseSeconds: number): Promise<boolean> {
  const rows = await sql`
    update media_jobs
    set locked_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
    where id = ${jobId} and locked_by = ${workerId} and state = 'running'
    returning id`;
  return rows.length === 1;
}

export async function setProgress(sql: Sql, jobId: number, workerId: string, progress: JobProgress): Promise<boolean> {
  const rows = await sql`
    update media_jobs set progress = ${sql.json(progress as never)}, updated_at = now()
    where id = ${jobId} and locked_by = ${workerId} and state = 'running'
    returning id`;
  return rows.length === 1;
}

/** The step a job shows once it succeeded. */
export const DONE_STEP = 'done';

export async function completeJob(sql: Queryable, jobId: number, workerId: string): Promise<boolean> {
  const rows = await sql`
    update media_jobs
    set state = 'succeeded', locked_by = null, locked_until = null,
        progress = ${sql.json({ step: DONE_STEP, fraction: 1 })}, finished_at = now(), updated_at = now()
    where id = ${jobId} and locked_by = ${workerId} and state = 'running'
    returning id`;
  return rows.length === 1;
}

/** Exponential backoff with full jitter: 5 s, 10 s, 20 s … capped at 10 minutes. */
export function retryDelaySeconds(attempts: number, random = Math.random): number {
  const ceiling = Math.min(600, 5 * 2 ** Math.max(0, attempts - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

export interface FailureReport {
  /** One line for the job's last_error; the stderr tail of ffmpeg goes here. */
  detail: string;
  /** What the user sees on the asset when no attempt is left. */
  error: { code: string; message: string };
  /** False for failures no retry can fix, such as a file that is not video at all. */
  retryable: boolean;
}

/**
 * A job failed for good: the asset shows why. A source that was still to come (a URL import
 * its job gave up on) never comes: it fails too, and its URL is forgotten.
 */
async function failAsset(tx: Queryable, assetId: string, error: AssetError): Promise<void> {
  if (await failPendingSource(tx, assetId, error)) return;
  await tx`update assets set error = ${tx.json(error as never)}, updated_at = now() where id = ${assetId}`;
}

/**
 * Records a failed attempt: back to the queue with a delay while attempts remain and the
 * failure can be retried, otherwise failed for good with the reason copied onto the asset
 * in the same transaction.
 */
export async function failJob(sql: Sql, job: MediaJob, workerId: string, f: FailureReport): Promise<'retrying' | 'failed' | 'lost'> {
  const final = !f.retryable || job.attempts >= job.max_attempts;
  return sql.begin(async (tx) => {
    const rows = await tx`
      update media_jobs
      set state = ${final ? 'failed' : 'queued'},
          run_at = now() + make_interval(secs => ${final ? 0 : retryDelaySeconds(job.attempts)}),
          locked_by = null, locked_until = null, last_error = ${f.detail},
          finished_at = ${final ? tx`now()` : null}, updated_at = now()
      where id = ${job.id} and locked_by = ${workerId} and state = 'running'
      returning id`;
    if (rows.length === 0) return 'lost';
    const event = { accountId: job.account_id, assetId: job.asset_id };
    if (!final) {
      if (job.job_id) await markUserJobQueued(tx, job.job_id);
      await appendEvent(tx, {
        ...event,
        type: 'job.queued',
        data: { job_id: eventJobId(job), reason: 'retry', failed_attempt: job.attempts, error: f.error },
      });
      return 'retrying';
    }
    if (job.job_id) {
      await failUserJob(tx, job.job_id, f.error);
      return 'failed';
    }
    await failAsset(tx, job.asset_id!, f.error);
    await appendEvent(tx, { ...event, type: 'asset.errored', data: { ...f.error, job_id: job.id } });
    return 'failed';
  });
}

/**
 * Gives a job back without spending an attempt, for a worker that shuts down before
 * finishing: the job was not at fault.
 */
export async function releaseJob(sql: Sql, jobId: number, workerId: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [job] = await tx<Pick<MediaJob, 'id' | 'account_id' | 'asset_id' | 'job_id'>[]>`
      update media_jobs
      set state = 'queued', attempts = greatest(attempts - 1, 0), run_at = now(),
          locked_by = null, locked_until = null, updated_at = now()
      where id = ${jobId} and locked_by = ${workerId} and state = 'running'
      returning id, account_id, asset_id, job_id`;
    if (!job) return false;
    if (job.job_id) await markUserJobQueued(tx, job.job_id);
    await appendEvent(tx, {
      accountId: job.account_id,
      assetId: job.asset_id,
      type: 'job.queued',
      data: { job_id: eventJobId(job), reason: 'released' },
    });
    return true;
  });
}

/**
 * Takes back jobs whose worker stopped renewing (killed, partitioned, hung). Each lapse
 * spent an attempt at claim time, so a job that kills its worker every time still ends.
 */
export async function reapExpiredLeases(sql: Sql): Promise<{ requeued: number; failed: number; accounts: string[] }> {
  return sql.begin(async (tx) => {
    const rows = await tx<(Pick<MediaJob, 'id' | 'account_id' | 'asset_id' | 'job_id'> & { state: JobState })[]>`
      update media_jobs
      set state = case when attempts >= max_attempts then 'failed' else 'queued' end,
          -- The same backoff as failJob (retryDelaySeconds): a job that keeps killing its
          -- worker, by exhausting memory say, must not be retried in a tight loop.
          run_at = now() + make_interval(secs => least(600, 5 * power(2, greatest(attempts - 1, 0))) * (0.5 + random() / 2)),
          locked_by = null, locked_until = null,
          last_error = 'the worker running this job stopped renewing its lease (killed or hung)',
          finished_at = case when attempts >= max_attempts then now() end,
          updated_at = now()
      where state = 'running' and locked_until < now()
      returning id, account_id, asset_id, job_id, state`;
    const failed = rows.filter((r) => r.state === 'failed');
    const error = { code: 'PROCESSING_FAILED', message: 'Processing was interrupted too many times and gave up.' };
    for (const r of failed) await (r.job_id ? failUserJob(tx, r.job_id, error) : failAsset(tx, r.asset_id!, error));
    for (const r of rows) if (r.job_id && r.state === 'queued') await markUserJobQueued(tx, r.job_id);
    await appendEvents(
      tx,
      rows
        // A user job's failure is its job.failed (failUserJob), not an asset's error.
        .filter((r) => !(r.job_id && r.state === 'failed'))
        .map((r) =>
          r.state === 'failed'
            ? { accountId: r.account_id, assetId: r.asset_id, type: 'asset.errored' as const, data: { ...error, job_id: r.id } }
            : {
                accountId: r.account_id,
                assetId: r.asset_id,
                type: 'job.queued' as const,
                data: { job_id: eventJobId(r), reason: 'lease_expired' },
              },
        ),
    );
    return { requeued: rows.length - failed.length, failed: failed.length, accounts: [...new Set(rows.map((r) => r.account_id))] };
  });
}

export async function latestJobFor(sql: Queryable, assetId: string): Promise<MediaJob | null> {
  // A purge is housekeeping after a delete, not the asset's processing: an asset shows the
  // last job that made it what it is.
  const [job] = await sql<MediaJob[]>`
    select * from media_jobs where asset_id = ${assetId} and kind <> 'purge_asset' order by id desc limit 1`;
  return job ?? null;
}

/**
 * Cancels an asset's queued and running jobs. Returns when a cancelled job's worker could
 * still be writing: it notices at its next renewal or commit (both check the state), and
 * gives up by itself at the latest when its lease runs out.
 */
export async function cancelJobsOf(sql: Queryable, assetId: string): Promise<{ cancelled: number; quietAfter: Date }> {
  const rows = await sql<{ locked_until: Date | null }[]>`
    update media_jobs j
    set state = 'cancelled', finished_at = now(), updated_at = now(), last_error = 'cancelled: the asset was deleted'
    from (select id, locked_until from media_jobs where asset_id = ${assetId} and state in ('queued', 'running') for update) old
    where j.id = old.id
    returning old.locked_until`;
  const leases = rows.map((r) => r.locked_until?.getTime() ?? 0);
  return { cancelled: rows.length, quietAfter: new Date(Math.max(Date.now(), ...leases)) };
}
