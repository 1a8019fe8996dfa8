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

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

/** Not connected yet, or a server that stopped answering: "try again", not a bug of ours. */
export function isAnalyticsUnavailable(err: unknown): boolean {
  if (err instanceof AnalyticsUnavailableError) return true;
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown } } | null;
  // The client reports its request timeout as a plain Error with this message.
  return NETWORK.has(String(e?.code)) || NETWORK.has(String(e?.cause?.code)) || /^Timeout error/.test(String(e?.message));
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
  private remigrating: Promise<void> | undefined;
  /** Settable after construction: a role's logger may not exist yet when its deps are built. */
  log: StoreOptions['log'];

  constructor(private readonly o: StoreOptions) {
    this.log = o.log;
  }

  /** Starts connecting; resolves after the first attempt, whatever its outcome. */
  async start(): Promise<void> {
    await this.connect();
  }

  get connected(): boolean {
    return this.handle !== undefined;
  }

  client(): ClickHouseClient {
    if (this.handle === undefined) throw new AnalyticsUnavailableError(`ClickHouse is not available: ${this.lastError}`);
    return this.handle.client;
  }

  private readonly inserts = clickHouseWriter(() => this.client());

  /**
   * Inserts through the current client. A server that came back without its tables (a new
   * volume) is migrated again, and the batch fails this time, to be replayed from the spool.
   */
  readonly writer: TelemetryWriter = {
    insert: async (table, lines, batchId) => {
      try {
        await this.inserts.insert(table, lines, batchId);
      } catch (err) {
        const type = (err as { type?: unknown }).type;
        if (type === 'UNKNOWN_TABLE' || type === 'UNKNOWN_DATABASE') this.remigrate();
        throw err;
      }
    },
  };

  // A connection of its own: it also recreates the database if that is what went missing.
  private remigrate(): void {
    this.remigrating ??= openClickHouse(this.o)
      .then(async (fresh) => {
        try {
          await migrateClickHouse(fresh.client, { retentionDays: this.o.retentionDays });
        } finally {
          await fresh.close();
        }
        this.log?.info({}, 'ClickHouse schema applied again');
      })
      .catch((err) => this.log?.warn({ err: (err as Error).message }, 'applying the ClickHouse schema again failed'))
      .finally(() => {
        this.remigrating = undefined;
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.remigrating;
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
  }
}
