import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPlaybackSigner,
  createPlaybackVerifier,
  generateSigningKey,
  loadOrCreateSigningKeys,
  parsePublicKeys,
  parseSigningKeys,
} from '../src/index.ts';
import { AUDIENCE, decodePart, makeKeys, newAssetId } from './helpers.ts';

describe('generateSigningKey', () => {
  it('makes a private Ed25519 JWK with kid, alg and use', async () => {
    const jwk = await generateSigningKey('mine');
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: 'mine', alg: 'EdDSA', use: 'sig' });
    expect(jwk.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(jwk.x).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [one, two] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    expect(one.kid).toMatch(/^\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/);
    expect(one.kid).not.toBe(two.kid);
  });
});

describe('parseSigningKeys', () => {
  let good: Awaited<ReturnType<typeof generateSigningKey>>;
  let other: Awaited<ReturnType<typeof generateSigningKey>>;
  beforeAll(async () => {
    [good, other] = await Promise.all([generateSigningKey('k1'), generateSigningKey('k2')]);
  });

  it('accepts an array of private JWKs (or a JWKS) and keeps their order', async () => {
    const keys = await parseSigningKeys(JSON.stringify([good, other]));
    expect(keys.map((k) => k.kid)).toEqual(['k1', 'k2']);
    expect(keys[0].publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: good.x, kid: 'k1', alg: 'EdDSA', use: 'sig' });
    const { alg: _alg, use: _use, ...bare } = good;
    expect((await parseSigningKeys(JSON.stringify({ keys: [bare] })))[0].kid).toBe('k1');
  });

  it('rejects bad input with messages that say what is wrong', async () => {
    const { d: _d, ...publicOnly } = good;
    const { kid: _kid, ...noKid } = good;
    const { x: _x, ...noX } = good;
    const cases: [string, RegExp][] = [
      ['{not json', /not valid JSON/],
      ['{}', /must be a JSON array of private Ed25519 JWKs/],
      ['"key"', /must be a JSON array/],
      ['[]', /at least one key/],
      ['[42]', /signing key #1 must be a JSON object/],
      [JSON.stringify([noKid]), /signing key #1 needs a non-empty string "kid"/],
      [JSON.stringify([{ ...good, kid: '' }]), /signing key #1 needs a non-empty string "kid"/],
      [JSON.stringify([good, { ...other, kty: 'RSA' }]), /signing key #2 \(kid "k2"\): "kty" must be "OKP" \(Ed25519\), got "RSA"/],
      [JSON.stringify([{ ...good, crv: 'X25519' }]), /"crv" must be "Ed25519", got "X25519"/],
      [JSON.stringify([publicOnly]), /kid "k1"\): "d" \(the private key\) is missing; this looks like a public key/],
      [JSON.stringify([noX]), /"x" \(the public key\) is missing/],
      [JSON.stringify([{ ...good, alg: 'RS256' }]), /"alg" must be "EdDSA" when present, got "RS256"/],
      [JSON.stringify([{ ...good, use: 'enc' }]), /"use" must be "sig" when present, got "enc"/],
      [JSON.stringify([{ ...good, x: other.x }]), /kid "k1"\): "x" does not match the private key "d"/],
      [JSON.stringify([{ ...good, d: 'c2hvcnQ' }]), /kid "k1"\): not a valid Ed25519 key/],
      [JSON.stringify([good, { ...other, kid: 'k1' }]), /kid "k1" is used by more than one key/],
    ];
    for (const [input, message] of cases) await expect(parseSigningKeys(input), input).rejects.toThrow(message);
  });
});

describe('createPlaybackSigner', () => {
  const asset = newAssetId();

  it('caps the TTL at the maximum and defaults it', async () => {
    const keys = await makeKeys('k1');
    const signer = createPlaybackSigner(keys, { audience: AUDIENCE, defaultTtlSeconds: 300, maxTtlSeconds: 900 });
    const now = 1_800_000_000_000;
    const capped = await signer.sign({ assetId: asset, ttlSeconds: 86_400, now });
    expect(capped.expiresAt.getTime()).toBe(now + 900_000);
    const p = decodePart(capped.token, 1);
    expect((p['exp'] as number) - (p['iat'] as number)).toBe(900);
    const byDefault = await signer.sign({ assetId: asset, now });
    expect(byDefault.expiresAt.getTime()).toBe(now + 300_000);
    const shorter = await signer.sign({ assetId: asset, ttlSeconds: 20, now });
    expect(shorter.expiresAt.getTime()).toBe(now + 20_000);
  });

  it('refuses nonsense TTLs and asset ids', async () => {
    const keys = await makeKeys('k1');
    const signer = createPlaybackSigner(keys, { audience: AUDIENCE, defaultTtlSeconds: 300, maxTtlSeconds: 900 });
    await expect(signer.sign({ assetId: asset, ttlSeconds: 0 })).rejects.toThrow(/ttlSeconds must be a positive whole number/);
    await expect(signer.sign({ assetId: asset, ttlSeconds: 1.5 })).rejects.toThrow(/ttlSeconds/);
    await expect(signer.sign({ assetId: asset.toUpperCase() })).rejects.toThrow(/not a lowercase UUID/);
    await expect(signer.sign({ assetId: '../etc' })).rejects.toThrow(/not a lowercase UUID/);
    expect(() => createPlaybackSigner(keys, { audience: AUDIENCE, defaultTtlSeconds: 300, maxTtlSeconds: 0 })).toThrow(/maxTtlSeconds/);
  });

  it('signs with the first key and publishes every key, public parts only', async () => {
    const keys = await parseSigningKeys(JSON.stringify(await Promise.all([generateSigningKey('new'), generateSigningKey('old')])));
    const signer = createPlaybackSigner(keys, { audience: AUDIENCE, defaultTtlSeconds: 300, maxTtlSeconds: 900 });
    expect(decodePart((await signer.sign({ assetId: asset })).token, 0)).toEqual({ alg: 'EdDSA', kid: 'new' });
    const { keys: published } = signer.jwks();
    expect(published.map((k) => k.kid)).toEqual(['new', 'old']);
    for (const k of published) {
      expect(Object.keys(k).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    }
    // callers cannot alter what is published
    published[0]!.x = 'tampered';
    expect(signer.jwks().keys[0]!.x).not.toBe('tampered');
  });
});

describe('parsePublicKeys', () => {
  it('reads what the signer publishes and refuses private keys', async () => {
    const keys = await makeKeys('k1');
    const jwks = createPlaybackSigner(keys, { audience: AUDIENCE, defaultTtlSeconds: 300, maxTtlSeconds: 900 }).jwks();
    expect(parsePublicKeys(JSON.stringify(jwks), 'PLAYBACK_PUBLIC_KEYS')).toEqual(jwks);
    const priv = await generateSigningKey('k1');
    expect(() => parsePublicKeys(JSON.stringify([priv]), 'PLAYBACK_PUBLIC_KEYS')).toThrow(
      /PLAYBACK_PUBLIC_KEYS: key #1 contains private key material/,
    );
    expect(() => parsePublicKeys('nope', 'PLAYBACK_PUBLIC_KEYS')).toThrow(/PLAYBACK_PUBLIC_KEYS are not valid JSON/);
    expect(() => parsePublicKeys('{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}')).toThrow(/private key material/);
    expect(() => parsePublicKeys('{"keys":[{"kty":"OKP","crv":"Ed25519","x":"short","kid":"a"}]}')).toThrow(/32-byte base64url/);
  });
});

describe('loadOrCreateSigningKeys', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kino-tokens-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a key file once (mode 0600, directories made) and reuses it', async () => {
    const file = join(dir, 'nested', 'deeper', 'signing-keys.json');
    const first = await loadOrCreateSigningKeys(file);
    expect(first).toHaveLength(1);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    const second = await loadOrCreateSigningKeys(file);
    expect(second[0].kid).toBe(first[0].kid);
    expect(await readFile(file, 'utf8')).toBe(text);

    // and the keys work end to end
    const signer = createPlaybackSigner(second, { audience: AUDIENCE, defaultTtlSeconds: 60, maxTtlSeconds: 60 });
    const verifier = createPlaybackVerifier({
      audience: AUDIENCE,
      jwks: createPlaybackSigner(first, { audience: AUDIENCE, defaultTtlSeconds: 60, maxTtlSeconds: 60 }).jwks(),
    });
    const asset = newAssetId();
    await expect(verifier.verify((await signer.sign({ assetId: asset })).token, asset)).resolves.toMatchObject({ assetId: asset });
  });

  it('settles on one key when several processes start together', async () => {
    const file = join(dir, 'race', 'signing-keys.json');
    const all = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSigningKeys(file)));
    expect(new Set(all.map((k) => k[0].kid)).size).toBe(1);
    expect(await readdir(join(dir, 'race'))).toEqual(['signing-keys.json']); // no temporary files left
  });

  it('names the file when its content is wrong', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '[{"kty":"RSA","kid":"x"}]');
    await expect(loadOrCreateSigningKeys(file)).rejects.toThrow(`${file}: signing key #1 (kid "x"): "kty" must be "OKP"`);
  });
});
