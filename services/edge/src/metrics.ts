import type { EmitterStats } from '@kino/analytics';
import type { CacheStats } from '@kino/edge-cache';
import type { AskOutcome } from './segment-asks.ts';

export type CacheLabel = 'HIT' | 'MISS' | 'COALESCED' | 'NONE';

/**
 * The edge's counters. Bumping one on the hot path is a property increment or a Map update
 * keyed by a number: no strings are built per request, only when /metrics is scraped.
 */
export class EdgeMetrics {
  private readonly requests: Record<CacheLabel, Map<number, number>> = {
    HIT: new Map(),
    MISS: new Map(),
    COALESCED: new Map(),
    NONE: new Map(),
  };
  private readonly tokenFailures = new Map<string, number>();
  private readonly segmentAsks: Record<AskOutcome, number> = { ready: 0, refused: 0, limited: 0, busy: 0, failed: 0 };
  bytesServed = 0;

  request(cache: CacheLabel, status: number): void {
    const m = this.requests[cache];
    m.set(status, (m.get(status) ?? 0) + 1);
  }

  tokenFailure(reason: string): void {
    this.tokenFailures.set(reason, (this.tokenFailures.get(reason) ?? 0) + 1);
  }

  segmentAsk(outcome: AskOutcome): void {
    this.segmentAsks[outcome] += 1;
  }

  /** Prometheus text exposition format 0.0.4. */
  render(cache: CacheStats, telemetry?: EmitterStats & { connected: boolean }): string {
    const out: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: Array<[string, number]>) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) out.push(`${name}${labels} ${value}`);
    };
    const requests: Array<[string, number]> = [];
    for (const [label, byStatus] of Object.entries(this.requests)) {
      for (const [status, n] of byStatus) requests.push([`{cache="${label}",status="${status}"}`, n]);
    }
    metric(
      'kino_edge_requests_total',
      'counter',
      'Playback requests by cache outcome (NONE: refused before the cache) and status code.',
      requests,
    );
    metric('kino_edge_bytes_served_total', 'counter', 'Body bytes of playback responses sent in full.', [['', this.bytesServed]]);
    metric('kino_edge_fills_in_flight', 'gauge', 'Origin fills running now.', [['', cache.fillsInFlight]]);
    metric('kino_edge_fills_refused_total', 'counter', 'New fills refused because EDGE_MAX_FILLS were running.', [
      ['', cache.fillsRefused],
    ]);
    metric(
      'kino_edge_fills_avoided_total',
      'counter',
      "Cold requests answered without an origin GET: a 404 remembered (not_found), not in the published playlists (unpublished), or over the token's or asset's share of fills.",
      Object.entries(cache.fillsAvoided).map(([reason, n]) => [`{reason="${reason}"}`, n]),
    );
    metric('kino_edge_negative_cache_entries', 'gauge', 'Origin 404s remembered now.', [['', cache.negativeEntries]]);
    metric('kino_edge_published_assets', 'gauge', 'Assets whose published playlists the edge knows.', [['', cache.publishedAssets]]);
    metric('kino_edge_cache_bytes', 'gauge', 'Bytes cached per tier.', [
      ['{tier="ram"}', cache.ram.bytes],
      ['{tier="disk"}', cache.disk.bytes],
    ]);
    metric('kino_edge_cache_entries', 'gauge', 'Objects cached per tier.', [
      ['{tier="ram"}', cache.ram.entries],
      ['{tier="disk"}', cache.disk.entries],
    ]);
    metric('kino_edge_open_files', 'gauge', 'Cached files held open for HITs.', [['', cache.openFiles]]);
    metric('kino_edge_cache_evictions_total', 'counter', 'Objects evicted to stay within budget, per tier.', [
      ['{tier="ram"}', cache.ram.evictions],
      ['{tier="disk"}', cache.disk.evictions],
    ]);
    metric(
      'kino_edge_origin_fetches_total',
      'counter',
      'Origin fetches (fills) by result.',
      Object.entries(cache.originFetches).map(([result, n]) => [`{result="${result}"}`, n]),
    );
    metric(
      'kino_edge_segment_asks_total',
      'counter',
      'Segments missing at the origin asked of the api, by answer: made (ready), refused, past the image variant bound (limited), busy (503 to the viewer), or no usable answer (failed).',
      Object.entries(this.segmentAsks).map(([outcome, n]) => [`{outcome="${outcome}"}`, n]),
    );
    metric(
      'kino_edge_token_failures_total',
      'counter',
      'Refused playback tokens by reason.',
      [...this.tokenFailures].map(([reason, n]) => [`{reason="${reason}"}`, n]),
    );
    if (telemetry !== undefined) {
      metric('kino_edge_telemetry_connected', 'gauge', '1 while ClickHouse is connected and its schema applied.', [
        ['', telemetry.connected ? 1 : 0],
      ]);
      metric('kino_edge_telemetry_queued_rows', 'gauge', 'Telemetry rows in memory, waiting or being written.', [
        ['', telemetry.queuedRows],
      ]);
      metric('kino_edge_telemetry_written_rows_total', 'counter', 'Telemetry rows written to ClickHouse, replays included.', [
        ['', telemetry.writtenRows],
      ]);
      metric('kino_edge_telemetry_write_failures_total', 'counter', 'Telemetry batch writes ClickHouse did not take.', [
        ['', telemetry.writeFailures],
      ]);
      metric('kino_edge_telemetry_spool_batches', 'gauge', 'Batches in the local spool, waiting for ClickHouse.', [
        ['', telemetry.spooledBatches],
      ]);
      metric('kino_edge_telemetry_spool_bytes', 'gauge', 'Bytes in the local spool.', [['', telemetry.spoolBytes]]);
      metric(
        'kino_edge_telemetry_dropped_rows_total',
        'counter',
        'Telemetry rows lost: memory queue full, spool full while ClickHouse was away, or data ClickHouse refused.',
        [
          ['{reason="queue_full"}', telemetry.droppedRows.queue],
          ['{reason="spool_full"}', telemetry.droppedRows.spool],
          ['{reason="rejected"}', telemetry.droppedRows.rejected],
        ],
      );
    }
    return `${out.join('\n')}\n`;
  }
}
