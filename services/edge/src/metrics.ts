import type { CacheStats } from '@kino/edge-cache';

export type CacheLabel = 'HIT' | 'MISS' | 'COALESCED' | 'NONE';

/**
 * The edge's counters. Bumping one on the hot path is a property increment or a Map update
 * keyed by a number: no strings are built per request, only when /metrics is scraped.
 */
export class EdgeMetrics {
  private readonly requests: Record<CacheLabel, Map<number, number>> = {
    HIT: new Map(), MISS: new Map(), COALESCED: new Map(), NONE: new Map(),
  };
  private readonly tokenFailures = new Map<string, number>();
  bytesServed = 0;

  request(cache: CacheLabel, status: number): void {
    const m = this.requests[cache];
    m.set(status, (m.get(status) ?? 0) + 1);
  }

  tokenFailure(reason: string): void {
    this.tokenFailures.set(reason, (this.tokenFailures.get(reason) ?? 0) + 1);
  }

  /** Prometheus text exposition format 0.0.4. */
  render(cache: CacheStats): string {
    const out: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: Array<[string, number]>) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) out.push(`${name}${labels} ${value}`);
    };
    const requests: Array<[string, number]> = [];
    for (const [label, byStatus] of Object.entries(this.requests)) {
      for (const [status, n] of byStatus) requests.push([`{cache="${label}",status="${status}"}`, n]);
    }
    metric('kino_edge_requests_total', 'counter', 'Playback requests by cache outcome (NONE: refused before the cache) and status code.', requests);
    metric('kino_edge_bytes_served_total', 'counter', 'Body bytes of playback responses sent in full.', [['', this.bytesServed]]);
    metric('kino_edge_fills_in_flight', 'gauge', 'Origin fills running now.', [['', cache.fillsInFlight]]);
    metric('kino_edge_fills_refused_total', 'counter', 'New fills refused because EDGE_MAX_FILLS were running.', [['', cache.fillsRefused]]);
    metric('kino_edge_cache_bytes', 'gauge', 'Bytes cached per tier.', [['{tier="ram"}', cache.ram.bytes], ['{tier="disk"}', cache.disk.bytes]]);
    metric('kino_edge_cache_entries', 'gauge', 'Objects cached per tier.', [['{tier="ram"}', cache.ram.entries], ['{tier="disk"}', cache.disk.entries]]);
    metric('kino_edge_open_files', 'gauge', 'Cached files held open for HITs.', [['', cache.openFiles]]);
    metric('kino_edge_cache_evictions_total', 'counter', 'Objects evicted to stay within budget, per tier.',
      [['{tier="ram"}', cache.ram.evictions], ['{tier="disk"}', cache.disk.evictions]]);
    metric('kino_edge_origin_fetches_total', 'counter', 'Origin fetches (fills) by result.',
      Object.entries(cache.originFetches).map(([result, n]) => [`{result="${result}"}`, n]));
    metric('kino_edge_token_failures_total', 'counter', 'Refused playback tokens by reason.',
      [...this.tokenFailures].map(([reason, n]) => [`{reason="${reason}"}`, n]));
    return `${out.join('\n')}\n`;
  }
}
