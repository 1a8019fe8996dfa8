-- Derived media of an asset (issue 14 §1): static renditions and clips.

-- Static renditions are artifacts of their own kind (packages/artifacts: static/highest.mp4,
-- static/audio.m4a).
alter table artifacts drop constraint artifacts_kind_check;
alter table artifacts add constraint artifacts_kind_check
  check (kind in ('opener', 'thumbnail', 'master', 'playlist', 'init', 'segment', 'static'));

-- What was asked for and how it went, one row per asset and rendition name. A row exists
-- from the request (at upload or later) on; the encode_static job makes every `preparing`
-- row of its asset. `meta` is the ffprobe summary of the file made.
create table static_renditions (
  asset_id    uuid not null references assets (id) on delete cascade,
  name        text not null check (name in ('highest', 'audio')),
  status      text not null default 'preparing' check (status in ('preparing', 'ready', 'errored')),
  meta        jsonb,
  error       jsonb,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (asset_id, name)
);

-- A clip is an asset whose source is cut from another's: which one, the range, and how the
-- cut was made (`copy` or `encode`, once known). No foreign key to the parent's row beyond
-- the id: the parent may be deleted and purged while the clip lives on (it has its own source).
alter table assets add column clip_of uuid;
alter table assets add column clip jsonb;
