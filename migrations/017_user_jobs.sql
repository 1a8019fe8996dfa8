-- FFmpeg as a service (issue 14 §2): a user's job (typed operation, command or analysis)
-- is a row here, run through the media_jobs queue as kind `run_job` so that claims, leases,
-- the reaper, retries, shutdown and fair turns are the ones every media job has.

create table user_jobs (
  id           uuid primary key default gen_random_uuid(),
  account_id   uuid not null references accounts (id) on delete cascade,
  operation    text not null,
  state        text not null default 'queued'
               check (state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  -- The request as accepted (validated), which the worker runs.
  request      jsonb not null,
  -- {code, message} once failed or cancelled.
  error        jsonb,
  -- [{name, key, bytes, content_type, probe}] once succeeded.
  outputs      jsonb not null default '[]',
  metrics      jsonb,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  started_at   timestamptz,
  finished_at  timestamptz
);
create index user_jobs_account on user_jobs (account_id, created_at desc, id desc);
create index user_jobs_active on user_jobs (account_id) where state in ('queued', 'running');

-- A queue row is about an asset (the pipeline's jobs) or a user job (run_job), never both.
alter table media_jobs alter column asset_id drop not null;
alter table media_jobs add column job_id uuid references user_jobs (id) on delete cascade;
alter table media_jobs add constraint media_jobs_one_target check ((asset_id is null) <> (job_id is null));
create index media_jobs_job on media_jobs (job_id) where job_id is not null;
