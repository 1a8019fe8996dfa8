import type { CachedObject } from './object.ts';

/**
 * Copies of small startup artifacts in memory, bounded in bytes, least recently used out
 * first. A Map iterates in insertion order, so re-inserting on access keeps it in LRU order.
 * Every object here is also in the disk tier; this only decides whether `body` is set.
 */
export class RamTier {
  private readonly entries = new Map<string, CachedObject>();
  bytes = 0;
  evictions = 0;

  constructor(
    readonly budget: number,
    /** Larger objects are never copied, so one cannot flush all the others. */
    readonly maxObjectBytes: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  accepts(size: number): boolean {
    return size <= this.maxObjectBytes && size <= this.budget;
  }

  insert(obj: CachedObject, body: Buffer): void {
    if (!this.accepts(body.length)) return;
    this.delete(obj.key);
    obj.body = body;
    this.entries.set(obj.key, obj);
    this.bytes += body.length;
    for (const old of this.entries.values()) {
      if (this.bytes <= this.budget) break;
      this.drop(old);
      this.evictions += 1;
    }
  }

  touch(obj: CachedObject): void {
    this.entries.delete(obj.key);
    this.entries.set(obj.key, obj);
  }

  delete(key: string): boolean {
    const obj = this.entries.get(key);
    if (!obj) return false;
    this.drop(obj);
    return true;
  }

  private drop(obj: CachedObject): void {
    this.entries.delete(obj.key);
    this.bytes -= obj.body?.length ?? 0;
    obj.body = undefined;
  }
}
