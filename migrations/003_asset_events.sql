-- The durable, ordered log of everything that happens to an asset. SSE, the per-asset
-- events endpoint and webhooks are views of it. Each event is written in the transaction
-- of the change it records, so an event exists if and only if its change does.
create table asset_events (
  seq         bigint generated always as identity primary key,
  account_id  uuid not null references accounts (id) on delete cascade,
  asset_id    uuid not null,
  type        text not null,
  data        jsonb not null default '{}',
  created_at  timestamptz not null default now()
);

-- Readers walk an account's log, or one asset's, in sequence order.
create index asset_events_account on asset_events (account_id, seq);
create index asset_events_asset on asset_events (asset_id, seq);

-- Webhook endpoints of an account. The secret signs deliveries (Standard Webhooks), so it
-- is kept as is; it is shown once, at creation.
create table webhooks (
  id           uuid primary key default gen_random_uuid(),
  account_id   uuid not null references accounts (id) on delete cascade,
  url          text not null,
  -- null: every event type.
  event_types  text[],
  secret       text not null,
  created_at   timestamptz not null default now(),
  deleted_at   timestamptz
);
create index webhooks_account on webhooks (account_id) where deleted_at is null;

-- The outbox: one row per (webhook, event), inserted in the event's own transaction, so a
-- committed event always has its deliveries and a restart loses none.
create table webhook_deliveries (
  -- Sent as webhook-id: the same on every retry, so receivers can deduplicate.
  id               uuid primary key default gen_random_uuid(),
  webhook_id       uuid not null references webhooks (id) on delete cascade,
  event_seq        bigint not null references asset_events (seq) on delete cascade,
  state            text not null default 'pending' check (state in ('pending', 'succeeded', 'failed')),
  attempts         integer not null default 0,
  next_attempt_at  timestamptz not null default now(),
  -- A dispatcher holds a due delivery while it sends it; a crashed one lets go by expiry.
  locked_until     timestamptz,
  last_status      integer,
  last_error       text,
  created_at       timestamptz not null default now(),
  finished_at      timestamptz
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'pending';
create index webhook_deliveries_webhook on webhook_deliveries (webhook_id, created_at desc);

create table webhook_attempts (
  id             bigint generated always as identity primary key,
  delivery_id    uuid not null references webhook_deliveries (id) on delete cascade,
  attempted_at   timestamptz not null default now(),
  duration_ms    integer not null,
  -- The receiver's status, or null when no response came (refused, timeout, blocked).
  status         integer,
  error          text,
  -- The first kilobyte of the response body.
  response_body  text
);
create index webhook_attempts_delivery on webhook_attempts (delivery_id, id);
