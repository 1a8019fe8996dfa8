import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  TokenError,
  createPlaybackSigner,
  createPlaybackVerifier,
  type PlaybackSigner,
  type PlaybackVerifier,
  type SigningKeys,
  type TokenFailure,
} from '../src/index.ts';
import { AUDIENCE, b64, decodePart, hs256, makeKeys, newAssetId, validClaims } from './helpers.ts';

const ttl = { defaultTtlSeconds: 600, maxTtlSeconds: 3600 };

async function refusal(p: Promise<unknown>): Promise<TokenError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenError);
  return err as TokenError;
}

async function expectRefused(p: Promise<unknown>, reason: TokenFailure): Promise<void> {
  const err = await refusal(p);
  expect(err.reason).toBe(reason);
  expect(err.status).toBe(reason === 'wrong_asset' ? 403 : 401);
}

describe('playback tokens', () => {
  let keys: SigningKeys;
  let signer: PlaybackSigner;
  let verifier: PlaybackVerifier;
  const assetA = newAssetId();
  const assetB = newAssetId();

  beforeAll(async () => {
    keys = await makeKeys('k1');
    signer = createPlaybackSigner(keys, { audience: AUDIENCE, ...ttl });
    verifier = createPlaybackVerifier({ audience: AUDIENCE, jwks: signer.jwks() });
    await verifier.start();
  });

  /** Signs arbitrary claims with the real key: what a bug or a confused signer could produce. */
  const signWithRealKey = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'EdDSA', kid: 'k1' }) =>
    new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(keys[0].privateKey);

  it('round-trips: a signed token verifies for its asset', async () => {
    const { token, expiresAt } = await signer.sign({ assetId: assetA, accountId: 'acct-1' });
    const claims = await verifier.verify(token, assetA);
    expect(claims).toEqual({ assetId: assetA, accountId: 'acct-1', expiresAt: expiresAt.getTime() / 1000, kid: 'k1' });
    expect(decodePart(token, 0)).toEqual({ alg: 'EdDSA', kid: 'k1' });
    const payload = decodePart(token, 1);
    expect(payload).toMatchObject({ sub: assetA, aud: AUDIENCE, acc: 'acct-1' });
    expect(payload['exp'] as number).toBe((payload['iat'] as number) + 600);
    expect(payload['nbf']).toBe(payload['iat']);
  });

  it('refusals of a genuine token carry its claims, for attribution only', async () => {
    const expired = (await signer.sign({ assetId: assetA, accountId: 'acct-1', ttlSeconds: 60, now: Date.now() - 3_600_000 })).token;
    const refusal = await verifier.verify(expired, assetA).catch((e: TokenError) => e);
    expect(refusal).toMatchObject({ reason: 'expired', claims: { assetId: assetA, accountId: 'acct-1' } });
    const other = (await signer.sign({ assetId: assetB, accountId: 'acct-1' })).token;
    expect(await verifier.verify(other, assetA).catch((e: TokenError) => e)).toMatchObject({
      reason: 'wrong_asset',
      claims: { assetId: assetB },
    });
    const forged = `${other.slice(0, -4)}AAAA`;
    expect(await verifier.verify(forged, assetB).catch((e: TokenError) => e)).toMatchObject({ reason: 'bad_signature', claims: undefined });
  });

  it('refuses an expired token', async () => {
    const { token } = await signer.sign({ assetId: assetA, ttlSeconds: 60, now: Date.now() - 3_600_000 });
    await expectRefused(verifier.verify(token, assetA), 'expired');
  });

  it('refuses a token that is not valid yet', async () => {
    const { token } = await signer.sign({ assetId: assetA, now: Date.now() + 120_000 });
    await expectRefused(verifier.verify(token, assetA), 'not_yet_valid');
  });

  it('tolerates a few seconds of clock skew', async () => {
    const { token } = await signer.sign({ assetId: assetA, now: Date.now() + 2_000 });
    await expect(verifier.verify(token, assetA)).resolves.toMatchObject({ assetId: assetA });
  });

  it('refuses a tampered payload (sub switched to another asset)', async () => {
    const { token } = await signer.sign({ assetId: assetA });
    const [h, , s] = token.split('.');
    const forged = `${h}.${b64({ ...decodePart(token, 1), sub: assetB })}.${s}`;
    await expectRefused(verifier.verify(forged, assetB), 'bad_signature');
  });

  it('refuses a token signed by an unknown key', async () => {
    const other = createPlaybackSigner(await makeKeys('intruder'), { audience: AUDIENCE, ...ttl });
    const { token } = await other.sign({ assetId: assetA });
    await expectRefused(verifier.verify(token, assetA), 'unknown_key');
  });

  it('refuses a token signed by an unknown key that reuses a known kid', async () => {
    const impostor = createPlaybackSigner(await makeKeys('k1'), { audience: AUDIENCE, ...ttl });
    const { token } = await impostor.sign({ assetId: assetA });
    expect(decodePart(token, 0)['kid']).toBe('k1');
    await expectRefused(verifier.verify(token, assetA), 'bad_signature');
  });

  it('refuses a token without a kid', async () => {
    const token = await signWithRealKey(validClaims(assetA), { alg: 'EdDSA' });
    await expectRefused(verifier.verify(token, assetA), 'unknown_key');
  });

  it('refuses alg "none"', async () => {
    const header = b64({ alg: 'none', kid: 'k1' });
    const payload = b64(validClaims(assetA));
    await expectRefused(verifier.verify(`${header}.${payload}.`, assetA), 'bad_algorithm');
  });

  it('refuses HS256 signed with the public key bytes (key confusion)', async () => {
    const x = keys[0].publicJwk.x;
    const token = hs256({ kid: 'k1' }, validClaims(assetA), Buffer.from(x, 'base64url'));
    await expectRefused(verifier.verify(token, assetA), 'bad_algorithm');
  });

  it('refuses HS256 signed with the public JWK text (key confusion)', async () => {
    const published = signer.jwks().keys[0];
    for (const secret of [JSON.stringify(published), JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: published?.x }), published?.x ?? '']) {
      const token = hs256({ kid: 'k1' }, validClaims(assetA), secret);
      await expectRefused(verifier.verify(token, assetA), 'bad_algorithm');
    }
  });

  it('refuses RSA and ECDSA tokens even under a known kid', async () => {
    const rsa = await generateKeyPair('RS256');
    const ec = await generateKeyPair('ES256');
    const pss = await generateKeyPair('PS256');
    for (const [alg, key] of [
      ['RS256', rsa.privateKey],
      ['ES256', ec.privateKey],
      ['PS256', pss.privateKey],
    ] as const) {
      const token = await new SignJWT(validClaims(assetA)).setProtectedHeader({ alg, kid: 'k1' }).sign(key);
      await expectRefused(verifier.verify(token, assetA), 'bad_algorithm');
    }
  });

  it('refuses the fully-specified "Ed25519" alg too: only EdDSA is accepted', async () => {
    const token = await signWithRealKey(validClaims(assetA), { alg: 'Ed25519', kid: 'k1' });
    await expectRefused(verifier.verify(token, assetA), 'bad_algorithm');
  });

  it('refuses a token for asset A used on asset B with 403', async () => {
    const { token } = await signer.sign({ assetId: assetA });
    await expectRefused(verifier.verify(token, assetB), 'wrong_asset');
    // and the same once the token is cached
    await verifier.verify(token, assetA);
    await expectRefused(verifier.verify(token, assetB), 'wrong_asset');
  });

  it('refuses truncated tokens and garbage as malformed', async () => {
    const { token } = await signer.sign({ assetId: assetA });
    const cuts = [
      token.slice(0, -1),
      token.slice(0, -10),
      token.slice(0, token.lastIndexOf('.')),
      token.slice(0, token.lastIndexOf('.') + 1),
      token.slice(0, token.indexOf('.')),
      token.slice(0, 30),
      `${token}AAAA`,
      '',
      'a.b.c',
      '..',
      'not a token',
      `${b64({ alg: 'EdDSA', kid: 'k1' })}.%%%.${'A'.repeat(86)}`,
      'x'.repeat(100_000),
    ];
    for (const cut of cuts) await expectRefused(verifier.verify(cut, assetA), 'malformed');
  });

  it('refuses a header or payload that is not JSON', async () => {
    const sig = 'A'.repeat(86);
    await expectRefused(
      verifier.verify(`${Buffer.from('{"alg":').toString('base64url')}.${b64(validClaims(assetA))}.${sig}`, assetA),
      'malformed',
    );
    const notJson = await signWithRealKey(validClaims(assetA)).then((t) => {
      const [h, , s] = t.split('.');
      return `${h}.${Buffer.from('not json').toString('base64url')}.${s}`;
    });
    await expectRefused(verifier.verify(notJson, assetA), 'bad_signature');
  });

  it('refuses the wrong audience', async () => {
    const elsewhere = createPlaybackSigner(keys, { audience: 'someone-else', ...ttl });
    const { token } = await elsewhere.sign({ assetId: assetA });
    await expectRefused(verifier.verify(token, assetA), 'wrong_audience');
  });

  it('refuses tokens with missing claims', async () => {
    const { sub: _sub, ...noSub } = validClaims(assetA);
    const { exp: _exp, ...noExp } = validClaims(assetA);
    const { aud: _aud, ...noAud } = validClaims(assetA);
    for (const claims of [noSub, noExp, noAud, { ...validClaims(assetA), sub: '' }, { ...validClaims(assetA), sub: 42 }]) {
      await expectRefused(verifier.verify(await signWithRealKey(claims), assetA), 'missing_claims');
    }
  });

  it('refuses claims of the wrong type', async () => {
    await expectRefused(verifier.verify(await signWithRealKey({ ...validClaims(assetA), exp: 'never' }), assetA), 'malformed');
  });

  it('caches no failure', async () => {
    const { token } = await signer.sign({ assetId: assetA, ttlSeconds: 60, now: Date.now() - 3_600_000 });
    const before = verifier.stats().cachedTokens;
    await expectRefused(verifier.verify(token, assetA), 'expired');
    await expectRefused(verifier.verify(token, assetA), 'expired');
    expect(verifier.stats().cachedTokens).toBe(before);
  });
});

describe('the verified-token cache', () => {
  let signer: PlaybackSigner;
  const asset = newAssetId();
  let clock = Date.now();
  const now = () => clock;

  beforeAll(async () => {
    signer = createPlaybackSigner(await makeKeys('k1'), { audience: AUDIENCE, ...ttl });
  });

  it('verifies a signature once, then answers from the cache', async () => {
    const verifier = createPlaybackVerifier({ audience: AUDIENCE, jwks: signer.jwks(), now });
    const { token } = await signer.sign({ assetId: asset, now: clock });
    await verifier.verify(token, asset);
    expect(verifier.stats()).toMatchObject({ signatureChecks: 1, cacheHits: 0, cachedTokens: 1 });
    for (let i = 0; i < 5; i++) await verifier.verify(token, asset);
    expect(verifier.stats()).toMatchObject({ signatureChecks: 1, cacheHits: 5, cachedTokens: 1 });
  });

  it('shares one check among concurrent first requests', async () => {
    const verifier = createPlaybackVerifier({ audience: AUDIENCE, jwks: signer.jwks(), now });
    const { token } = await signer.sign({ assetId: asset, now: clock });
    await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token, asset)));
    expect(verifier.stats().signatureChecks).toBe(1);
  });

  it('refuses a cached token once it expires, and forgets it', async () => {
    clock = Date.now();
    const verifier = createPlaybackVerifier({ audience: AUDIENCE, jwks: signer.jwks(), now, clockToleranceSeconds: 5 });
    const { token, expiresAt } = await signer.sign({ assetId: asset, ttlSeconds: 30, now: clock });
    await verifier.verify(token, asset);
    clock = expiresAt.getTime() + 4_000; // inside the tolerance
    await verifier.verify(token, asset);
    clock = expiresAt.getTime() + 5_000;
    await expectRefused(verifier.verify(token, asset), 'expired');
    expect(verifier.stats()).toMatchObject({ signatureChecks: 1, cachedTokens: 0 });
    await expectRefused(verifier.verify(token, asset), 'expired');
  });

  it('is bounded, evicting the oldest token', async () => {
    clock = Date.now();
    const verifier = createPlaybackVerifier({ audience: AUDIENCE, jwks: signer.jwks(), now, maxCachedTokens: 2 });
    const tokens = await Promise.all([60, 61, 62].map((t) => signer.sign({ assetId: asset, ttlSeconds: t, now: clock })));
    for (const { token } of tokens) await verifier.verify(token, asset);
    expect(verifier.stats()).toMatchObject({ cachedTokens: 2, signatureChecks: 3 });
    await verifier.verify(tokens[2]!.token, asset); // newest: still cached
    expect(verifier.stats().signatureChecks).toBe(3);
    await verifier.verify(tokens[0]!.token, asset); // oldest: was evicted
    expect(verifier.stats().signatureChecks).toBe(4);
  });
});

describe('verifier configuration', () => {
  it('refuses private keys and non-Ed25519 keys as its key set', async () => {
    const keys = await makeKeys('k1');
    const privateJwk = { ...keys[0].publicJwk, d: 'A'.repeat(43) };
    expect(() => createPlaybackVerifier({ audience: AUDIENCE, jwks: { keys: [privateJwk] } })).toThrow(/private key material/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    expect(() => createPlaybackVerifier({ audience: AUDIENCE, jwks: { keys: [{ ...rsa, kid: 'r' }] } })).toThrow(/not an Ed25519 key/);
    expect(() => createPlaybackVerifier({ audience: AUDIENCE, jwks: { keys: [] } })).toThrow(/no Ed25519/);
    expect(() => createPlaybackVerifier({ audience: AUDIENCE })).toThrow(/jwks or jwksUrl/);
  });

  it('accepts tokens of every published key during a rotation', async () => {
    const [oldKey, newKey] = await Promise.all([makeKeys('old'), makeKeys('new')]);
    const before = createPlaybackSigner(oldKey, { audience: AUDIENCE, ...ttl });
    const during = createPlaybackSigner([newKey[0], oldKey[0]], { audience: AUDIENCE, ...ttl });
    const verifier = createPlaybackVerifier({ audience: AUDIENCE, jwks: during.jwks() });
    const asset = newAssetId();
    const a = await before.sign({ assetId: asset });
    const b = await during.sign({ assetId: asset });
    expect(decodePart(b.token, 0)['kid']).toBe('new');
    await expect(verifier.verify(a.token, asset)).resolves.toMatchObject({ kid: 'old' });
    await expect(verifier.verify(b.token, asset)).resolves.toMatchObject({ kid: 'new' });
  });
});
