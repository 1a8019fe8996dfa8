-- Tenancy (issue 15): accounts an operator can disable and put on a plan, keys with scopes
-- and an expiry.

-- A disabled account's keys authenticate nothing; its rows stay (an operator may enable it
-- again, and deleting would be a purge of its media, which is another matter).
alter table accounts add column disabled_at timestamptz;
-- A plan names a tier of limits in configuration (TENANT_PLANS); `limits` overrides some of
-- them for this one account. Limits live in configuration so that changing a tier is a
-- deploy, not a migration; only the exceptions are rows.
alter table accounts add column plan text not null default 'default';
alter table accounts add column limits jsonb not null default '{}'
  check (jsonb_typeof(limits) = 'object');

-- What a key may do: `full`, or any of `upload`, `read`, `playback` (services/api access.ts
-- maps each route to one). Every key issued before this migration could do everything.
alter table api_keys add column scopes text[] not null default '{full}'
  check (cardinality(scopes) > 0 and scopes <@ array['full', 'upload', 'read', 'playback']);
alter table api_keys add column expires_at timestamptz;
-- Written at most once a minute per key per api process (a write per request would turn
-- every GET into a write).
alter table api_keys add column last_used_at timestamptz;

-- An account's key listing, newest first.
create index api_keys_account on api_keys (account_id, created_at desc);
