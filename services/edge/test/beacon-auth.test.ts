import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPlaybackSigner,
  createPlaybackVerifier,
  generateSigningKey,
  parseSigningKeys,
  type PlaybackSigner,
  type PlaybackVerifier,
} from '@kino/tokens';
import { BeaconAuthorizer } from '../src/beacon-auth.ts';
import { ApiError } from '../src/errors.ts';

// The beacon's authorization on its own, with a real signer and verifier: which tokens it
// takes, and what a flood of expired ones costs.

const AUDIENCE = 'beacon-auth-test';
const HOUR = 3600_000;
let signer: PlaybackSigner;
let other: PlaybackSigner;

beforeAll(async () => {
  const options = { audience: AUDIENCE, defaultTtlSeconds: 600, maxTtlSeconds: 3600 };
  signer = createPlaybackSigner(await parseSigningKeys(JSON.stringify([await generateSigningKey('k1')])), options);
  // Same kid, another key: its tokens reach the signature check and fail it.
  other = createPlaybackSigner(await parseSigningKeys(JSON.stringify([await generateSigningKey('k1')])), options);
});

function setup(maxExpired = 100) {
  const verifier: PlaybackVerifier = createPlaybackVerifier({ audience: AUDIENCE, jwks: signer.jwks() });
  const revoked = new Set<string>();
  const auth = new BeaconAuthorizer(verifier, { has: (id) => revoked.has(id) }, { expiredGraceSeconds: 24 * 3600, maxExpired });
  return { verifier, revoked, auth };
}

/** A genuine token that expired `agoMs` ago. */
const expiredToken = async (assetId: string, agoMs: number) =>
  (await signer.sign({ assetId, ttlSeconds: 60, now: Date.now() - agoMs - 60_000 })).token;

async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  const { status, code } = err as ApiError;
  return { status, code };
}

describe('BeaconAuthorizer', () => {
  it('takes a valid token, and an expired genuine one within the grace', async () => {
    const { auth } = setup();
    const assetId = randomUUID();
    const { token } = await signer.sign({ assetId });
    expect((await auth.authorize(token)).claims.assetId).toBe(assetId);
    const old = await expiredToken(assetId, 2 * HOUR);
    expect((await auth.authorize(old)).claims.assetId).toBe(assetId);
  });

  it('gives every spelling of one token the same rate-limit key', async () => {
    const { auth } = setup();
    const { token } = await signer.sign({ assetId: randomUUID() });
    // The last base64url character of an Ed25519 signature carries 2 bits; the other 4 are spare.
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = ALPHABET.indexOf(token.at(-1)!);
    const respelled = token.slice(0, -1) + ALPHABET[(last & 0x30) | ((last + 1) & 0x0f)];
    expect(respelled).not.toBe(token);
    const [a, b] = [await auth.authorize(token), await auth.authorize(respelled)];
    expect(b.claims.assetId).toBe(a.claims.assetId);
    expect(b.tokenKey).toBe(a.tokenKey);
  });

  it('checks the signature of an expired token once, however often it comes', async () => {
    const { auth, verifier } = setup();
    const token = await expiredToken(randomUUID(), HOUR);
    const before = verifier.stats().signatureChecks;
    const keys = new Set<string>();
    for (let i = 0; i < 500; i++) keys.add((await auth.authorize(token)).tokenKey);
    expect(verifier.stats().signatureChecks - before).toBe(1);
    expect(keys.size).toBe(1);
    expect(auth.expiredCached).toBe(1);
    // Past the grace it is refused, and still without a signature check each time.
    const ancient = await expiredToken(randomUUID(), 25 * HOUR);
    for (let i = 0; i < 100; i++) expect(await refusal(auth.authorize(ancient))).toEqual({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(verifier.stats().signatureChecks - before).toBe(2);
  });

  it('remembers a bounded number of expired tokens', async () => {
    const { auth } = setup(8);
    for (let i = 0; i < 40; i++) await auth.authorize(await expiredToken(randomUUID(), HOUR));
    expect(auth.expiredCached).toBe(8);
  });

  it('remembers nothing about forged tokens', async () => {
    const { auth, verifier } = setup();
    const forged = (await other.sign({ assetId: randomUUID(), ttlSeconds: 60, now: Date.now() - HOUR })).token;
    for (let i = 0; i < 3; i++) expect(await refusal(auth.authorize(forged))).toEqual({ status: 401, code: 'TOKEN_BAD_SIGNATURE' });
    expect(verifier.stats().signatureChecks).toBe(3);
    expect(auth.expiredCached).toBe(0);
    expect(await refusal(auth.authorize('not.a.token'))).toEqual({ status: 401, code: 'TOKEN_MALFORMED' });
  });

  it("refuses a deleted asset's tokens, valid or expired", async () => {
    const { auth, revoked } = setup();
    const assetId = randomUUID();
    const { token } = await signer.sign({ assetId });
    const old = await expiredToken(assetId, HOUR);
    await auth.authorize(old);
    revoked.add(assetId);
    expect(await refusal(auth.authorize(token))).toEqual({ status: 410, code: 'ASSET_DELETED' });
    expect(await refusal(auth.authorize(old))).toEqual({ status: 410, code: 'ASSET_DELETED' });
  });
});
