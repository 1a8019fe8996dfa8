import { jobPrefix } from '@kino/artifacts';
import type { Sql } from '@kino/db';
import { clearUserJobOutputs, jobsWithExpiredOutputs } from '@kino/jobs';
import { deletePrefix, type Storage } from '@kino/storage';

const BATCH = 100;

/**
 * Deletes the outputs of jobs of the jobs API that finished more than `retentionDays` ago
 * (JOBS_OUTPUT_RETENTION_DAYS): their objects under jobs/{id}/, then the job's record of
 * them; the job stays. Idempotent, so several workers sweeping at once do no harm. Returns
 * how many jobs lost their outputs.
 */
export async function expireJobOutputs(deps: { sql: Sql; storage: Storage }, retentionDays: number, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  let expired = 0;
  for (;;) {
    const jobs = await jobsWithExpiredOutputs(deps.sql, before, BATCH);
    for (const job of jobs) {
      await deletePrefix(deps.storage, jobPrefix(job.id));
      await clearUserJobOutputs(deps.sql, job.account_id, job.id);
    }
    expired += jobs.length;
    if (jobs.length < BATCH) return expired;
  }
}
