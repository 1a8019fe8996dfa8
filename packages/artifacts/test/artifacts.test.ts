import { describe, expect, it } from 'vitest';
import {
  ARTIFACT_KINDS,
  artifactKeyFor,
  assetIdOfSourceKey,
  artifactPrefix,
  cacheKeyFor,
  classify,
  hlsPath,
  HLS_FILES,
  initPath,
  isArtifactPath,
  isCacheKey,
  MASTER_PATH,
  OPENER_PATH,
  originKeyOf,
  parseArtifactKey,
  parsePlaybackUrl,
  pathOfCacheKey,
  playbackUrl,
  playlistOf,
  playlistPath,
  policyOf,
  POLICIES,
  segmentIndexOf,
  segmentPath,
  sourceKeyFor,
  sourcePrefix,
  startupPathsOf,
  STORYBOARD_SPRITE_PATH,
  THUMBNAIL_PATH,
} from '../src/index.ts';

const asset = '0b6a3c9e-4f2d-4c1a-9e8b-7d6c5b4a3f21';
const token = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
// Every path the pipeline publishes, built by the helpers the pipeline uses.
const PUBLISHED = [
  OPENER_PATH,
  THUMBNAIL_PATH,
  MASTER_PATH,
  playlistPath('720p'),
  initPath('720p'),
  segmentPath('720p', 0),
  segmentPath('a1', 999999),
  STORYBOARD_SPRITE_PATH,
  'images/t1500-w320-h0-preserve.webp',
];

describe('artifact paths', () => {
  it('are what the grammar accepts, and classify by kind, rendition and segment', () => {
    for (const p of PUBLISHED) expect([p, isArtifactPath(p)]).toEqual([p, true]);
    expect(PUBLISHED.map((p) => classify(p))).toEqual([
      { kind: 'opener', rendition: '' },
      { kind: 'thumbnail', rendition: '' },
      { kind: 'master', rendition: '' },
      { kind: 'playlist', rendition: '720p' },
      { kind: 'init', rendition: '720p' },
      { kind: 'segment', rendition: '720p', segment: 0 },
      { kind: 'segment', rendition: 'a1', segment: 999999 },
      { kind: 'storyboard', rendition: '' },
      { kind: 'image', rendition: '' },
    ]);
    expect(new Set(PUBLISHED.map((p) => classify(p).kind))).toEqual(new Set(ARTIFACT_KINDS));
    // The ladder's own file names, as ffmpeg writes them, land on the same paths.
    expect(hlsPath(`720p/${HLS_FILES.init}`)).toBe(initPath('720p'));
    expect(hlsPath(HLS_FILES.master)).toBe(MASTER_PATH);
    expect(playlistOf(segmentPath('720p', 3))).toBe(playlistPath('720p'));
    expect([segmentIndexOf('12.m4s'), segmentIndexOf('012.m4s'), segmentIndexOf('init.mp4')]).toEqual([12, undefined, undefined]);
    expect(startupPathsOf('360p')).toEqual([
      'hls/master.m3u8',
      'hls/360p/index.m3u8',
      'hls/360p/init.mp4',
      'hls/360p/0.m4s',
      'hls/360p/1.m4s',
    ]);
  });
});

describe('origin and cache keys', () => {
  it('keep sources and artifacts under their own prefixes, and the cache key is the origin key less its prefix', () => {
    expect(sourceKeyFor(asset)).toBe(`sources/${asset}/original`);
    expect(sourceKeyFor(asset).startsWith(sourcePrefix(asset))).toBe(true);
    expect(assetIdOfSourceKey(sourceKeyFor(asset))).toBe(asset);
    expect(assetIdOfSourceKey(artifactKeyFor(asset, OPENER_PATH))).toBeUndefined();
    expect(artifactKeyFor(asset, MASTER_PATH)).toBe(`videos/${asset}/hls/master.m3u8`);
    expect(artifactKeyFor(asset, MASTER_PATH).startsWith(artifactPrefix(asset, 'hls/'))).toBe(true);
    expect(parseArtifactKey(artifactKeyFor(asset, segmentPath('720p', 4)))).toEqual({ assetId: asset, path: 'hls/720p/4.m4s' });
    expect(parseArtifactKey(artifactKeyFor(asset, OPENER_PATH))).toEqual({ assetId: asset, path: OPENER_PATH });
    expect(parseArtifactKey(sourceKeyFor(asset))).toBeUndefined();
    expect(parseArtifactKey(artifactKeyFor(asset, 'hls/720p/../../x'))).toBeUndefined();
    const key = cacheKeyFor(asset, segmentPath('720p', 4));
    expect(originKeyOf(key)).toBe(artifactKeyFor(asset, segmentPath('720p', 4)));
    expect(pathOfCacheKey(key)).toBe(segmentPath('720p', 4));
    expect(isCacheKey(key)).toBe(true);
    expect(isCacheKey(`${asset}/../x`)).toBe(false);
    expect(isCacheKey(`x/${OPENER_PATH}`)).toBe(false);
  });
});

describe('playback URLs', () => {
  it('the parser takes back exactly what the builder makes, with or without a query string', () => {
    // Variants are asked for by their query only (see images.test.ts).
    for (const path of PUBLISHED.filter((p) => !p.startsWith('images/'))) {
      const url = playbackUrl('http://edge.example', token, asset, path);
      const target = url.slice('http://edge.example'.length);
      expect(parsePlaybackUrl(target)).toEqual({ ok: true, token, assetId: asset, artifactPath: path, key: cacheKeyFor(asset, path) });
      // The ladder's thumbnail with a query is a still made on demand.
      if (path === THUMBNAIL_PATH) continue;
      expect(parsePlaybackUrl(`${target}?x=1`)).toMatchObject({ ok: true, key: cacheKeyFor(asset, path) });
    }
  });

  it.each([
    [`/p/${token}/${asset}/hls/../opener.mp4`, 400, 'INVALID_PATH'],
    [`/p/${token}/${asset}/hls/%2e%2e/opener.mp4`, 400, 'INVALID_PATH'],
    [`/p/${token}/${asset}/hls%2f720p/0.m4s`, 400, 'INVALID_PATH'],
    [`/p/${token}/${asset}/hls\\720p\\0.m4s`, 400, 'INVALID_PATH'],
    [`/p/${token}/${asset}//etc/passwd`, 400, 'INVALID_PATH'],
    [`/p/${token}//${asset}/opener.mp4`, 400, 'INVALID_PATH'],
    [`/p/${token}/${asset}/./opener.mp4`, 400, 'INVALID_PATH'],
    [`/p/${token}/${asset}/hls/..`, 400, 'INVALID_PATH'],
    [`/p/${token}/${asset}/etc/passwd`, 404, 'UNKNOWN_ARTIFACT'],
    [`/p/${token}/${asset}/hls/720p/segment.ts`, 404, 'UNKNOWN_ARTIFACT'],
    [`/p/${token}/${asset}/hls/720p/01.m4s`, 404, 'UNKNOWN_ARTIFACT'],
    [`/p/${token}/${asset}/hls/720P/0.m4s`, 404, 'UNKNOWN_ARTIFACT'],
    [`/p/${token}/${asset}/hls/abcdefghijklmnopq/0.m4s`, 404, 'UNKNOWN_ARTIFACT'],
    [`/p/${token}/${asset}/hls/720p/1234567.m4s`, 404, 'UNKNOWN_ARTIFACT'],
    [`/p/${token}/${asset.toUpperCase()}/opener.mp4`, 404, 'UNKNOWN_ARTIFACT'],
    [`/p/${token}/${asset}/opener.mp4/`, 404, 'UNKNOWN_ARTIFACT'],
    [`/p/${token}/${asset}`, 404, 'UNKNOWN_ARTIFACT'],
    [`/p/${asset}/opener.mp4?token=${token}`, 401, 'TOKEN_MISSING'],
    [`/p/${'a'.repeat(2049)}/${asset}/opener.mp4`, 401, 'TOKEN_MALFORMED'],
    [`/p/${token}/${asset}/hls/${'a/'.repeat(2100)}0.m4s`, 414, 'URI_TOO_LONG'],
    [`/p/${token}/${asset}/images/t0-w0-h0-preserve.jpg`, 404, 'UNKNOWN_ARTIFACT'],
    [`/p/${token}/${asset}/thumbnail.gif`, 404, 'UNKNOWN_ARTIFACT'],
    [`/p/${token}/${asset}/animated.png`, 404, 'UNKNOWN_ARTIFACT'],
  ])('refuses %s', (url, status, code) => {
    expect(parsePlaybackUrl(url)).toMatchObject({ ok: false, status, code });
  });
});

describe('policies', () => {
  it('give content types, cache lifetimes at the origin and the edge, and RAM eligibility, by path', () => {
    expect(policyOf(MASTER_PATH)).toEqual({
      contentType: 'application/vnd.apple.mpegurl',
      originCacheControl: 'public, max-age=60',
      edgeCacheControl: 'public, max-age=2',
      ram: true,
    });
    expect(policyOf(OPENER_PATH)).toMatchObject({ contentType: 'video/mp4', ram: true });
    expect(policyOf(initPath('720p'))).toMatchObject({ contentType: 'video/mp4', edgeCacheControl: 'public, max-age=31536000, immutable' });
    expect(policyOf(segmentPath('720p', 1))).toMatchObject({ contentType: 'video/iso.segment', ram: true });
    expect(policyOf(segmentPath('720p', 2))).toMatchObject({ contentType: 'video/iso.segment', ram: false });
    expect(policyOf(segmentPath('720p', 10)).ram).toBe(false);
    expect(policyOf(THUMBNAIL_PATH)).toMatchObject({ contentType: 'image/jpeg', ram: false });
    expect(Object.keys(POLICIES).sort()).toEqual([...ARTIFACT_KINDS].sort());
  });
});
