-- The probe an asset's segment plan was made from (planMedia in packages/media). The plan's
-- playlists are published as soon as it exists and list every segment, so the plan must
-- never change afterwards: retries and just-in-time encodes plan from this copy rather than
-- from a new probe, which could differ (a remote probe against a local one, a new ffprobe).
alter table assets add column media_probe jsonb;

-- Segments someone needs before the ladder has made them: a viewer waiting at an edge
-- (priority 0) or read-ahead after such a miss (priority 1). One row per asset and path, so
-- a second request for a segment joins the first instead of encoding it again. A row lives
-- only while its work is queued or running; the outcome is the artifact row, or its absence.
create table segment_jobs (
  asset_id      uuid not null references assets (id) on delete cascade,
  path          text not null,
  account_id    uuid not null references accounts (id) on delete cascade,
  priority      smallint not null,
  state         text not null default 'queued' check (state in ('queued', 'running')),
  -- The lease, as on media_jobs: a worker that dies mid-encode loses the row to the next
  -- claimer once locked_until passes.
  locked_by     text,
  locked_until  timestamptz,
  created_at    timestamptz not null default now(),
  primary key (asset_id, path)
);

-- No other index: the table holds at most the configured queue bound (JIT_QUEUE_LIMIT), so
-- claiming scans it whole.

-- Media jobs in priority classes (JOB_PRIORITY in packages/jobs): what a viewer waits for
-- first (probe, playlists, opener), then purges, then ladders; workers claim each class in
-- a lane of its own, so a burst of uploads never makes openers wait behind whole ladders.
alter table media_jobs add column priority smallint not null default 1;
update media_jobs set priority = 2 where kind = 'purge_asset';
drop index media_jobs_due;
create index media_jobs_due on media_jobs (priority, run_at, id) where state = 'queued';
