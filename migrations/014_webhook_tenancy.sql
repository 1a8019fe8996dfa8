-- Webhooks that one account cannot clog (packages/webhooks): a circuit breaker per
-- endpoint, disabling, secret rotation, and claims fair across accounts.

-- An account's own events (webhook.disabled) concern no asset.
alter table asset_events alter column asset_id drop not null;

alter table webhooks
  -- The breaker: failed attempts in a row, since when, and the pause they earned. While
  -- paused_until is ahead nothing of the endpoint is claimed; while it fails at all, one
  -- send at a time (a probe).
  add column consecutive_failures integer not null default 0,
  add column failing_since timestamptz,
  add column paused_until timestamptz,
  -- Set after failing for WEBHOOK_DISABLE_AFTER_SECONDS; cleared by POST …/enable.
  add column disabled_at timestamptz,
  -- The secret a rotation replaced: it still signs, beside the new one, until then.
  add column previous_secret text,
  add column previous_secret_until timestamptz;

-- Claims read sends in flight (leased rows) per endpoint and per account on every claim,
-- and each endpoint's oldest due deliveries.
create index webhook_deliveries_leased on webhook_deliveries (webhook_id) where state = 'pending' and locked_until is not null;
create index webhook_deliveries_pending on webhook_deliveries (webhook_id, event_seq) where state = 'pending';

-- Claims drop secrets whose overlap is over.
create index webhooks_previous_secret on webhooks (previous_secret_until) where previous_secret is not null;
