-- The control plane's truth. States are text with CHECK constraints rather than enums so
-- that a later migration can add a state without ALTER TYPE gymnastics.

create table accounts (
  id          uuid primary key default gen_random_uuid(),
  name        text not null,
  created_at  timestamptz not null default now()
);

create table api_keys (
  id           uuid primary key default gen_random_uuid(),
  account_id   uuid not null references accounts (id) on delete cascade,
  -- The first characters of the key, safe to show in listings and logs so a key can be
  -- recognised; the key itself is never stored, only its SHA-256.
  prefix       text not null,
  key_hash     bytea not null unique,
  name         text not null default '',
  created_at   timestamptz not null default now(),
  revoked_at   timestamptz
);

create table assets (
  id                   uuid primary key default gen_random_uuid(),
  account_id           uuid not null references accounts (id) on delete cascade,
  title                text,
  passthrough          text,
  idempotency_key      text,
  source_state         text not null default 'uploading'
                       check (source_state in ('uploading', 'uploaded', 'failed')),
  playable_state       text not null default 'not_playable'
                       check (playable_state in ('not_playable', 'opener_ready', 'hls_ready')),
  source_key           text not null,
  source_content_type  text,
  source_bytes         bigint,
  -- ffprobe's summary of the source, filled by the worker.
  source_meta          jsonb,
  -- {code, message} when processing failed for good.
  error                jsonb,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  deleted_at           timestamptz
);

-- The same Idempotency-Key from the same account names one asset.
create unique index assets_idempotency on assets (account_id, idempotency_key)
  where idempotency_key is not null;
-- Newest-first listing with a (created_at, id) cursor.
create index assets_account_listing on assets (account_id, created_at desc, id desc);

create table artifacts (
  asset_id      uuid not null references assets (id) on delete cascade,
  -- Path under videos/{asset_id}/, e.g. opener.mp4 or hls/720p/3.m4s. Keyed by path so a
  -- retried job overwrites its own rows instead of adding a second set.
  path          text not null,
  kind          text not null
                check (kind in ('opener', 'thumbnail', 'master', 'playlist', 'init', 'segment')),
  key           text not null,
  content_type  text not null,
  bytes         bigint not null,
  rendition     text,
  width         integer,
  height        integer,
  bitrate       integer,
  created_at    timestamptz not null default now(),
  primary key (asset_id, path)
);

create table media_jobs (
  id            bigint generated always as identity primary key,
  asset_id      uuid not null references assets (id) on delete cascade,
  account_id    uuid not null references accounts (id) on delete cascade,
  kind          text not null default 'process_source',
  state         text not null default 'queued'
                check (state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  attempts      integer not null default 0,
  max_attempts  integer not null,
  run_at        timestamptz not null default now(),
  -- The lease: a running job belongs to locked_by until locked_until; the worker renews
  -- it while ffmpeg runs, and the reaper re-queues it once it lapses.
  locked_by     text,
  locked_until  timestamptz,
  progress      jsonb not null default '{}',
  last_error    text,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  finished_at   timestamptz
);

-- Claiming scans only queued jobs, in due order.
create index media_jobs_due on media_jobs (run_at, id) where state = 'queued';
-- The reaper scans only running jobs by lease expiry.
create index media_jobs_leases on media_jobs (locked_until) where state = 'running';
create index media_jobs_asset on media_jobs (asset_id);
