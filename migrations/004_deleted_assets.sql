-- Edges fetch the assets deleted within the longest token lifetime (the revocation list).
create index assets_deleted on assets (deleted_at) where deleted_at is not null;
