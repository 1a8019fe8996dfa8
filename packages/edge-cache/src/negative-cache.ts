/**
 * Keys the origin answered 404 for, remembered for a few seconds so that asking again
 * costs no origin GET (nginx's `proxy_cache_valid 404`, Varnish's negative TTL). Short on
 * purpose: an artifact published a moment after its 404 is served within the TTL.
 *
 * Bounded in entries. Every entry lives the same TTL, so insertion order is expiry order:
 * the oldest entry is the first key of the Map, and evicting or expiring is one iterator
 * step, never a scan.
 */
export class NegativeCache {
  // key → expiry (epoch ms)
  private readonly entries = new Map<string, number>();

  constructor(
    readonly maxEntries: number,
    /** 0 turns the cache off. */
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Whether the origin said 404 for `key` less than the TTL ago. */
  has(key: string): boolean {
    const until = this.entries.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.entries.delete(key);
    return false;
  }

  add(key: string): void {
    if (this.ttlMs <= 0 || this.maxEntries <= 0) return;
    // Re-inserted at the end, so the Map stays in expiry order.
    this.entries.delete(key);
    const now = this.now();
    this.entries.set(key, now + this.ttlMs);
    for (const [k, until] of this.entries) {
      if (this.entries.size <= this.maxEntries && until > now) break;
      this.entries.delete(k);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key of the asset (a purge: the asset may be published anew). */
  forgetAsset(assetId: string): void {
    const prefix = `${assetId}/`;
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
