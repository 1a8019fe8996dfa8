-- Account presets (packages/presets) and measured encode speeds (packages/jobs: encode-speed.ts).

-- An account's own named presets. Built-ins live in code and are never stored: their names
-- are refused for writes, so a row can never shadow one.
create table account_presets (
  account_id uuid not null references accounts(id) on delete cascade,
  name text not null,
  description text not null default '',
  -- The Preset's `video` object, or null for audio only; validated by the api before it lands.
  video jsonb,
  audio jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (account_id, name)
);

-- The preset an asset was uploaded with, snapshotted whole: editing or deleting the preset
-- later does not change a plan already published. Null: the default ladder.
alter table assets add column preset jsonb;

-- Measured encode speed: media seconds encoded per wall second, per worker, codec and
-- output height. The last few samples of each are kept (recordEncodeSpeed trims), so the
-- estimate follows the machine as it is now.
create table encode_speed_samples (
  id bigint generated always as identity primary key,
  worker_id text not null,
  codec text not null,
  height integer not null,
  media_seconds double precision not null,
  wall_seconds double precision not null,
  recorded_at timestamptz not null default now()
);
create index encode_speed_samples_key on encode_speed_samples (worker_id, codec, height, id desc);
