import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordArtifacts, type NewArtifact } from '@kino/db';
import { createPlaybackVerifier } from '@kino/tokens';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';
import { randomUUID } from 'node:crypto';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(() => h?.close());

const json = (res: Response): Promise<any> => res.json();
const internal = (body: unknown, token = h.config.internalToken) =>
  fetch(`${h.api.url}/internal/edges/heartbeat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const playback = (id: string, query = '', key = h.keyA) =>
  fetch(`${h.api.url}/v1/assets/${id}/playback${query}`, { headers: { authorization: `Bearer ${key}` } });

/** An asset in a given state with the artifact rows the worker would have recorded. */
async function assetIn(state: 'not_playable' | 'opener_ready' | 'hls_ready', key = h.keyA): Promise<string> {
  const accountId = (await h.db.sql`select account_id from api_keys where prefix = ${key.slice(0, 13)}`)[0]!.account_id as string;
  const id = randomUUID();
  await h.db.sql`
    insert into assets (id, account_id, source_state, playable_state, source_key)
    values (${id}, ${accountId}, 'uploaded', ${state}, ${`sources/${id}/original`})`;
  const row = (path: string, kind: NewArtifact['kind'], rendition: string | null = null, bitrate: number | null = null): NewArtifact => ({
    path,
    kind,
    key: `videos/${id}/${path}`,
    content_type: 'x',
    bytes: 1,
    rendition,
    width: null,
    height: bitrate ? 100 : null,
    bitrate,
  });
  const rows = [row('opener.mp4', 'opener'), row('thumbnail.jpg', 'thumbnail')];
  if (state === 'hls_ready') {
    rows.push(row('hls/master.m3u8', 'master'));
    for (const [name, bitrate] of [
      ['720p', 3_000_000],
      ['480p', 1_500_000],
      ['240p', 500_000],
    ] as const) {
      rows.push(row(`hls/${name}/index.m3u8`, 'playlist', name, bitrate), row(`hls/${name}/init.mp4`, 'init', name, bitrate));
      for (let n = 0; n < 3; n++) rows.push(row(`hls/${name}/${n}.m4s`, 'segment', name, bitrate));
    }
  }
  if (state !== 'not_playable') await recordArtifacts(h.db.sql, id, rows);
  return id;
}

describe('playback bootstrap', () => {
  it('publishes public keys only', async () => {
    const jwks = await json(await fetch(`${h.api.url}/.well-known/jwks.json`));
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: expect.any(String) });
      expect(k.d).toBeUndefined();
    }
  });

  it('registers edges only with the internal token', async () => {
    const edge = { id: 'edge-eu', region: 'eu', public_url: 'http://eu.edge.test', internal_url: 'http://10.0.0.1:4100' };
    expect((await internal(edge, 'wrong-token-wrong-token')).status).toBe(401);
    expect((await internal({ id: 'x' })).status).toBe(400);
    expect((await internal(edge)).status).toBe(204);
    expect((await internal({ ...edge, id: 'edge-us', region: 'us', public_url: 'http://us.edge.test' })).status).toBe(204);
  });

  it('is a 404 before the opener is ready, and for another account', async () => {
    const id = await assetIn('not_playable');
    const res = await playback(id);
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('ASSET_NOT_PLAYABLE');
    const other = await playback(await assetIn('hls_ready'), '', h.keyB);
    expect((await json(other)).error.code).toBe('NOT_FOUND');
  });

  it('signs opener and thumbnail URLs once the opener is ready', async () => {
    const id = await assetIn('opener_ready');
    const block = await json(await playback(id));
    expect(block).toMatchObject({ asset_id: id, playable_state: 'opener_ready', startup_rendition: null, urls: { master: null } });
    expect(block.urls.opener).toMatch(new RegExp(`/p/[^/]+/${id}/opener\\.mp4$`));
    expect(block.prefetch).toEqual([block.urls.opener]);
  });

  it('signs the master and prefetch hints on an edge of the hinted region', async () => {
    const id = await assetIn('hls_ready');
    const block = await json(await playback(id, '?region=us&ttl_seconds=120'));
    expect(block.edge).toEqual({ id: 'edge-us', region: 'us', url: 'http://us.edge.test' });
    expect(block.startup_rendition).toBe('480p');
    const token = /\/p\/([^/]+)\//.exec(block.urls.master)![1]!;
    expect(block.urls.master).toBe(`http://us.edge.test/p/${token}/${id}/hls/master.m3u8`);
    expect(block.prefetch.map((u: string) => u.split(`${id}/`)[1])).toEqual([
      'opener.mp4',
      'hls/master.m3u8',
      'hls/480p/index.m3u8',
      'hls/480p/init.mp4',
      'hls/480p/0.m4s',
      'hls/480p/1.m4s',
    ]);
    const expires = Date.parse(block.expires_at);
    expect(expires - Date.now()).toBeGreaterThan(100_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(120_000);

    // The token verifies against the published keys, for this asset only.
    const verifier = createPlaybackVerifier({ audience: h.config.playback.audience, jwksUrl: `${h.api.url}/.well-known/jwks.json` });
    await verifier.start();
    expect((await verifier.verify(token, id)).assetId).toBe(id);
    await expect(verifier.verify(token, randomUUID())).rejects.toMatchObject({ reason: 'wrong_asset', status: 403 });
    verifier.stop();

    const header = await json(
      await fetch(`${h.api.url}/v1/assets/${id}/playback`, {
        headers: { authorization: `Bearer ${h.keyA}`, 'x-kino-region': 'eu' },
      }),
    );
    expect(header.edge.id).toBe('edge-eu');
  });

  it('answers 503 when no edge is healthy and no fallback is configured', async () => {
    await h.db.sql`update edges set last_seen_at = now() - interval '1 hour'`;
    const res = await playback(await assetIn('hls_ready'));
    expect(res.status).toBe(503);
    expect((await json(res)).error.code).toBe('NO_EDGE_AVAILABLE');
  });
});
