import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classify, initPath, MASTER_PATH, OPENER_PATH, playbackUrl, playlistPath, segmentPath, THUMBNAIL_PATH } from '@kino/artifacts';
import type { ArtifactRow } from '@kino/db';
import { playbackBlock, renditionsOf, startupPaths, startupRendition } from '../src/index.ts';

const assetId = randomUUID();

/** Artifact rows as the pipeline records them: per rendition a playlist, an init and `segments`. */
function rows(
  renditions: Array<{ name: string; bitrate: number; height: number | null; segments?: number }>,
  extra: string[] = [],
): ArtifactRow[] {
  const row = (path: string, r?: { name: string; bitrate: number; height: number | null }): ArtifactRow => ({
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
    quality: null,
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
/** The audio rendition as the pipeline records it: no picture, so no height. */
const audio = { name: 'audio', bitrate: 128_000, height: null };

/** What asset.playlists_ready records: the master and every rendition's playlist, no init or segment yet. */
const playlistsOnly = (renditions: Array<{ name: string; bitrate: number; height: number | null }>, extra: string[] = []) =>
  rows(renditions, extra).filter((a) => a.kind === 'playlist' || extra.includes(a.path));

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

  it('never chooses the audio rendition (no height), though its bit rate is the lowest', () => {
    expect(renditionsOf(rows([...ladder, audio])).map((r) => r.name)).toEqual(['360p', '720p', '1080p']);
    expect(startupRendition(rows([...ladder, audio]))?.name).toBe('720p');
    // Every video rung above the limit: the fallback is the smallest video rung, not the audio.
    const high = [
      { name: '1080p', bitrate: 6_000_000, height: 1080 },
      { name: '4k', bitrate: 20_000_000, height: 2160 },
    ];
    expect(startupRendition(rows([audio, ...high]))?.name).toBe('1080p');
    // An audio-only asset has no startup rendition: the master alone chooses what plays.
    expect(startupRendition(rows([audio], [MASTER_PATH]))).toBeUndefined();
    expect(startupPaths(rows([audio], [MASTER_PATH]))).toEqual([]);
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

  it('before the master is recorded: the opener and thumbnail only, nothing of HLS', () => {
    // Rendition rows without the master give no HLS: the master is what makes it playable.
    const block = playbackBlock({
      assetId,
      playableState: 'opener_ready',
      artifacts: rows(ladder, [OPENER_PATH, THUMBNAIL_PATH]),
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
      urls: { master: null, opener: url(OPENER_PATH), thumbnail: url(THUMBNAIL_PATH), storyboard: null },
      prefetch: [url(OPENER_PATH)],
      beacon: { url: `${edge.url}/beacon`, token },
    });
  });

  it('once the playlists are published, before hls_ready: the master, the startup rendition and only recorded paths', () => {
    // The opener and the playlists (audio's too), and just in time the startup rendition's
    // init and first segment; its second segment is not made yet.
    const artifacts = [
      ...playlistsOnly([...ladder, audio], [OPENER_PATH, MASTER_PATH]),
      ...rows([{ ...ladder[2]!, segments: 1 }]).filter((a) => a.kind !== 'playlist'),
    ];
    const block = playbackBlock({ assetId, playableState: 'opener_ready', artifacts, edge, token, expiresAt });
    expect(block.playable_state).toBe('opener_ready');
    expect(block.startup_rendition).toBe('720p');
    expect(block.urls).toEqual({ master: url(MASTER_PATH), opener: url(OPENER_PATH), thumbnail: null, storyboard: null });
    // The audio rendition plays beside the startup rendition: its playlist follows, and
    // nothing of it that is not recorded.
    expect(block.prefetch).toEqual(
      [OPENER_PATH, MASTER_PATH, playlistPath('720p'), initPath('720p'), segmentPath('720p', 0), playlistPath('audio')].map(url),
    );

    // Playlists alone: the master, the startup and audio playlists, nothing that is not recorded.
    const published = playbackBlock({
      assetId,
      playableState: 'opener_ready',
      artifacts: playlistsOnly([audio, ...ladder], [OPENER_PATH, MASTER_PATH]),
      edge,
      token,
      expiresAt,
    });
    expect(published.startup_rendition).toBe('720p');
    expect(published.urls.master).toBe(url(MASTER_PATH));
    expect(published.prefetch).toEqual([OPENER_PATH, MASTER_PATH, playlistPath('720p'), playlistPath('audio')].map(url));
  });

  it('once hls_ready: the master and the startup files after the opener, all on the chosen edge', () => {
    const block = playbackBlock({
      assetId,
      playableState: 'hls_ready',
      artifacts: rows([...ladder, audio], [OPENER_PATH, MASTER_PATH]),
      edge,
      token,
      expiresAt,
    });
    expect(block.startup_rendition).toBe('720p');
    expect(block.urls).toEqual({ master: url(MASTER_PATH), opener: url(OPENER_PATH), thumbnail: null, storyboard: null });
    expect(block.prefetch).toEqual(
      [
        OPENER_PATH,
        MASTER_PATH,
        ...[playlistPath('720p'), initPath('720p'), segmentPath('720p', 0), segmentPath('720p', 1)],
        ...[playlistPath('audio'), initPath('audio'), segmentPath('audio', 0), segmentPath('audio', 1)],
      ].map(url),
    );
  });
});
