import { describe, expect, it } from 'vitest';
import { FillBudget, fillShare, listedPaths, NegativeCache, PublishedPaths } from '../src/index.ts';

const A = '0b5e1c1e-7a4c-4d3e-9f00-000000000001';
const B = '0b5e1c1e-7a4c-4d3e-9f00-000000000002';

// As the pipeline writes them (packages/media): variants by relative URI, an audio group,
// CMAF media playlists with an EXT-X-MAP and numbered segments.
const MASTER = [
  '#EXTM3U',
  '#EXT-X-VERSION:7',
  '#EXT-X-INDEPENDENT-SEGMENTS',
  '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="main",DEFAULT=YES,URI="audio/index.m3u8"',
  '#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="aud"',
  '360p/index.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=426x240,CODECS="avc1.640015,mp4a.40.2",AUDIO="aud"',
  '240p/index.m3u8',
  '',
].join('\n');
const media = (n: number, extra: string[] = []) =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    '#EXT-X-TARGETDURATION:4',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-MAP:URI="init.mp4"',
    ...Array.from({ length: n }, (_, i) => `#EXTINF:4.000,\n${i}.m4s`),
    ...extra,
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');

describe('published playlists', () => {
  it('reads every URI of a playlist, resolved against it; what is not an artifact path is skipped', () => {
    expect(listedPaths('hls/master.m3u8', MASTER)).toEqual(['hls/audio/index.m3u8', 'hls/360p/index.m3u8', 'hls/240p/index.m3u8']);
    expect(listedPaths('hls/360p/index.m3u8', media(2))).toEqual(['hls/360p/init.mp4', 'hls/360p/0.m4s', 'hls/360p/1.m4s']);
    expect(
      listedPaths(
        'hls/360p/index.m3u8',
        [
          '#EXTM3U',
          '../240p/3.m4s',
          './4.m4s?x=1#f',
          'https://cdn.example/hls/360p/5.m4s',
          '/hls/360p/6.m4s',
          '../../../etc/passwd',
          '../../opener.mp4',
          'secret.txt',
          '#EXT-X-KEY:METHOD=AES-128,URI="https://keys.example/k"',
        ].join('\n'),
      ),
    ).toEqual(['hls/240p/3.m4s', 'hls/360p/4.m4s', 'opener.mp4']);
  });

  it('rules on paths once the master and the media playlists are known, and asks for them before', () => {
    const p = new PublishedPaths();
    expect(p.judge(A, 'opener.mp4')).toBe('open');
    expect(p.judge(A, 'thumbnail.jpg')).toBe('open');
    expect(p.judge(A, 'hls/master.m3u8')).toBe('open');
    expect(p.judge(A, 'hls/360p/index.m3u8')).toBe('needs_master');
    expect(p.judge(A, 'hls/360p/3.m4s')).toBe('needs_master');

    p.learn(A, 'hls/master.m3u8', MASTER);
    expect(p.knows(A, 'hls/master.m3u8')).toBe(true);
    expect(p.judge(A, 'hls/360p/index.m3u8')).toBe('listed');
    expect(p.judge(A, 'hls/audio/index.m3u8')).toBe('listed');
    expect(p.judge(A, 'hls/1080p/index.m3u8')).toBe('unlisted');
    expect(p.judge(A, 'hls/1080p/0.m4s')).toBe('unlisted');
    expect(p.judge(A, 'hls/1080p/init.mp4')).toBe('unlisted');
    expect(p.judge(A, 'hls/360p/3.m4s')).toBe('needs_media');

    p.learn(A, 'hls/360p/index.m3u8', media(450));
    expect(p.judge(A, 'hls/360p/init.mp4')).toBe('listed');
    expect(p.judge(A, 'hls/360p/0.m4s')).toBe('listed');
    expect(p.judge(A, 'hls/360p/449.m4s')).toBe('listed');
    expect(p.judge(A, 'hls/360p/450.m4s')).toBe('unlisted');
    expect(p.judge(A, 'hls/360p/99999.m4s')).toBe('unlisted');
    expect(p.judge(A, 'hls/240p/0.m4s')).toBe('needs_media');
    // Another asset knows nothing of it.
    expect(p.judge(B, 'hls/360p/0.m4s')).toBe('needs_master');

    p.forget(A);
    expect(p.judge(A, 'hls/360p/0.m4s')).toBe('needs_master');
  });

  it('keeps segment runs that do not start at 0 or have gaps path by path', () => {
    const p = new PublishedPaths();
    p.learn(A, 'hls/master.m3u8', MASTER);
    p.learn(A, 'hls/240p/index.m3u8', ['#EXTM3U', '#EXT-X-MAP:URI="init.mp4"', '0.m4s', '1.m4s', '5.m4s', '7.m4s'].join('\n'));
    expect(['0', '1', '2', '5', '6', '7'].map((n) => p.judge(A, `hls/240p/${n}.m4s`))).toEqual([
      'listed',
      'listed',
      'unlisted',
      'listed',
      'unlisted',
      'listed',
    ]);
  });

  it('never refuses segments of an irregular asset, nor anything of one whose "playlists" are not playlists', () => {
    const p = new PublishedPaths();
    p.learn(A, 'hls/master.m3u8', MASTER);
    p.learn(A, 'hls/360p/index.m3u8', ['#EXTM3U', '#EXT-X-MAP:URI="init.mp4"', '0.m4s', '../shared/1.m4s'].join('\n'));
    expect(p.judge(A, 'hls/shared/1.m4s')).toBe('listed');
    expect(p.judge(A, 'hls/360p/9.m4s')).toBe('open');
    expect(p.judge(A, 'hls/1080p/index.m3u8')).toBe('unlisted');

    p.learn(B, 'hls/master.m3u8', 'not a playlist at all');
    expect(p.judge(B, 'hls/360p/index.m3u8')).toBe('open');
    expect(p.judge(B, 'hls/360p/0.m4s')).toBe('open');
  });

  it('remembers a bounded number of assets, least recently learned first out', () => {
    const p = new PublishedPaths(2);
    const ids = [A, B, '0b5e1c1e-7a4c-4d3e-9f00-000000000003'];
    for (const id of ids) p.learn(id, 'hls/master.m3u8', MASTER);
    expect(p.size).toBe(2);
    expect(p.knows(A, 'hls/master.m3u8')).toBe(false);
    expect(p.knows(ids[2]!, 'hls/master.m3u8')).toBe(true);
  });
});

describe('negative cache', () => {
  it('remembers a 404 for its TTL, then forgets it', () => {
    let now = 1_000_000;
    const n = new NegativeCache(100, 5000, () => now);
    n.add(`${A}/hls/240p/9.m4s`);
    expect(n.has(`${A}/hls/240p/9.m4s`)).toBe(true);
    expect(n.has(`${A}/hls/240p/8.m4s`)).toBe(false);
    now += 4999;
    expect(n.has(`${A}/hls/240p/9.m4s`)).toBe(true);
    now += 1;
    expect(n.has(`${A}/hls/240p/9.m4s`)).toBe(false);
    expect(n.size).toBe(0);
  });

  it('holds at most its bound, oldest out first, and drops an asset on purge', () => {
    let now = 0;
    const n = new NegativeCache(3, 5000, () => now);
    for (let i = 0; i < 5; i++) {
      now += 1;
      n.add(`${A}/hls/240p/${i}.m4s`);
    }
    expect(n.size).toBe(3);
    expect([0, 1, 2, 3, 4].map((i) => n.has(`${A}/hls/240p/${i}.m4s`))).toEqual([false, false, true, true, true]);
    n.add(`${B}/opener.mp4`);
    n.forgetAsset(A);
    expect(n.size).toBe(1);
    expect(n.has(`${B}/opener.mp4`)).toBe(true);
  });

  it('is off with a TTL of 0', () => {
    const n = new NegativeCache(100, 0);
    n.add(`${A}/opener.mp4`);
    expect(n.has(`${A}/opener.mp4`)).toBe(false);
  });
});

describe('fill budget', () => {
  it('is a share of EDGE_MAX_FILLS, never below one fill', () => {
    expect(fillShare(64, 25)).toBe(16);
    expect(fillShare(64, 50)).toBe(32);
    expect(fillShare(3, 25)).toBe(1);
    expect(fillShare(1, 25)).toBe(1);
    expect(fillShare(10, 100)).toBe(10);
  });

  it('caps fills per token and per asset, and frees them as they end', () => {
    const b = new FillBudget(2, 3);
    const t1 = { token: 't1', asset: A };
    const t2 = { token: 't2', asset: A };
    const t3 = { token: 't3', asset: B };
    expect([b.take(t1), b.take(t1), b.take(t1)]).toEqual([undefined, undefined, 'token_busy']);
    expect([b.take(t2), b.take(t2)]).toEqual([undefined, 'asset_busy']);
    expect(b.take(t3)).toBeUndefined();
    b.give(t1);
    expect(b.ofToken('t1')).toBe(1);
    expect(b.take(t2)).toBeUndefined();
    for (const h of [t1, t2, t2, t3]) b.give(h);
    expect(b.holders).toBe(0);
  });
});
