import { errors, jwtVerify, type CryptoKey, type FlattenedJWSInput, type JWTHeaderParameters, type JWTPayload } from 'jose';
import type { PlaybackClaims } from './claims.ts';
import { TokenError } from './errors.ts';
import { ALGORITHM } from './public-keys.ts';

/** Ours are ~250 characters; the bound keeps hostile input from costing more than a glance. */
export const MAX_TOKEN_LENGTH = 2048;

// An Ed25519 signature is 64 bytes: 86 base64url characters, no padding. Anything else was
// cut short or padded, and is refused as malformed before any crypto runs.
const SIGNATURE_LENGTH = 86;

// Three base64url segments, the last possibly empty (so `alg: none` still reaches the
// algorithm check and is reported as such). Garbage stops here, before any decoding.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const ALGORITHMS = [ALGORITHM];
const REQUIRED_CLAIMS = ['sub', 'exp'];

export interface VerifyTokenOptions {
  audience: string;
  clockToleranceSeconds: number;
  /** Epoch milliseconds. */
  now: number;
  /** The verification key for a kid, or undefined when it is not one of ours. */
  resolveKey(kid: string): CryptoKey | undefined | Promise<CryptoKey | undefined>;
  /** Called right before a signature is checked; the cache's tests count these. */
  onSignatureCheck?(): void;
}

/**
 * The full check of a token's signature and claims, without the asset binding (that is
 * per request, the token's validity is not). Every refusal is a TokenError with its reason.
 */
export async function verifyPlaybackToken(token: string, o: VerifyTokenOptions): Promise<PlaybackClaims> {
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw new TokenError('malformed');
  // jose parses the header and refuses any alg outside ALGORITHMS (`none`, HS*, RS*, ES*)
  // before it asks for a key, so the key lookup below only ever sees EdDSA tokens, and it
  // can only answer with an Ed25519 public key: no way to make it treat a public key as an
  // HMAC secret.
  const getKey = async (header: JWTHeaderParameters, jws: FlattenedJWSInput): Promise<CryptoKey> => {
    if (header.alg !== ALGORITHM) throw new TokenError('bad_algorithm');
    if (jws.signature.length !== SIGNATURE_LENGTH) throw new TokenError('malformed');
    const kid = header.kid;
    if (typeof kid !== 'string' || kid === '') throw new TokenError('unknown_key');
    const key = await o.resolveKey(kid);
    if (key === undefined) throw new TokenError('unknown_key');
    o.onSignatureCheck?.();
    return key;
  };
  let result: Awaited<ReturnType<typeof jwtVerify>>;
  try {
    result = await jwtVerify(token, getKey, {
      algorithms: ALGORITHMS,
      audience: o.audience,
      clockTolerance: o.clockToleranceSeconds,
      currentDate: new Date(o.now),
      requiredClaims: REQUIRED_CLAIMS,
    });
  } catch (err) {
    throw asTokenError(err);
  }
  const { payload, protectedHeader } = result;
  const claims = toClaims(payload, protectedHeader.kid as string);
  if (claims === undefined) throw new TokenError('missing_claims');
  return claims;
}

function toClaims(payload: JWTPayload, kid: string): PlaybackClaims | undefined {
  if (typeof payload.sub !== 'string' || payload.sub === '') return undefined;
  const acc = payload['acc'];
  return Object.freeze({ assetId: payload.sub, accountId: typeof acc === 'string' ? acc : null, expiresAt: payload.exp as number, kid });
}

function asTokenError(err: unknown): TokenError {
  if (err instanceof TokenError) return err;
  if (err instanceof errors.JOSEAlgNotAllowed) return new TokenError('bad_algorithm', { cause: err });
  if (err instanceof errors.JWSSignatureVerificationFailed) return new TokenError('bad_signature', { cause: err });
  // jose checks claims only after the signature, so an expired token's payload is genuine.
  if (err instanceof errors.JWTExpired) {
    return new TokenError('expired', { cause: err, claims: toClaims(err.payload, '') });
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return new TokenError('missing_claims', { cause: err });
    if (err.claim === 'nbf' && err.reason === 'check_failed') return new TokenError('not_yet_valid', { cause: err });
    if (err.claim === 'aud' && err.reason === 'check_failed') return new TokenError('wrong_audience', { cause: err });
  }
  // Everything else (bad base64, non-JSON header or payload, claims of the wrong type, unknown
  // `crit`) is refused too; "malformed" is the honest summary.
  return new TokenError('malformed', { cause: err });
}
