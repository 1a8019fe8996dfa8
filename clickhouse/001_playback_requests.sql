-- One row per playback request an edge answered, refusals included. Rows carry no token,
-- query string, client address or header: only what the edge decided and how it went.
--
-- ReplacingMergeTree on a sorting key that ends in event_id, plus a deduplication window
-- for non-replicated inserts: a batch replayed from an edge's spool with its original
-- insert_deduplication_token is dropped whole, and a stray duplicate row still collapses
-- on merge. Queries read without FINAL: it cost 2 to 5 times the query, for nothing the
-- tokens do not already prevent.
CREATE TABLE IF NOT EXISTS playback_requests
(
    event_id      UUID,
    observed_at   DateTime64(3, 'UTC'),
    account_id    String,
    asset_id      String,
    artifact_path String,
    artifact_kind LowCardinality(String),
    rendition     LowCardinality(String),
    edge_id       LowCardinality(String),
    region        LowCardinality(String),
    cache_status  LowCardinality(String),
    status_code   UInt16,
    bytes_served  UInt64,
    duration_ms   UInt32,
    error_code    LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(observed_at)
ORDER BY (account_id, asset_id, observed_at, event_id)
TTL toDateTime(observed_at) + INTERVAL 400 DAY
SETTINGS non_replicated_deduplication_window = 10000;

-- Hourly totals per account along every dimension the account-wide query groups by, one
-- (dim, key) pair per row: ('asset', id), ('region', 'eu'), …, and ('total', '') for the
-- whole account. 10 million requests over 30 days become well under a million rows.
CREATE TABLE IF NOT EXISTS playback_hourly
(
    account_id String,
    dim        LowCardinality(String),
    key        String,
    hour       DateTime('UTC'),
    requests   UInt64,
    bytes      UInt64,
    hits       UInt64,
    misses     UInt64,
    coalesced  UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (account_id, dim, key, hour)
TTL hour + INTERVAL 400 DAY
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS playback_hourly_mv TO playback_hourly AS
SELECT
    account_id,
    d.1 AS dim,
    d.2 AS key,
    toStartOfHour(observed_at) AS hour,
    count() AS requests,
    sum(bytes_served) AS bytes,
    countIf(cache_status = 'HIT') AS hits,
    countIf(cache_status = 'MISS') AS misses,
    countIf(cache_status = 'COALESCED') AS coalesced
FROM playback_requests
ARRAY JOIN [
    ('total', ''), ('asset', asset_id), ('region', region), ('edge', edge_id),
    ('cache_status', cache_status), ('status_code', toString(status_code)), ('artifact_kind', artifact_kind)
] AS d
GROUP BY account_id, dim, key, hour;
