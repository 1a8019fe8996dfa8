-- Ingest's other doors (packages/ingest): a presigned or tus upload makes its asset before
-- any byte arrives (`awaiting_upload`), and a URL import before the worker fetches it
-- (`importing`). Both end like a streamed upload: `uploaded` and a process_source job, or
-- `failed` with the asset's error.
alter table assets drop constraint assets_source_state_check;
alter table assets add constraint assets_source_state_check
  check (source_state in ('uploading', 'awaiting_upload', 'importing', 'uploaded', 'failed'));

-- When an upload that was never completed is given up, its row and bytes removed by the
-- sweeper (a presigned URL stops working at this time too).
alter table assets add column upload_expires_at timestamptz;
-- The size the client declared for a presigned upload; completing with another is refused.
alter table assets add column upload_declared_bytes bigint;
-- A direct upload's S3 multipart upload (every direct upload is one, of one part when small):
-- it tells a direct upload from the other doors, and is aborted if the upload expires.
alter table assets add column upload_multipart_id text;
-- What a URL import fetches. Cleared once fetched: it may carry a credential (another
-- cloud's presigned URL), so it is kept no longer than needed and never shown.
alter table assets add column import_url text;

create index assets_awaiting_upload on assets (upload_expires_at)
  where source_state = 'awaiting_upload';
