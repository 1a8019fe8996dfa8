import { importJWK, type CryptoKey, type JWK } from 'jose';

/** The one algorithm Kino signs and accepts. */
export const ALGORITHM = 'EdDSA';

export interface PublicJwk extends JWK {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: typeof ALGORITHM;
  use: 'sig';
}

export function publicJwk(kid: string, x: string): PublicJwk {
  return { kty: 'OKP', crv: 'Ed25519', x, kid, alg: ALGORITHM, use: 'sig' };
}

export class PublicKeysError extends Error {
  override name = 'PublicKeysError';
}

const ED25519_X = /^[A-Za-z0-9_-]{43}$/;

/**
 * Picks the Ed25519 verification keys out of a JWKS. `strict` (keys an operator configured)
 * refuses anything else; otherwise (a fetched JWKS) keys of other types are skipped, since a
 * JWKS may legitimately carry them. Either way private material is refused outright: an edge
 * must never hold a key that can mint tokens.
 */
export function readPublicKeys(value: unknown, o: { strict: boolean; source: string }): PublicJwk[] {
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value['keys']) ? value['keys'] : undefined;
  if (list === undefined) throw new PublicKeysError(`${o.source} must be a JWKS: {"keys": [...]}`);
  const keys: PublicJwk[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of list.entries()) {
    const label = `${o.source}: key #${i + 1}`;
    if (!isObject(entry)) throw new PublicKeysError(`${label} must be a JSON object (a JWK)`);
    if ('d' in entry || 'k' in entry || 'p' in entry) {
      throw new PublicKeysError(`${label} contains private key material; publish and configure public keys only`);
    }
    const { kid, kty, crv, x, alg, use } = entry;
    const problem =
      kty !== 'OKP' || crv !== 'Ed25519'
        ? `is not an Ed25519 key (kty ${JSON.stringify(kty)}, crv ${JSON.stringify(crv)})`
        : alg !== undefined && alg !== ALGORITHM
          ? `has "alg" ${JSON.stringify(alg)}; only "${ALGORITHM}" is accepted`
          : use !== undefined && use !== 'sig'
            ? `has "use" ${JSON.stringify(use)}; only "sig" is accepted`
            : typeof kid !== 'string' || kid === ''
              ? 'needs a non-empty string "kid"'
              : typeof x !== 'string' || !ED25519_X.test(x)
                ? 'needs "x", a 32-byte base64url Ed25519 public key'
                : undefined;
    if (problem !== undefined) {
      if (o.strict) throw new PublicKeysError(`${label} ${problem}`);
      continue;
    }
    const k = kid as string;
    if (seen.has(k)) throw new PublicKeysError(`${o.source}: kid "${k}" is used by more than one key`);
    seen.add(k);
    keys.push(publicJwk(k, x as string));
  }
  if (keys.length === 0) throw new PublicKeysError(`${o.source} holds no Ed25519 ${ALGORITHM} key`);
  return keys;
}

/** For PLAYBACK_PUBLIC_KEYS: a JWKS (or a bare array of JWKs) as JSON text. */
export function parsePublicKeys(json: string, source = 'public keys'): { keys: PublicJwk[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new PublicKeysError(`${source} are not valid JSON (${(err as Error).message})`);
  }
  return { keys: readPublicKeys(parsed, { strict: true, source }) };
}

export interface VerificationKey {
  readonly x: string;
  readonly key: CryptoKey;
}

/**
 * Imports keys once into a kid → CryptoKey map. Keys already held (same kid, same x) are
 * reused so a periodic refresh costs no crypto work.
 */
export async function importPublicKeys(
  keys: readonly PublicJwk[],
  previous?: ReadonlyMap<string, VerificationKey>,
): Promise<Map<string, VerificationKey>> {
  const next = new Map<string, VerificationKey>();
  for (const jwk of keys) {
    const held = previous?.get(jwk.kid);
    if (held !== undefined && held.x === jwk.x) {
      next.set(jwk.kid, held);
      continue;
    }
    // Only the public members go in, so nothing but an Ed25519 verify key can come out.
    const key = (await importJWK({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }, ALGORITHM)) as CryptoKey;
    next.set(jwk.kid, { x: jwk.x, key });
  }
  return next;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
