-- A note of the owner's about what an endpoint is for (POST /v1/webhooks `description`).
alter table webhooks add column description text;

-- The deliveries page walks one webhook's deliveries newest event first.
create index webhook_deliveries_webhook_seq on webhook_deliveries (webhook_id, event_seq desc);
