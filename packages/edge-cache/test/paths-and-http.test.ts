import { describe, expect, it } from 'vitest';
import { artifactType, CachedObject, isNotModified, parsePlaybackUrl, resolveRange } from '../src/index.ts';

const asset = '0b6a3c9e-4f2d-4c1a-9e8b-7d6c5b4a3f21';
const token = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('playback URLs', () => {
  it('accepts every artifact path, with or without a query string', () => {
    for (const path of ['opener.mp4', 'thumbnail.jpg', 'hls/master.m3u8', 'hls/720p/index.m3u8', 'hls/720p/init.mp4',
      'hls/720p/0.m4s', 'hls/a1/999999.m4s']) {
      expect(parsePlaybackUrl(`/p/${token}/${asset}/${path}`)).toEqual({ ok: true, token, assetId: asset, artifactPath: path, key: `${asset}/${path}` });
      expect(parsePlaybackUrl(`/p/${token}/${asset}/${path}?x=1`)).toMatchObject({ ok: true, key: `${asset}/${path}` });
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
  ])('refuses %s', (url, status, code) => {
    expect(parsePlaybackUrl(url)).toMatchObject({ ok: false, status, code });
  });
});

describe('artifact types', () => {
  it('gives content types, cache lifetimes and RAM eligibility by path', () => {
    expect(artifactType('hls/master.m3u8')).toEqual({ contentType: 'application/vnd.apple.mpegurl', cacheControl: 'public, max-age=2', ram: true });
    expect(artifactType('opener.mp4')).toMatchObject({ contentType: 'video/mp4', ram: true });
    expect(artifactType('hls/720p/init.mp4')).toMatchObject({ contentType: 'video/mp4', cacheControl: 'public, max-age=31536000, immutable' });
    expect(artifactType('hls/720p/1.m4s')).toMatchObject({ contentType: 'video/iso.segment', ram: true });
    expect(artifactType('hls/720p/2.m4s')).toMatchObject({ contentType: 'video/iso.segment', ram: false });
    expect(artifactType('hls/720p/10.m4s').ram).toBe(false);
    expect(artifactType('thumbnail.jpg')).toMatchObject({ contentType: 'image/jpeg', ram: false });
  });
});

describe('HTTP semantics', () => {
  const obj = new CachedObject(`${asset}/opener.mp4`, '/x', 1000, 1_700_000_000);

  it('derives validators the way nginx does', () => {
    expect(obj.etag).toBe(`"${(1_700_000_000).toString(16)}-3e8"`);
    expect(obj.lastModified).toBe('Tue, 14 Nov 2023 22:13:20 GMT');
  });

  it('resolves byte ranges', () => {
    expect(resolveRange(undefined, undefined, obj)).toBeUndefined();
    expect(resolveRange('bytes=0-99', undefined, obj)).toEqual({ start: 0, end: 99 });
    expect(resolveRange('bytes=900-', undefined, obj)).toEqual({ start: 900, end: 999 });
    expect(resolveRange('bytes=900-5000', undefined, obj)).toEqual({ start: 900, end: 999 });
    expect(resolveRange('bytes=-100', undefined, obj)).toEqual({ start: 900, end: 999 });
    expect(resolveRange('bytes=-5000', undefined, obj)).toEqual({ start: 0, end: 999 });
    expect(resolveRange('bytes=1000-', undefined, obj)).toBe('unsatisfiable');
    expect(resolveRange('bytes=-0', undefined, obj)).toBe('unsatisfiable');
    // Ignored, whole body: malformed, reversed, several ranges, another version in If-Range.
    expect(resolveRange('bytes=5-1', undefined, obj)).toBeUndefined();
    expect(resolveRange('items=0-1', undefined, obj)).toBeUndefined();
    expect(resolveRange('bytes=0-1,5-6', undefined, obj)).toBeUndefined();
    expect(resolveRange('bytes=0-1', '"other"', obj)).toBeUndefined();
    expect(resolveRange('bytes=0-1', obj.etag, obj)).toEqual({ start: 0, end: 1 });
  });

  it('answers conditional requests', () => {
    expect(isNotModified({ 'if-none-match': obj.etag }, obj)).toBe(true);
    expect(isNotModified({ 'if-none-match': `"a", W/${obj.etag}` }, obj)).toBe(true);
    expect(isNotModified({ 'if-none-match': '*' }, obj)).toBe(true);
    expect(isNotModified({ 'if-none-match': '"a"', 'if-modified-since': obj.lastModified }, obj)).toBe(false);
    expect(isNotModified({ 'if-modified-since': obj.lastModified }, obj)).toBe(true);
    expect(isNotModified({ 'if-modified-since': 'Mon, 13 Nov 2023 00:00:00 GMT' }, obj)).toBe(false);
    expect(isNotModified({}, obj)).toBe(false);
  });
});
