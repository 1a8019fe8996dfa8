-- Admission control (packages/jobs/src/admission.ts) estimates the wait a new upload would
-- see from how long recent jobs took. A job's created_at..finished_at includes its time in
-- the queue and every failed attempt; started_at is set at each claim, so finished_at -
-- started_at of a succeeded job is the one attempt that did the work.
alter table media_jobs add column started_at timestamptz;

-- The latest successes of each kind, newest first: the estimator reads a few per kind.
create index media_jobs_recent_successes on media_jobs (kind, finished_at desc) where state = 'succeeded';

-- Live workers and their slots (packages/jobs/src/heartbeat.ts). An idle worker holds no
-- lease, so media_jobs cannot tell an idle fleet from no fleet at all, nor how many jobs it
-- would take: each worker upserts its row every few seconds and deletes it when it stops
-- gracefully. Alive means seen recently; a killed worker's row just stops being fresh.
create table workers (
  id                  text primary key,
  -- Slots of its two lanes: import_source, process_source and purge_asset (WORKER_CONCURRENCY), and
  -- encode_ladder (WORKER_LADDER_CONCURRENCY).
  concurrency         integer not null,
  ladder_concurrency  integer not null,
  started_at          timestamptz not null default now(),
  seen_at             timestamptz not null default now()
);
