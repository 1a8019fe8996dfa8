-- Fair claims across accounts (packages/jobs/src/queue.ts: nextTurn, claimNext). Within a
-- priority class, jobs are claimed by turn, then id: each account's jobs take consecutive
-- turns, starting no earlier than the turn being served, so one account's backlog and
-- another's new job take turns instead of queuing end to end (start-time fair queuing).
-- Jobs queued before this migration all share turn 0: first in, first out, as before.
alter table media_jobs add column turn bigint not null default 0;

-- The claim reads queued jobs in exactly its order, and stops at the first it can lock.
drop index media_jobs_due;
create index media_jobs_due on media_jobs (priority, turn, id) where state = 'queued';
-- At enqueue: the account's last pending turn in the class…
create index media_jobs_account_turns on media_jobs (account_id, priority, turn) where state in ('queued', 'running');
-- …and the turn being served, the latest any claimed job of the class had.
create index media_jobs_served_turns on media_jobs (priority, turn) where started_at is not null;
