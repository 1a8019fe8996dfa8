import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '@kino/config';
import {
  AnalyticsStore,
  describeArtifact,
  encodePlaybackRequest,
  encodePlayerEvent,
  TelemetryEmitter,
  type EmitterStats,
  type PlayerEventRow,
  type TelemetryWriter,
} from '@kino/analytics';
import type { CacheLabel } from './metrics.ts';

/**
 * What one playback request came to, filled in as the handler learns it. Only these fields
 * ever leave the edge: never the token, the query string, the client address or a header.
 */
export interface Exchange {
  start: number;
  assetId: string;
  artifactPath: string;
  accountId: string;
  cache: CacheLabel;
  status: number;
  bytes: number;
  error: string;
}

export const newExchange = (): Exchange => ({
  start: performance.now(),
  assetId: '',
  artifactPath: '',
  accountId: '',
  cache: 'NONE',
  status: 0,
  bytes: 0,
  error: '',
});

export interface EdgeTelemetryOptions {
  /** Wraps the ClickHouse writer; the tests make it fail on demand. */
  wrapWriter?: (writer: TelemetryWriter) => TelemetryWriter;
}

/** The edge's half of telemetry: rows from exchanges and beacons, into the emitter. */
export class EdgeTelemetry {
  private readonly store: AnalyticsStore;
  private readonly emitter: TelemetryEmitter;
  private readonly edgeId: string;
  private readonly region: string;

  constructor(config: Config, log: FastifyBaseLogger, o: EdgeTelemetryOptions = {}) {
    this.edgeId = config.edge.id;
    this.region = config.edge.region;
    this.store = new AnalyticsStore({ ...config.clickhouse, log });
    const t = config.telemetry;
    this.emitter = new TelemetryEmitter({
      writer: o.wrapWriter ? o.wrapWriter(this.store.writer) : this.store.writer,
      spoolDir: t.spoolDir,
      spoolBytes: t.spoolBytes,
      batchRows: t.batchRows,
      flushMs: t.flushMs,
      maxQueuedRows: t.maxQueuedRows,
      replayMs: t.replayMs,
      log,
    });
  }

  /** Never waits for ClickHouse: the emitter spools until the store connects. */
  async start(): Promise<void> {
    void this.store.start();
    await this.emitter.start();
  }

  async stop(): Promise<void> {
    await this.emitter.stop();
    await this.store.close();
  }

  /** Called once per playback response, when it has closed (finished, cut off or abandoned). */
  request(x: Exchange, finished: boolean): void {
    if (!finished) {
      // The client left before an answer (nginx's 499), or the body was cut short: the
      // bytes counted are only those of bodies sent whole.
      if (x.status === 0) x.status = 499;
      x.error ||= x.status === 499 ? 'CLIENT_CLOSED' : 'CUT_OFF';
    }
    const artifact = x.artifactPath === '' ? undefined : describeArtifact(x.artifactPath);
    this.emitter.record(
      'playback_requests',
      encodePlaybackRequest({
        event_id: randomUUID(),
        observed_at: Date.now(),
        account_id: x.accountId,
        asset_id: x.assetId,
        artifact_path: x.artifactPath,
        artifact_kind: artifact?.kind ?? '',
        rendition: artifact?.rendition ?? '',
        edge_id: this.edgeId,
        region: this.region,
        cache_status: x.cache,
        status_code: x.status,
        bytes_served: x.bytes,
        duration_ms: Math.round(performance.now() - x.start),
        error_code: x.error,
      }),
    );
  }

  playerEvent(row: Omit<PlayerEventRow, 'event_id' | 'observed_at' | 'edge_id' | 'region'>): void {
    this.emitter.record(
      'player_events',
      encodePlayerEvent({ event_id: randomUUID(), observed_at: Date.now(), edge_id: this.edgeId, region: this.region, ...row }),
    );
  }

  stats(): EmitterStats & { connected: boolean } {
    return { ...this.emitter.stats(), connected: this.store.connected };
  }
}
