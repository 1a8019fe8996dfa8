import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { ALGORITHM, publicJwk, type PublicJwk } from './public-keys.ts';

/** One private signing key, imported once; its public half is what gets published. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: PublicJwk;
}

/** The first key signs; every key is published, which is what makes rotation seamless. */
export type SigningKeys = readonly [SigningKey, ...SigningKey[]];

export class SigningKeysError extends Error {
  override name = 'SigningKeysError';
}

/** A fresh private Ed25519 JWK. The kid starts with the date so operators can tell keys' ages apart. */
export async function generateSigningKey(kid?: string): Promise<JWK> {
  const id = kid ?? `${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
  if (id === '') throw new SigningKeysError('a signing key needs a non-empty kid');
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const { kty, crv, x, d } = await exportJWK(privateKey);
  return { kty, crv, x, d, kid: id, alg: ALGORITHM, use: 'sig' };
}

/**
 * Reads a JSON array of private Ed25519 JWKs (a `{"keys": [...]}` JWKS is accepted too),
 * checks each one and imports it. Messages name the key and the member at fault, because
 * they end up in front of whoever edited PLAYBACK_SIGNING_KEYS.
 */
export async function parseSigningKeys(json: string): Promise<SigningKeys> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new SigningKeysError(`signing keys are not valid JSON (${(err as Error).message})`);
  }
  const list = Array.isArray(parsed) ? parsed : isRecord(parsed) && Array.isArray(parsed['keys']) ? parsed['keys'] : undefined;
  if (list === undefined) throw new SigningKeysError('signing keys must be a JSON array of private Ed25519 JWKs');
  if (list.length === 0) throw new SigningKeysError('signing keys must hold at least one key; the first one signs');

  const seen = new Set<string>();
  const keys: SigningKey[] = [];
  for (const [i, entry] of list.entries()) {
    const jwk = checkPrivateJwk(entry, i);
    if (seen.has(jwk.kid)) throw new SigningKeysError(`signing keys: kid "${jwk.kid}" is used by more than one key`);
    seen.add(jwk.kid);
    const privateKey = (await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, ALGORITHM)) as CryptoKey;
    keys.push({ kid: jwk.kid, privateKey, publicJwk: publicJwk(jwk.kid, jwk.x) });
  }
  return keys as unknown as SigningKeys;
}

interface PrivateJwk {
  kty: string;
  crv: string;
  x: string;
  d: string;
  kid: string;
}

function checkPrivateJwk(entry: unknown, index: number): PrivateJwk {
  let label = `signing key #${index + 1}`;
  if (!isRecord(entry)) throw new SigningKeysError(`${label} must be a JSON object (a private JWK)`);
  const { kid, kty, crv, x, d, alg, use } = entry;
  if (typeof kid !== 'string' || kid === '') throw new SigningKeysError(`${label} needs a non-empty string "kid"`);
  label += ` (kid "${kid}")`;
  if (kty !== 'OKP') throw new SigningKeysError(`${label}: "kty" must be "OKP" (Ed25519), got ${JSON.stringify(kty)}`);
  if (crv !== 'Ed25519') throw new SigningKeysError(`${label}: "crv" must be "Ed25519", got ${JSON.stringify(crv)}`);
  if (typeof d !== 'string' || d === '') {
    throw new SigningKeysError(
      `${label}: "d" (the private key) is missing; this looks like a public key, and signing needs the private one`,
    );
  }
  if (typeof x !== 'string' || x === '') throw new SigningKeysError(`${label}: "x" (the public key) is missing`);
  if (alg !== undefined && alg !== ALGORITHM)
    throw new SigningKeysError(`${label}: "alg" must be "${ALGORITHM}" when present, got ${JSON.stringify(alg)}`);
  if (use !== undefined && use !== 'sig')
    throw new SigningKeysError(`${label}: "use" must be "sig" when present, got ${JSON.stringify(use)}`);

  // A pasted key whose x belongs to another d would sign tokens that no edge can verify;
  // catch that here rather than as a wave of bad_signature at the edges.
  let derivedX: unknown;
  try {
    const key = createPrivateKey({ key: { kty, crv, d, x }, format: 'jwk' });
    derivedX = createPublicKey(key).export({ format: 'jwk' }).x;
  } catch (err) {
    throw new SigningKeysError(`${label}: not a valid Ed25519 key (${(err as Error).message})`);
  }
  if (derivedX !== x) throw new SigningKeysError(`${label}: "x" does not match the private key "d"`);
  return { kty, crv, x, d, kid };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
