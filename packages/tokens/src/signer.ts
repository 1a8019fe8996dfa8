import { SignJWT } from 'jose';
import { ALGORITHM, type PublicJwk } from './public-keys.ts';
import type { SigningKeys } from './signing-keys.ts';

export interface SignOptions {
  /** The asset the token grants; becomes `sub`. A lowercase UUID, as stored. */
  assetId: string;
  /** The asset's account, carried as `acc` so the edge can attribute telemetry without a lookup. */
  accountId?: string;
  /** Defaults to the signer's default TTL; capped at its maximum. */
  ttlSeconds?: number;
  /** Epoch milliseconds, like Date.now(); for tests and for callers that batch. */
  now?: number;
}

export interface PlaybackSigner {
  sign(o: SignOptions): Promise<{ token: string; expiresAt: Date }>;
  /** Public halves of every configured key, for /.well-known/jwks.json. */
  jwks(): { keys: PublicJwk[] };
}

export interface SignerOptions {
  audience: string;
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
}

// Canonical lowercase only: the edge compares `sub` with the path byte for byte, so a token
// minted for an upper-case spelling would be refused as another asset's.
const ASSET_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createPlaybackSigner(keys: SigningKeys, o: SignerOptions): PlaybackSigner {
  const signing = keys[0];
  if (signing === undefined) throw new TypeError('createPlaybackSigner needs at least one signing key');
  if (o.audience === '') throw new TypeError('createPlaybackSigner needs a non-empty audience');
  positiveInteger('defaultTtlSeconds', o.defaultTtlSeconds);
  positiveInteger('maxTtlSeconds', o.maxTtlSeconds);
  const published = keys.map((k) => k.publicJwk);
  const header = { alg: ALGORITHM, kid: signing.kid };

  return {
    async sign({ assetId, accountId, ttlSeconds, now }) {
      if (!ASSET_ID.test(assetId)) throw new TypeError(`cannot sign a playback token for "${assetId}": not a lowercase UUID`);
      const ttl = Math.min(positiveInteger('ttlSeconds', ttlSeconds ?? o.defaultTtlSeconds), o.maxTtlSeconds);
      const issuedAt = Math.floor((now ?? Date.now()) / 1000);
      const expiresAt = issuedAt + ttl;
      const token = await new SignJWT(accountId === undefined ? {} : { acc: accountId })
        .setProtectedHeader(header)
        .setSubject(assetId)
        .setAudience(o.audience)
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(signing.privateKey);
      return { token, expiresAt: new Date(expiresAt * 1000) };
    },
    jwks() {
      return { keys: published.map((k) => ({ ...k })) };
    },
  };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive whole number of seconds, got ${value}`);
  return value;
}
