import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaybackSigner, generateSigningKey, parseSigningKeys } from '@kino/tokens';
import {
  AUDIENCE,
  errorCode,
  get,
  internal,
  rawRequest,
  sample,
  startEdgeHarness,
  uploadAsset,
  type EdgeHarness,
} from '@kino/testkit-stack';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const part = (token: string, i: number) => JSON.parse(Buffer.from(token.split('.')[i]!, 'base64url').toString()) as Record<string, unknown>;

describe('edge refusals', () => {
  let h: EdgeHarness;
  let assetA: string;
  let assetB: string;
  let token: string;
  beforeAll(async () => {
    h = await startEdgeHarness();
    assetA = await uploadAsset(h, { 'opener.mp4': 1000, 'hls/master.m3u8': 100 });
    assetB = await uploadAsset(h, { 'opener.mp4': 1000 });
    token = (await h.signer.sign({ assetId: assetA })).token;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('plays with a good token (so every refusal below is the attack, not the setup)', async () => {
    const res = await get(`${h.edge.url}/p/${token}/${assetA}/opener.mp4`);
    expect(res.status).toBe(200);
  });

  it('refuses forged, stale and misused tokens, counting each reason', async () => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const kid = part(token, 0)['kid'];
    const claims = part(token, 1);
    const now = Date.now();
    const stranger = createPlaybackSigner(await parseSigningKeys(JSON.stringify([await generateSigningKey('not-ours')])), {
      audience: AUDIENCE,
      defaultTtlSeconds: 600,
      maxTtlSeconds: 3600,
    });
    const publicX = h.signer.jwks().keys[0]!.x;
    const hsInput = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${payload}`;
    const cases: Array<[string, string, string, number, string]> = [
      ['expired', (await h.signer.sign({ assetId: assetA, ttlSeconds: 600, now: now - 7_200_000 })).token, assetA, 401, 'TOKEN_EXPIRED'],
      ['not yet valid', (await h.signer.sign({ assetId: assetA, now: now + 3_600_000 })).token, assetA, 401, 'TOKEN_NOT_YET_VALID'],
      [
        'tampered payload',
        `${header}.${b64({ ...claims, exp: Number(claims['exp']) + 86_400 })}.${signature}`,
        assetA,
        401,
        'TOKEN_BAD_SIGNATURE',
      ],
      ['an unknown key', (await stranger.sign({ assetId: assetA })).token, assetA, 401, 'TOKEN_UNKNOWN_KEY'],
      ['alg none', `${b64({ alg: 'none', kid })}.${payload}.`, assetA, 401, 'TOKEN_BAD_ALGORITHM'],
      [
        'HS256 keyed with the public key',
        `${hsInput}.${createHmac('sha256', Buffer.from(publicX, 'base64url')).update(hsInput).digest('base64url')}`,
        assetA,
        401,
        'TOKEN_BAD_ALGORITHM',
      ],
      ['a token for A used on B', token, assetB, 403, 'TOKEN_WRONG_ASSET'],
      ['a truncated token', token.slice(0, -20), assetA, 401, 'TOKEN_MALFORMED'],
    ];
    for (const [what, t, asset, status, code] of cases) {
      const res = await get(`${h.edge.url}/p/${t}/${asset}/opener.mp4`);
      expect(res.status, what).toBe(status);
      const body = JSON.parse(res.body.toString());
      expect(body.error.code, what).toBe(code);
      expect(body.error.request_id, what).toMatch(/^req_/);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
    const query = await get(`${h.edge.url}/p/${assetA}/opener.mp4?token=${token}`);
    expect(query.status).toBe(401);
    expect(JSON.parse(query.body.toString()).error.code).toBe('TOKEN_MISSING');

    const { text } = await internal(h, '/metrics');
    const failures = (reason: string) => sample(text, `kino_edge_token_failures_total{reason="${reason}"}`);
    expect({
      expired: failures('expired'),
      not_yet_valid: failures('not_yet_valid'),
      bad_signature: failures('bad_signature'),
      unknown_key: failures('unknown_key'),
      bad_algorithm: failures('bad_algorithm'),
      wrong_asset: failures('wrong_asset'),
      malformed: failures('malformed'),
      missing: failures('missing'),
    }).toEqual({
      expired: 1,
      not_yet_valid: 1,
      bad_signature: 1,
      unknown_key: 1,
      bad_algorithm: 2,
      wrong_asset: 1,
      malformed: 1,
      missing: 1,
    });
    expect(sample(text, 'kino_edge_requests_total{cache="NONE",status="401"}')).toBe(8);
    expect(sample(text, 'kino_edge_requests_total{cache="NONE",status="403"}')).toBe(1);
    // Not one of them reached the origin.
    expect(h.originGets.filter((k) => k.endsWith(`${assetB}/opener.mp4`))).toEqual([]);
  });

  it('refuses path tricks sent byte for byte, before the token or the origin is involved', async () => {
    const base = `/p/${token}/${assetA}`;
    const gets = h.originGets.length;
    const cases: Array<[string, number, string | undefined]> = [
      [`${base}/hls/../opener.mp4`, 400, 'INVALID_PATH'],
      [`${base}/hls/%2e%2e/opener.mp4`, 400, 'INVALID_PATH'],
      [`${base}/%2E%2E/%2E%2E/etc/passwd`, 400, 'INVALID_PATH'],
      [`${base}/hls%2fmaster.m3u8`, 400, 'INVALID_PATH'],
      [`${base}/hls\\master.m3u8`, 400, 'INVALID_PATH'],
      [`${base}/..\\..\\opener.mp4`, 400, 'INVALID_PATH'],
      [`${base}//etc/passwd`, 400, 'INVALID_PATH'],
      [`/p/${token}//etc/passwd`, 400, 'INVALID_PATH'],
      [`/p/../internal/purge`, 400, 'INVALID_PATH'],
      [`/p/${token}/etc/passwd`, 404, 'UNKNOWN_ARTIFACT'],
      [`${base}/secret.txt`, 404, 'UNKNOWN_ARTIFACT'],
      [`${base}/hls/master.m3u8.bak`, 404, 'UNKNOWN_ARTIFACT'],
      [`${base}/OPENER.MP4`, 404, 'UNKNOWN_ARTIFACT'],
      [`/p/${token}/${randomUUID().toUpperCase()}/opener.mp4`, 404, 'UNKNOWN_ARTIFACT'],
      [`${base}/hls/${'a/'.repeat(2500)}0.m4s`, 414, 'URI_TOO_LONG'],
      // Not under /p/ at all, so fastify's router answers; nothing there serves files.
      [`http://evil.example${base}/opener.mp4`, 404, 'ROUTE_NOT_FOUND'],
      [`/%70/${token}/${assetA}/opener.mp4`, 404, 'ROUTE_NOT_FOUND'],
      [`//p/${token}/${assetA}/opener.mp4`, 404, 'ROUTE_NOT_FOUND'],
    ];
    for (const [target, status, code] of cases) {
      const res = await rawRequest(h.edge.url, target);
      expect(res.status, target.slice(0, 120)).toBe(status);
      expect(errorCode(res.text), target.slice(0, 120)).toBe(code);
    }
    // Past Node's header limit the parser itself refuses, before any of our code runs.
    expect((await rawRequest(h.edge.url, `${base}/hls/${'a'.repeat(70_000)}.m4s`)).status).toBe(431);
    expect(h.originGets.length).toBe(gets);
  });

  it('refuses methods other than GET, HEAD and OPTIONS', async () => {
    const res = await rawRequest(h.edge.url, `/p/${token}/${assetA}/opener.mp4`, 'DELETE');
    expect(res.status).toBe(405);
    expect(errorCode(res.text)).toBe('METHOD_NOT_ALLOWED');
  });
});
