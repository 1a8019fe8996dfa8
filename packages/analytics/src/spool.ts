import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TelemetryTable } from './rows.ts';

/** A batch ClickHouse did not take, on disk until it does. */
export interface SpooledBatch {
  file: string;
  table: TelemetryTable;
  /** The batch's insert_deduplication_token: a replay of a batch that did land is dropped. */
  batchId: string;
  rows: number;
  bytes: number;
}

// {sequence}.{table}.{batch id}.{rows}.jsonl: the zero-padded sequence sorts oldest first.
const NAME = /^(\d{16})\.(playback_requests|player_events)\.([0-9a-f-]{36})\.(\d+)\.jsonl$/;

/**
 * A bounded directory of JSONL batches, one file per batch. A batch is written to a temp
 * name and renamed, so a crash mid-write leaves no half batch to replay. The byte budget
 * covers every file.
 */
export class Spool {
  private readonly batches: SpooledBatch[] = [];
  private sequence = 0;
  bytes = 0;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** Picks up what an earlier process left behind. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const found: SpooledBatch[] = [];
    for (const file of (await readdir(this.dir)).sort()) {
      if (file.endsWith('.tmp')) await rm(join(this.dir, file), { force: true });
      const m = NAME.exec(file);
      if (!m) continue;
      const { size } = await stat(join(this.dir, file));
      found.push({ file, table: m[2] as TelemetryTable, batchId: m[3]!, rows: Number(m[4]), bytes: size });
      this.sequence = Math.max(this.sequence, Number(m[1]));
    }
    this.batches.push(...found);
    this.bytes = found.reduce((n, b) => n + b.bytes, 0);
  }

  get size(): number {
    return this.batches.length;
  }

  oldest(): SpooledBatch | undefined {
    return this.batches[0];
  }

  /** `lines`: JSON lines without the final newline. False, and nothing written, when it does not fit. */
  async add(table: TelemetryTable, batchId: string, lines: string, rows: number): Promise<boolean> {
    const body = `${lines}\n`;
    const bytes = Buffer.byteLength(body);
    if (this.bytes + bytes > this.maxBytes) return false;
    const file = `${String(++this.sequence).padStart(16, '0')}.${table}.${batchId}.${rows}.jsonl`;
    // Reserved before the write, so concurrent adds cannot overshoot the budget together.
    this.bytes += bytes;
    try {
      await writeFile(join(this.dir, `${file}.tmp`), body);
      await rename(join(this.dir, `${file}.tmp`), join(this.dir, file));
    } catch (err) {
      this.bytes -= bytes;
      throw err;
    }
    this.batches.push({ file, table, batchId, rows, bytes });
    return true;
  }

  /** The batch's lines as written, without the final newline. */
  async read(batch: SpooledBatch): Promise<string> {
    return (await readFile(join(this.dir, batch.file), 'utf8')).trimEnd();
  }

  /** Drops the batch from the spool (replayed, or unreadable). */
  async remove(batch: SpooledBatch): Promise<void> {
    await rm(join(this.dir, batch.file), { force: true });
    const i = this.batches.indexOf(batch);
    if (i >= 0) this.batches.splice(i, 1);
    this.bytes -= batch.bytes;
  }
}
