import type { CryptoKey, JWK } from 'jose';
import { fetchJwks } from './jwks-fetch.ts';
import { importPublicKeys, readPublicKeys, type PublicJwk, type VerificationKey } from './public-keys.ts';

export interface KeyRingOptions {
  jwks?: { keys: JWK[] } | undefined;
  jwksUrl?: string | undefined;
  refreshSeconds: number;
  /** The least time between two fetches caused by unknown kids. */
  unknownKeyRefreshSeconds: number;
  now: () => number;
  /** Keys that vanished or changed: tokens they signed must stop being honoured. */
  onKeysWithdrawn: (kids: ReadonlySet<string>) => void;
}

export interface KeyRingStats {
  keys: number;
  lastRefresh?: Date;
  refreshes: number;
  refreshFailures: number;
  lastRefreshError?: string;
}

/**
 * The edge's public keys by kid, either fixed by config or fetched from the api's JWKS and
 * refreshed. A failed refresh keeps the keys already held: a blip at the api must not turn
 * into every playback failing.
 */
export class KeyRing {
  private keys = new Map<string, VerificationKey>();
  private staticLoad: Promise<void> | undefined;
  private refreshing: Promise<void> | undefined;
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private abort = new AbortController();
  private readonly counters: KeyRingStats = { keys: 0, refreshes: 0, refreshFailures: 0 };

  constructor(private readonly o: KeyRingOptions) {
    if (!(o.refreshSeconds > 0)) throw new RangeError(`refreshSeconds must be positive, got ${o.refreshSeconds}`);
    if (o.jwks !== undefined) {
      this.staticLoad = this.install(readPublicKeys(o.jwks, { strict: true, source: 'jwks' }));
      this.staticLoad.catch(() => {}); // surfaced by start() and lookups, not as an unhandled rejection
    } else if (o.jwksUrl !== undefined) {
      const { protocol } = new URL(o.jwksUrl);
      if (protocol !== 'http:' && protocol !== 'https:') throw new TypeError(`jwksUrl must be http(s), got ${o.jwksUrl}`);
    } else {
      throw new TypeError('a playback verifier needs public keys: jwks or jwksUrl');
    }
  }

  /** Only the first lookups of a fresh verifier wait; after that a known kid is a map read. */
  async lookup(kid: string): Promise<CryptoKey | undefined> {
    if (this.staticLoad !== undefined) await this.staticLoad;
    const held = this.keys.get(kid);
    if (held !== undefined) return held.key;
    if (this.o.jwksUrl === undefined) return undefined;
    // A new kid usually means the api rotated and we have not refreshed yet, so look once;
    // but a flood of made-up kids must not become a flood of fetches at the api.
    if (this.refreshing === undefined && this.o.now() - this.lastFetchAt < this.o.unknownKeyRefreshSeconds * 1000) return undefined;
    await this.refresh().catch(() => {});
    return this.keys.get(kid)?.key;
  }

  async start(): Promise<void> {
    if (this.staticLoad !== undefined) return this.staticLoad;
    try {
      await this.refresh();
    } catch (err) {
      if (this.keys.size === 0) throw new Error(`no playback verification keys: ${(err as Error).message}`, { cause: err });
    }
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.refresh().catch(() => {}), this.o.refreshSeconds * 1000);
      this.timer.unref();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
    this.abort = new AbortController();
  }

  stats(): KeyRingStats {
    return { ...this.counters, keys: this.keys.size };
  }

  /** One fetch at a time; callers arriving meanwhile share it. */
  refresh(): Promise<void> {
    if (this.refreshing !== undefined) return this.refreshing;
    const url = this.o.jwksUrl;
    if (url === undefined) return Promise.resolve();
    const run = async () => {
      this.lastFetchAt = this.o.now();
      try {
        const doc = await fetchJwks(url, { signal: this.abort.signal });
        await this.install(readPublicKeys(doc, { strict: false, source: `JWKS at ${url}` }));
        this.counters.refreshes++;
        this.counters.lastRefresh = new Date(this.o.now());
        delete this.counters.lastRefreshError;
      } catch (err) {
        this.counters.refreshFailures++;
        this.counters.lastRefreshError = (err as Error).message;
        throw err;
      }
    };
    const p = run();
    this.refreshing = p;
    const done = () => {
      this.refreshing = undefined;
    };
    p.then(done, done);
    return p;
  }

  private async install(jwks: PublicJwk[]): Promise<void> {
    const next = await importPublicKeys(jwks, this.keys);
    const withdrawn = new Set<string>();
    for (const [kid, held] of this.keys) if (next.get(kid)?.x !== held.x) withdrawn.add(kid);
    this.keys = next;
    this.o.onKeysWithdrawn(withdrawn);
  }
}
