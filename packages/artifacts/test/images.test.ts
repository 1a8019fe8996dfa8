import { describe, expect, it } from 'vitest';
import {
  cacheKeyFor,
  classify,
  imagePath,
  imageRequest,
  isArtifactPath,
  parseImagePath,
  parsePlaybackUrl,
  policyOf,
  STORYBOARD_VTT_PATH,
} from '../src/index.ts';

const asset = '0b6a3c9e-4f2d-4c1a-9e8b-7d6c5b4a3f21';
const token = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const url = (file: string) => `/p/${token}/${asset}/${file}`;

describe('images on demand', () => {
  it('give every spelling of one variant one canonical path, which parses back to it', () => {
    const spellings = [
      'thumbnail.webp?time=1.5&width=320',
      'thumbnail.webp?width=320&time=1.500',
      'thumbnail.webp?width=319&time=1.5&fit=crop',
      'thumbnail.webp?time=1.5&width=320&fit=pad',
    ];
    const keys = spellings.map((s) => parsePlaybackUrl(url(s)));
    for (const k of keys) expect(k).toMatchObject({ ok: true, artifactPath: 'images/t1500-w320-h0-preserve.webp' });
    expect(parseImagePath('images/t1500-w320-h0-preserve.webp')).toEqual({
      type: 'still',
      format: 'webp',
      timeMs: 1500,
      width: 320,
      height: 0,
      fit: 'preserve',
    });
    expect(parsePlaybackUrl(url('thumbnail.png'))).toMatchObject({ ok: true, key: cacheKeyFor(asset, 'images/t0-w0-h0-preserve.png') });
    expect(parsePlaybackUrl(url('thumbnail.jpg?time=2&width=640&height=360&fit=crop'))).toMatchObject({
      ok: true,
      artifactPath: 'images/t2000-w640-h360-crop.jpg',
    });
    // The ladder's own thumbnail stays what it was, with or without an empty query.
    expect(parsePlaybackUrl(url('thumbnail.jpg'))).toMatchObject({ ok: true, artifactPath: 'thumbnail.jpg' });
    expect(parsePlaybackUrl(url('thumbnail.jpg?'))).toMatchObject({ ok: true, artifactPath: 'thumbnail.jpg' });
    // A query naming no image parameter (a cache-buster) leaves it the ladder's, under its own key.
    expect(parsePlaybackUrl(url('thumbnail.jpg?v=2'))).toMatchObject({
      ok: true,
      artifactPath: 'thumbnail.jpg',
      key: cacheKeyFor(asset, 'thumbnail.jpg'),
    });

    expect(parsePlaybackUrl(url('animated.gif'))).toMatchObject({ ok: true, artifactPath: 'images/a0-5000-f15-w320.gif' });
    expect(parsePlaybackUrl(url('animated.webp?fps=15&start=0&end=5&width=320'))).toMatchObject({
      ok: true,
      artifactPath: 'images/a0-5000-f15-w320.webp',
    });
    expect(parsePlaybackUrl(url('animated.gif?start=2.25&end=12.25&fps=30&width=1920'))).toMatchObject({
      artifactPath: 'images/a2250-12250-f30-w1920.gif',
    });
    for (const p of ['images/t0-w0-h0-preserve.png', 'images/a0-5000-f15-w320.gif']) {
      expect(isArtifactPath(p)).toBe(true);
      expect(classify(p)).toEqual({ kind: 'image', rendition: '' });
      expect(imagePath(parseImagePath(p)!)).toBe(p);
    }
  });

  it('serve each format with its content type, immutably', () => {
    expect(policyOf('images/t0-w0-h0-preserve.webp')).toMatchObject({
      contentType: 'image/webp',
      edgeCacheControl: expect.stringContaining('immutable'),
    });
    expect(policyOf('images/a0-5000-f15-w320.gif').contentType).toBe('image/gif');
    expect(policyOf('images/t0-w0-h0-preserve.png').contentType).toBe('image/png');
    expect(policyOf('images/t0-w0-h0-preserve.jpg').contentType).toBe('image/jpeg');
    expect(policyOf(STORYBOARD_VTT_PATH).contentType).toBe('text/vtt');
    expect(policyOf('storyboard.jpg').contentType).toBe('image/jpeg');
  });

  it.each([
    'thumbnail.webp?time=1&x=1',
    'thumbnail.webp?time=1&time=2',
    'thumbnail.webp?time',
    'thumbnail.webp?time=-1',
    'thumbnail.webp?time=1e3',
    'thumbnail.webp?time=1.2345',
    'thumbnail.webp?time=%31',
    'thumbnail.webp?width=1921',
    'thumbnail.webp?width=0',
    'thumbnail.webp?width=020',
    'thumbnail.webp?width=320&height=200&fit=stretch',
    'thumbnail.jpg?width=320&v=2',
    'thumbnail.png?time=999999',
    'animated.gif?start=0&end=10.001',
    'animated.gif?start=5&end=5',
    'animated.gif?start=6&end=5',
    'animated.gif?fps=31',
    'animated.gif?fps=0',
    'animated.webp?width=4000',
    'animated.webp?height=200',
    'animated.webp?time=1',
  ])('refuses %s with 400 before anything else', (file) => {
    expect(parsePlaybackUrl(url(file))).toMatchObject({ ok: false, status: 400, code: 'INVALID_IMAGE_PARAMS' });
  });

  it('take back no path that only looks canonical', () => {
    for (const p of [
      'images/t0-w321-h0-preserve.jpg',
      'images/t0-w2000-h0-preserve.jpg',
      'images/t0-w320-h0-crop.jpg',
      'images/t01-w0-h0-preserve.jpg',
      'images/a0-20000-f15-w320.gif',
      'images/a0-5000-f31-w320.gif',
      'images/a0-5000-f15-w0.gif',
      'images/t0-w0-h0-preserve.gif',
    ]) {
      expect([p, parseImagePath(p)]).toEqual([p, undefined]);
    }
    expect(imageRequest('thumbnail.webp', 'width=1919')).toEqual({ ok: true, path: 'images/t0-w1920-h0-preserve.webp' });
  });
});
