import { createHash } from 'node:crypto';
import { signedPart, TokenError, tokenErrorCode, type PlaybackClaims, type PlaybackVerifier } from '@kino/tokens';
import { ApiError } from './errors.ts';
import type { Revocations } from './revocations.ts';

export interface BeaconAuthOptions {
  /**
   * A view that outlives its token still reports how it ended: a genuine token is accepted
   * this long after it expired (beacons grant no bytes, only a say in the QoE numbers).
   */
  expiredGraceSeconds: number;
  /** Expired but genuine tokens remembered at most (oldest forgotten first). */
  maxExpired: number;
  now?: () => number;
}

export interface BeaconAuth {
  claims: PlaybackClaims;
  /** A short fixed-size name of the token (SHA-256 of its signed part), for rate limits keyed by token. */
  tokenKey: string;
}

/**
 * Who may send a beacon: the holder of a genuine playback token, for an asset not deleted.
 *
 * The verifier caches valid tokens but checks an expired one in full every time (it caches
 * permissions, and an expired token has none). Beacons accept expired tokens for a day, so
 * without a cache of their own a flood of one expired token would cost a signature check
 * per request. Genuine expired tokens are remembered here by their hash (bounded size and
 * memory, whatever the tokens' length); whether one is still within the grace is decided at
 * each use. Forged tokens are not remembered: only a genuine signature gets an entry.
 */
export class BeaconAuthorizer {
  private readonly expired = new Map<string, PlaybackClaims>();
  private readonly now: () => number;

  constructor(
    private readonly verifier: PlaybackVerifier,
    private readonly revocations: Pick<Revocations, 'has'>,
    private readonly o: BeaconAuthOptions,
  ) {
    this.now = o.now ?? Date.now;
  }

  get expiredCached(): number {
    return this.expired.size;
  }

  async authorize(token: string): Promise<BeaconAuth> {
    // Remembered by the whole text, so a forged signature never matches a genuine entry.
    const cacheKey = createHash('sha256').update(token).digest('base64url');
    const claims = this.expired.get(cacheKey) ?? (await this.verify(token, cacheKey));
    if (claims.expiresAt <= this.now() / 1000 - this.o.expiredGraceSeconds) {
      throw new ApiError(401, 'TOKEN_EXPIRED', 'The playback token expired too long ago to report on its view.');
    }
    // Deleted assets take no more QoE events, as they serve no more bytes (same answer as playback).
    if (this.revocations.has(claims.assetId)) throw new ApiError(410, 'ASSET_DELETED', 'This asset was deleted.');
    return { claims, tokenKey: createHash('sha256').update(signedPart(token)).digest('base64url') };
  }

  private async verify(token: string, tokenKey: string): Promise<PlaybackClaims> {
    try {
      return await this.verifier.verify(token);
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      if (err.reason === 'expired' && err.claims) {
        if (this.expired.size >= this.o.maxExpired) this.expired.delete(this.expired.keys().next().value!);
        this.expired.set(tokenKey, err.claims);
        return err.claims;
      }
      throw new ApiError(err.status, tokenErrorCode(err.reason), err.message);
    }
  }
}
