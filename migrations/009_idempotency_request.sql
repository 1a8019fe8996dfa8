-- What an upload with an Idempotency-Key asked for: its content type, title, passthrough,
-- playback policy, declared size and a hash of its first bytes (see packages/ingest
-- fingerprint.ts). A retry with the same key is compared with it, so a key reused for a
-- different upload is refused (422 IDEMPOTENCY_KEY_REUSED) instead of silently answered
-- with the first asset. Rows from before this migration have none and are not compared.
alter table assets add column idempotency_request jsonb;
