import type { ClickHouseClient } from '@clickhouse/client';
import { openClickHouse, type ClickHouseHandle, type ClickHouseOptions } from './client.ts';
import { clickHouseWriter, type TelemetryWriter } from './emitter.ts';
import { migrateClickHouse } from './schema.ts';

export interface StoreOptions extends ClickHouseOptions {
  retentionDays: number;
  /** Between connection attempts while ClickHouse is away. Default 5 s. */
  retryMs?: number;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export class AnalyticsUnavailableError extends Error {
  override name = 'AnalyticsUnavailableError';
}

/**
 * ClickHouse as a role sees it: connected and migrated in the background, retried until it
 * is, so no role waits on it to start. Until then queries throw AnalyticsUnavailableError
 * and writes fail (the edge's emitter spools them).
 */
export class AnalyticsStore {
  private handle: ClickHouseHandle | undefined;
  private lastError = 'not connected yet';
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  /** Settable after construction: a role's logger may not exist yet when its deps are built. */
  log: StoreOptions['log'];
  /** Settles once connected and migrated (never rejects). */
  readonly ready: Promise<void>;
  private resolveReady!: () => void;

  constructor(private readonly o: StoreOptions) {
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    this.log = o.log;
  }

  /** Starts connecting; resolves after the first attempt, whatever its outcome. */
  async start(): Promise<void> {
    await this.connect();
  }

  get connected(): boolean {
    return this.handle !== undefined;
  }

  get embedded(): boolean {
    return this.o.url === undefined || this.o.url === '';
  }

  client(): ClickHouseClient {
    if (this.handle === undefined) throw new AnalyticsUnavailableError(`ClickHouse is not available: ${this.lastError}`);
    return this.handle.client;
  }

  readonly writer: TelemetryWriter = clickHouseWriter(() => this.client());

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }

  private async connect(): Promise<void> {
    let h: ClickHouseHandle | undefined;
    try {
      h = await openClickHouse(this.o);
      await migrateClickHouse(h.client, { retentionDays: this.o.retentionDays });
    } catch (err) {
      await h?.close().catch(() => {});
      const message = (err as Error).message;
      if (message !== this.lastError) this.log?.warn({ err: message }, 'ClickHouse unavailable; retrying');
      this.lastError = message;
      if (!this.closed) {
        this.retry = setTimeout(() => void this.connect(), this.o.retryMs ?? 5000);
        this.retry.unref();
      }
      return;
    }
    if (this.closed) return void (await h.close());
    this.handle = h;
    this.resolveReady();
  }
}
