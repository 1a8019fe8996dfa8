import type { PlaybackClaims } from './claims.ts';

/**
 * Verified tokens by their exact text. Insertion order doubles as age, so evicting the
 * oldest is one iterator step; tokens of one TTL also expire in that order.
 * Only successes go in: a token that failed once is checked in full every time.
 */
export class TokenCache {
  private readonly entries = new Map<string, PlaybackClaims>();

  constructor(private readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError(`maxCachedTokens must be a positive integer, got ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(token: string): PlaybackClaims | undefined {
    return this.entries.get(token);
  }

  set(token: string, claims: PlaybackClaims): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, claims);
  }

  delete(token: string): void {
    this.entries.delete(token);
  }

  /** When a key is withdrawn, tokens it signed must stop working now, not at their expiry. */
  dropSignedBy(kids: ReadonlySet<string>): void {
    if (kids.size === 0) return;
    for (const [token, claims] of this.entries) if (kids.has(claims.kid)) this.entries.delete(token);
  }

  clear(): void {
    this.entries.clear();
  }
}
