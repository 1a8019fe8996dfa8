import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classify, initPath, MASTER_PATH, OPENER_PATH, playbackUrl, playlistPath, segmentPath, THUMBNAIL_PATH } from '@kino/artifacts';
import type { ArtifactRow } from '@kino/db';
import { playbackBlock, renditionsOf, startupPaths, startupRendition } from '../src/index.ts';

const assetId = randomUUID();

/** Artifact rows as the pipeline records them: per rendition a playlist, an init and `segments`. */
function rows(
  renditions: Array<{ name: string; bitrate: number; height: number; segments?: number }>,
  extra: string[] = [],
): ArtifactRow[] {
  const row = (path: string, r?: { name: string; bitrate: number; height: number }): ArtifactRow => ({
    asset_id: assetId,
    path,
    kind: classify(path).kind,
    key: path,
    content_type: 'x',
    bytes: 1,
    rendition: r?.name ?? null,
    width: null,
    height: r?.height ?? null,
    bitrate: r?.bitrate ?? null,
    created_at: new Date(0),
  });
  return [
    ...extra.map((p) => row(p)),
    ...renditions.flatMap((r) => [
      row(playlistPath(r.name), r),
      row(initPath(r.name), r),
      ...Array.from({ length: r.segments ?? 3 }, (_, i) => row(segmentPath(r.name, i), r)),
    ]),
  ];
}

const ladder = [
  { name: '1080p', bitrate: 6_000_000, height: 1080 },
  { name: '360p', bitrate: 900_000, height: 360 },
  { name: '720p', bitrate: 1_800_000, height: 720 },
];

describe('startup rendition', () => {
  it('lists renditions by bit rate and starts on the largest at or under 1.8 Mbit/s', () => {
    expect(renditionsOf(rows(ladder)).map((r) => r.name)).toEqual(['360p', '720p', '1080p']);
    expect(startupRendition(rows(ladder))?.name).toBe('720p');
  });

  it('falls back to the smallest when every rung is above the limit, and to none without a ladder', () => {
    expect(
      startupRendition(
        rows([
          { name: '1080p', bitrate: 6_000_000, height: 1080 },
          { name: '4k', bitrate: 20_000_000, height: 2160 },
        ]),
      )?.name,
    ).toBe('1080p');
    expect(startupRendition(rows([], [OPENER_PATH]))).toBeUndefined();
    expect(startupPaths(rows([], [OPENER_PATH]))).toEqual([]);
  });

  it("prefetches the master, the startup rendition's playlist, init and first two segments, only those that exist", () => {
    expect(startupPaths(rows(ladder, [MASTER_PATH]))).toEqual([
      MASTER_PATH,
      playlistPath('720p'),
      initPath('720p'),
      segmentPath('720p', 0),
      segmentPath('720p', 1),
    ]);
    expect(startupPaths(rows([{ name: '360p', bitrate: 900_000, height: 360, segments: 1 }]))).toEqual([
      playlistPath('360p'),
      initPath('360p'),
      segmentPath('360p', 0),
    ]);
  });
});

describe('playbackBlock', () => {
  const edge = { id: 'edge-1', region: 'eu', url: 'https://edge.example' };
  const token = 'tok.en.sig';
  const expiresAt = new Date('2030-01-01T00:00:00Z');
  const url = (path: string) => playbackUrl(edge.url, token, assetId, path);

  it('before the ladder: the opener and thumbnail only, nothing of HLS', () => {
    const block = playbackBlock({
      assetId,
      playableState: 'opener_ready',
      artifacts: rows(ladder, [OPENER_PATH, THUMBNAIL_PATH, MASTER_PATH]),
      edge,
      token,
      expiresAt,
    });
    expect(block).toEqual({
      asset_id: assetId,
      playable_state: 'opener_ready',
      expires_at: '2030-01-01T00:00:00.000Z',
      edge,
      startup_rendition: null,
      urls: { master: null, opener: url(OPENER_PATH), thumbnail: url(THUMBNAIL_PATH) },
      prefetch: [url(OPENER_PATH)],
      beacon: { url: `${edge.url}/beacon`, token },
    });
  });

  it('once hls_ready: the master and the startup files after the opener, all on the chosen edge', () => {
    const block = playbackBlock({
      assetId,
      playableState: 'hls_ready',
      artifacts: rows(ladder, [OPENER_PATH, MASTER_PATH]),
      edge,
      token,
      expiresAt,
    });
    expect(block.startup_rendition).toBe('720p');
    expect(block.urls).toEqual({ master: url(MASTER_PATH), opener: url(OPENER_PATH), thumbnail: null });
    expect(block.prefetch).toEqual([OPENER_PATH, ...startupPaths(rows(ladder, [MASTER_PATH]))].map(url));
  });
});
