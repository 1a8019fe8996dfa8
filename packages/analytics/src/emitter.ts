import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { COLUMNS, type TelemetryTable } from './rows.ts';
import { Spool, type SpooledBatch } from './spool.ts';

/**
 * Where batches go: `lines` is JSONCompactEachRow text, one encoded row per line (see
 * rows.ts), without a final newline. The tests wrap the real writer to make it fail.
 */
export interface TelemetryWriter {
  insert(table: TelemetryTable, lines: string, batchId: string): Promise<void>;
}

/**
 * Inserts through whatever client `client()` returns then (it throws while there is none).
 * The client is made with a JSON `stringify` that passes strings through (see client.ts),
 * so the batch text goes out as it is.
 */
export function clickHouseWriter(client: () => ClickHouseClient): TelemetryWriter {
  return {
    async insert(table, lines, batchId) {
      await client().insert({
        table,
        values: [lines],
        format: 'JSONCompactEachRow',
        columns: COLUMNS[table] as [string, ...string[]],
        // The same token on a replay makes ClickHouse drop a batch it already has (and its
        // rollup rows), so "the insert failed" after it actually landed counts nothing twice.
        clickhouse_settings: { insert_deduplication_token: batchId, deduplicate_blocks_in_dependent_materialized_views: 1 },
      });
    },
  };
}

// ClickHouse answered that the data itself is wrong: retrying the batch can never succeed,
// and keeping it at the head of the spool would hold every later batch back.
const REJECTED = /PARSE|INCORRECT_DATA|TYPE_MISMATCH|ILLEGAL_COLUMN|NUMBER_OF_COLUMNS|CANNOT_READ|VALUE_IS_OUT_OF_RANGE|TOO_LARGE_STRING/;

// By shape, not instanceof: chdb throws the ClickHouseError of @clickhouse/client-common,
// the client its own bundled copy of the same class. Both carry the server's error `type`.
export function isRejectedBatch(err: unknown): boolean {
  const type = (err as { type?: unknown } | null)?.type;
  return err instanceof Error && typeof type === 'string' && REJECTED.test(type);
}

export interface EmitterOptions {
  writer: TelemetryWriter;
  spoolDir: string;
  spoolBytes: number;
  batchRows: number;
  flushMs: number;
  maxQueuedRows: number;
  replayMs: number;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export interface EmitterStats {
  /** Rows in memory, including batches being written. */
  queuedRows: number;
  writtenRows: number;
  writeFailures: number;
  spooledBatches: number;
  spoolBytes: number;
  replayedBatches: number;
  /**
   * Rows lost: the memory queue was full; ClickHouse was away and the spool full too; or
   * ClickHouse refused the batch's data (or a spooled batch could not be read back).
   */
  droppedRows: { queue: number; spool: number; rejected: number };
}

/**
 * Telemetry from a hot path to ClickHouse without ever making that path wait: `record` is a
 * push onto an array. Batches leave by size or age, one write at a time. A batch ClickHouse
 * refuses goes to the JSONL spool, and while ClickHouse is away new batches go straight
 * there; a replay loop retries the oldest spooled batch until one lands, then drains the
 * rest. Only when memory and spool are both full are rows dropped, and counted.
 */
export class TelemetryEmitter {
  private readonly queues = new Map<TelemetryTable, string[]>();
  private readonly spool: Spool;
  private queuedRows = 0;
  // Per table, so a flood of one kind (beacons) cannot crowd the other (requests) out.
  private readonly queuedPerTable = new Map<TelemetryTable, number>();
  private writing: Promise<void> = Promise.resolve();
  private healthy = true;
  private replaying: Promise<void> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private replayTimer: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  private stopped = false;
  private readonly counts = { writtenRows: 0, writeFailures: 0, replayedBatches: 0, droppedQueue: 0, droppedSpool: 0, rejected: 0 };

  constructor(private readonly o: EmitterOptions) {
    this.spool = new Spool(o.spoolDir, o.spoolBytes);
  }

  async start(): Promise<void> {
    await this.spool.open();
    if (this.spool.size > 0) this.o.log?.info({ batches: this.spool.size, bytes: this.spool.bytes }, 'telemetry spool found; replaying');
    this.flushTimer = setInterval(() => this.flush(), this.o.flushMs);
    this.flushTimer.unref();
    this.replayTimer = setInterval(() => void this.replay(), this.o.replayMs);
    this.replayTimer.unref();
    void this.replay();
  }

  /** `line`: the row encoded by encodePlaybackRequest / encodePlayerEvent. */
  record(table: TelemetryTable, line: string): void {
    const queued = this.queuedPerTable.get(table) ?? 0;
    if (queued >= this.o.maxQueuedRows || this.stopped) {
      this.counts.droppedQueue++;
      return;
    }
    this.queuedPerTable.set(table, queued + 1);
    let queue = this.queues.get(table);
    if (queue === undefined) this.queues.set(table, (queue = []));
    queue.push(line);
    this.queuedRows++;
    if (queue.length >= this.o.batchRows && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Hands every queued row to the writer; resolves when all of it is written or spooled. */
  flush(): Promise<void> {
    this.flushScheduled = false;
    for (const [table, rows] of this.queues) {
      if (rows.length === 0) continue;
      this.queues.set(table, []);
      for (let i = 0; i < rows.length; i += this.o.batchRows) this.enqueueWrite(table, rows.slice(i, i + this.o.batchRows));
    }
    return this.writing;
  }

  /**
   * Writes or spools what is queued, then stops; nothing queued is lost. A replay in
   * progress stops after its current batch: the spool keeps the rest for the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.flushTimer);
    clearInterval(this.replayTimer);
    await this.flush();
    await this.replaying;
  }

  stats(): EmitterStats {
    return {
      queuedRows: this.queuedRows,
      writtenRows: this.counts.writtenRows,
      writeFailures: this.counts.writeFailures,
      spooledBatches: this.spool.size,
      spoolBytes: this.spool.bytes,
      replayedBatches: this.counts.replayedBatches,
      droppedRows: { queue: this.counts.droppedQueue, spool: this.counts.droppedSpool, rejected: this.counts.rejected },
    };
  }

  // One write at a time: a slow ClickHouse backs rows up in the bounded queue, not in a
  // growing number of concurrent inserts.
  private enqueueWrite(table: TelemetryTable, rows: string[]): void {
    this.writing = this.writing
      .then(() => this.ship(table, rows.join('\n'), rows.length, randomUUID()))
      .finally(() => {
        this.queuedRows -= rows.length;
        this.queuedPerTable.set(table, this.queuedPerTable.get(table)! - rows.length);
      });
  }

  private async ship(table: TelemetryTable, lines: string, rows: number, batchId: string): Promise<void> {
    if (this.healthy && this.spool.size === 0) {
      try {
        await this.o.writer.insert(table, lines, batchId);
        this.counts.writtenRows += rows;
        return;
      } catch (err) {
        this.counts.writeFailures++;
        if (isRejectedBatch(err)) return this.reject(rows, err);
        this.healthy = false;
        this.o.log?.warn({ err: (err as Error).message, rows }, 'telemetry write failed; spooling until ClickHouse answers');
      }
    }
    try {
      if (await this.spool.add(table, batchId, lines, rows)) return;
    } catch (err) {
      this.o.log?.warn({ err: (err as Error).message }, 'telemetry spool write failed');
    }
    this.counts.droppedSpool += rows;
  }

  get spoolDir(): string {
    return this.spool.dir;
  }

  /** Retries the spool now rather than at the next replay tick. */
  replayNow(): Promise<void> {
    return this.replay();
  }

  private reject(rows: number, err: unknown): void {
    this.counts.rejected += rows;
    this.o.log?.warn({ err: (err as Error).message, rows }, 'ClickHouse refused a telemetry batch; it is dropped');
  }

  private replay(): Promise<void> {
    this.replaying ??= this.drainSpool()
      .catch((err) => this.o.log?.warn({ err: (err as Error).message }, 'telemetry spool replay failed'))
      .finally(() => {
        this.replaying = undefined;
      });
    return this.replaying;
  }

  /** Oldest first, until the spool is empty or a write fails again. */
  private async drainSpool(): Promise<void> {
    let batch: SpooledBatch | undefined;
    while (!this.stopped && (batch = this.spool.oldest()) !== undefined) {
      let lines: string;
      try {
        lines = await this.spool.read(batch);
      } catch (err) {
        this.reject(batch.rows, err);
        await this.spool.remove(batch);
        continue;
      }
      try {
        await this.o.writer.insert(batch.table, lines, batch.batchId);
      } catch (err) {
        this.counts.writeFailures++;
        if (!isRejectedBatch(err)) return;
        this.reject(batch.rows, err);
        await this.spool.remove(batch);
        continue;
      }
      await this.spool.remove(batch);
      this.counts.writtenRows += batch.rows;
      this.counts.replayedBatches++;
    }
    if (this.spool.size > 0) return;
    if (!this.healthy) this.o.log?.info({}, 'telemetry spool drained; writing to ClickHouse again');
    this.healthy = true;
  }
}
