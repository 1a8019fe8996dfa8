import type { JWK } from 'jose';
import type { PlaybackClaims } from './claims.ts';
import { TokenError } from './errors.ts';
import { KeyRing } from './key-ring.ts';
import { TokenCache } from './token-cache.ts';
import { MAX_TOKEN_LENGTH, verifyPlaybackToken, type VerifyTokenOptions } from './verify-token.ts';

export interface VerifierOptions {
  audience: string;
  /** Fixed public keys (PLAYBACK_PUBLIC_KEYS); when given, jwksUrl is not fetched. */
  jwks?: { keys: JWK[] } | undefined;
  jwksUrl?: string | undefined;
  /** Default 300. */
  refreshSeconds?: number | undefined;
  /** Default 5: the api's and the edge's clocks disagree a little. */
  clockToleranceSeconds?: number | undefined;
  /** Default 100 000. */
  maxCachedTokens?: number | undefined;
  /** The least time between two JWKS fetches caused by unknown kids. Default 10. */
  unknownKeyRefreshSeconds?: number | undefined;
  /** Epoch milliseconds; tests move time instead of waiting for it. */
  now?: (() => number) | undefined;
}

export interface VerifierStats {
  cachedTokens: number;
  keys: number;
  lastRefresh?: Date;
  /** Full verifications that reached the signature check, i.e. cache misses with a known kid. */
  signatureChecks: number;
  cacheHits: number;
  refreshes: number;
  refreshFailures: number;
  lastRefreshError?: string;
}

export interface PlaybackVerifier {
  /**
   * The claims if `token` is valid now and grants `assetId` (any asset when omitted: the
   * caller then acts on `claims.assetId`); otherwise rejects with a TokenError.
   */
  verify(token: string, assetId?: string): Promise<PlaybackClaims>;
  /** Loads the keys (fetching the JWKS, then refreshing it on a timer); rejects if it gets none. */
  start(): Promise<void>;
  stop(): void;
  stats(): VerifierStats;
}

export function createPlaybackVerifier(o: VerifierOptions): PlaybackVerifier {
  if (!o.audience) throw new TypeError('a playback verifier needs an audience');
  const now = o.now ?? Date.now;
  const tolerance = o.clockToleranceSeconds ?? 5;
  if (!(tolerance >= 0)) throw new RangeError(`clockToleranceSeconds must be zero or more, got ${tolerance}`);
  const cache = new TokenCache(o.maxCachedTokens ?? 100_000);
  const ring = new KeyRing({
    jwks: o.jwks,
    jwksUrl: o.jwksUrl,
    refreshSeconds: o.refreshSeconds ?? 300,
    unknownKeyRefreshSeconds: o.unknownKeyRefreshSeconds ?? 10,
    now,
    onKeysWithdrawn: (kids) => cache.dropSignedBy(kids),
  });
  // Concurrent first requests with one token (a player opening several segments) share one check.
  const inFlight = new Map<string, Promise<PlaybackClaims>>();
  let signatureChecks = 0;
  let cacheHits = 0;
  const base: Omit<VerifyTokenOptions, 'now'> = {
    audience: o.audience,
    clockToleranceSeconds: tolerance,
    resolveKey: (kid) => ring.lookup(kid),
    onSignatureCheck: () => {
      signatureChecks++;
    },
  };

  const verifyFully = (token: string, nowMs: number): Promise<PlaybackClaims> => {
    let pending = inFlight.get(token);
    if (pending === undefined) {
      pending = (async () => {
        try {
          const claims = await verifyPlaybackToken(token, { ...base, now: nowMs });
          cache.set(token, claims);
          return claims;
        } finally {
          inFlight.delete(token);
        }
      })();
      inFlight.set(token, pending);
    }
    return pending;
  };

  return {
    async verify(token, assetId) {
      // Before any lookup: hashing a megabyte-long "token" would already be work for an attacker.
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new TokenError('malformed');
      const nowMs = now();
      let claims = cache.get(token);
      if (claims === undefined) claims = await verifyFully(token, nowMs);
      else cacheHits++;
      // Checked on every call, cached or not: the cache remembers a signature, not a permission.
      if (claims.expiresAt <= Math.floor(nowMs / 1000) - tolerance) {
        cache.delete(token);
        throw new TokenError('expired', { claims });
      }
      if (assetId !== undefined && claims.assetId !== assetId) throw new TokenError('wrong_asset', { claims });
      return claims;
    },
    start: () => ring.start(),
    stop: () => ring.stop(),
    stats: () => {
      const keys = ring.stats();
      return { ...keys, cachedTokens: cache.size, signatureChecks, cacheHits };
    },
  };
}
