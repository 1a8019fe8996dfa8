import type { PlanLimits, Quota } from '@kino/config';
import { getAccount, type Queryable } from '@kino/db';
import { accountLimits } from './limits.ts';
import { ApiError } from '@kino/http';

export type Usage = Record<Quota, number>;

/**
 * What an account holds now, against its quotas:
 * - stored_bytes: its live assets' sources (a pending upload counts what it declared) and
 *   artifacts, and the outputs its jobs of the jobs API keep (until deleted or expired); a
 *   deleted asset stops counting when it is deleted, as its purge is queued;
 * - concurrent_uploads: sources still coming in (streaming, awaiting a direct or tus upload, importing);
 * - active_jobs: media jobs of assets queued or running;
 * - user_jobs: jobs of the jobs API queued or running (their queue rows are not active_jobs);
 * - webhooks: live endpoints;
 * - api_keys: keys not revoked (an expired key counts until it is revoked).
 */
export async function accountUsage(sql: Queryable, accountId: string): Promise<Usage> {
  const [row] = await sql<Usage[]>`
    select
      (select coalesce(sum(coalesce(a.source_bytes, a.upload_declared_bytes, 0)), 0)
         + coalesce((select sum(f.bytes) from artifacts f join assets b on b.id = f.asset_id
                     where b.account_id = ${accountId} and b.deleted_at is null), 0)
         + coalesce((select sum((o ->> 'bytes')::bigint) from user_jobs j, jsonb_array_elements(j.outputs) o
                     where j.account_id = ${accountId}), 0)
       from assets a where a.account_id = ${accountId} and a.deleted_at is null)::float8 as stored_bytes,
      (select count(*) from assets
       where account_id = ${accountId} and deleted_at is null
         and source_state in ('uploading', 'awaiting_upload', 'importing'))::int as concurrent_uploads,
      (select count(*) from media_jobs
       where account_id = ${accountId} and state in ('queued', 'running') and job_id is null)::int as active_jobs,
      (select count(*) from user_jobs where account_id = ${accountId} and state in ('queued', 'running'))::int as user_jobs,
      (select count(*) from webhooks where account_id = ${accountId} and deleted_at is null)::int as webhooks,
      (select count(*) from api_keys where account_id = ${accountId} and revoked_at is null)::int as api_keys`;
  return row!;
}

/**
 * Queues the account's quota checks behind each other until the transaction ends, so that
 * concurrent requests cannot all see room for one; other accounts are not held up.
 */
export async function lockQuotas(tx: Queryable, accountId: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`kino:quota:${accountId}`}, 0))`;
}

/** What a new upload adds: one upload in progress, its jobs to come, and its bytes when declared. */
export interface UploadQuota {
  limits: Pick<PlanLimits, 'stored_bytes' | 'concurrent_uploads' | 'active_jobs'>;
  /** The size the client declared, when it did. */
  bytes?: number | undefined;
}

export function quotaExceeded(quota: Quota, limit: number, used: number, adding?: number): ApiError {
  const what: Record<Quota, string> = {
    stored_bytes: `stores ${used} bytes${adding ? `, and this upload declares ${adding} more,` : ''} of its ${limit}`,
    concurrent_uploads: `has ${used} uploads in progress, its limit`,
    active_jobs: `has ${used} media jobs queued or running, its limit`,
    user_jobs: `has ${used} jobs queued or running, its limit`,
    webhooks: `has ${used} webhooks, its limit`,
    api_keys: `has ${used} live API keys, its limit (revoke one first)`,
  };
  return new ApiError(403, 'QUOTA_EXCEEDED', `The account ${what[quota]}; see GET /v1/account.`, {
    quota,
    limit,
    used,
  });
}

/**
 * Refuses a new upload that would take the account past a quota, inside the transaction that
 * inserts its asset (under lockQuotas).
 *
 * A streamed upload declares no size up front: it is admitted while the account has bytes
 * left, and the upload is then cut at what is left (see ingest's `storageLeft`). Two such
 * uploads at once may each use the same remainder: the overshoot is bounded by
 * concurrent_uploads times that remainder.
 */
export async function admitUpload(tx: Queryable, accountId: string, q: UploadQuota): Promise<{ storageLeft: number }> {
  await lockQuotas(tx, accountId);
  const used = await accountUsage(tx, accountId);
  if (used.concurrent_uploads >= q.limits.concurrent_uploads)
    throw quotaExceeded('concurrent_uploads', q.limits.concurrent_uploads, used.concurrent_uploads);
  if (used.active_jobs >= q.limits.active_jobs) throw quotaExceeded('active_jobs', q.limits.active_jobs, used.active_jobs);
  const left = q.limits.stored_bytes - used.stored_bytes;
  if (left <= 0 || (q.bytes !== undefined && q.bytes > left))
    throw quotaExceeded('stored_bytes', q.limits.stored_bytes, used.stored_bytes, q.bytes);
  return { storageLeft: left };
}

/** What the account may still store: its stored_bytes quota less its usage (0 for an account that is gone). */
export async function storageLeft(sql: Queryable, plans: Readonly<Record<string, PlanLimits>>, accountId: string): Promise<number> {
  const account = await getAccount(sql, accountId);
  if (!account) return 0;
  return accountLimits(plans, account).stored_bytes - (await accountUsage(sql, accountId)).stored_bytes;
}
