-- QoE events reported by players through an edge's /beacon, one row per event. The edge
-- fills account_id and asset_id from the verified playback token, never from the body.
CREATE TABLE IF NOT EXISTS player_events
(
    event_id    UUID,
    observed_at DateTime64(3, 'UTC'),
    client_at   DateTime64(3, 'UTC'),
    account_id  String,
    asset_id    String,
    view_id     UUID,
    edge_id     LowCardinality(String),
    region      LowCardinality(String),
    type        LowCardinality(String),
    position    Float64,
    value_ms    UInt32,
    rendition   LowCardinality(String),
    bitrate     UInt32,
    error_code  LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(observed_at)
ORDER BY (account_id, asset_id, observed_at, event_id)
TTL toDateTime(observed_at) + INTERVAL 400 DAY
SETTINGS non_replicated_deduplication_window = 10000;
