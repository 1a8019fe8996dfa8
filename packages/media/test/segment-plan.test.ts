import { describe, expect, it } from 'vitest';
import { h264Level } from '../src/h264-level.ts';
import { planMedia, plannedPlaylists, type ProbeResult } from '../src/index.ts';

function source(durationSec: number, fps?: number, audio = true): ProbeResult {
  return {
    durationSec,
    sizeBytes: 1,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    ...(fps
      ? { video: { index: 0, codec: 'h264', width: 1280, height: 720, displayWidth: 1280, displayHeight: 720, rotation: 0, fps } }
      : {}),
    ...(audio ? { audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48_000 } } : {}),
  };
}

describe('the segment plan', () => {
  it('starts each segment at the first frame at or after each 4 s line', () => {
    const plan = planMedia(source(13.013, 30000 / 1001));
    expect(plan.frameRate).toEqual({ num: 30000, den: 1001 });
    expect(plan.segments.map((s) => [s.firstFrame, s.frames])).toEqual([
      [0, 120],
      [120, 120],
      [240, 120],
      [360, 30],
    ]);
    expect(plan.segments[1]!.startSec).toBeCloseTo(4.004, 6);
    expect(plan.durationSec).toBeCloseTo(13.013, 6);
    // Ten minutes later the grid has not drifted: still within a frame of 4 s × n.
    const long = planMedia(source(600, 30000 / 1001));
    expect(long.segments).toHaveLength(150);
    for (const [n, s] of long.segments.entries()) expect(s.startSec - n * 4).toBeLessThan(1001 / 30000);
  });

  it('folds a tail shorter than 0.1 s into the end instead of a segment of its own', () => {
    const plan = planMedia(source(8.05, 30));
    expect(plan.segments.map((s) => s.frames)).toEqual([120, 120]);
    expect(plan.durationSec).toBe(8);
    expect(planMedia(source(8.2, 30)).segments.map((s) => s.frames)).toEqual([120, 120, 6]);
    // Audio stops two AAC frames short of the grid line past its last segment.
    expect(plan.audio!.durationSec).toBeCloseTo(8 - 2048 / 48_000, 6);
    expect(planMedia(source(6, 30)).audio!.durationSec).toBe(6);
  });

  it('shows a still picture over a long sound at one frame a second, and ends', () => {
    const plan = planMedia(source(7200, 1 / 7200));
    expect(plan.frameRate).toEqual({ num: 1, den: 1 });
    expect(plan.segments).toHaveLength(1800);
    expect(plan.durationSec).toBe(7200);
  });

  it('plans audio-only sources by time', () => {
    const plan = planMedia(source(9.5, undefined));
    expect(plan.video).toEqual([]);
    expect(plan.segments.map((s) => s.durationSec)).toEqual([4, 4, 1.5]);
    expect(plan.audio).toMatchObject({ name: 'audio', codecs: 'mp4a.40.2' });
  });

  it('publishes one media playlist per rendition listing every segment, and a master naming each', () => {
    const plan = planMedia(source(9, 30));
    const playlists = plannedPlaylists(plan);
    expect(playlists.map((p) => p.relative)).toEqual([
      '720p/index.m3u8',
      '480p/index.m3u8',
      '360p/index.m3u8',
      '240p/index.m3u8',
      'audio/index.m3u8',
      'master.m3u8',
    ]);
    expect(playlists[0]!.text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-TARGETDURATION:4',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-PLAYLIST-TYPE:VOD',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-MAP:URI="init.mp4"',
        '#EXTINF:4.000000,',
        '0.m4s',
        '#EXTINF:4.000000,',
        '1.m4s',
        '#EXTINF:1.000000,',
        '2.m4s',
        '#EXT-X-ENDLIST',
        '',
      ].join('\n'),
    );
    expect(playlists.at(-1)!.text).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio"');
    expect(playlists.at(-1)!.text).toContain('CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=30.000,AUDIO="audio"\n720p/index.m3u8');
  });

  it('names the lowest H.264 level that holds each rung', () => {
    const level = (width: number, height: number, fps: number, kbps: number) =>
      h264Level({ width, height, fps, maxrate: kbps * 1000 * 1.07, bufsize: kbps * 1000 * 1.5 });
    expect(level(1920, 1080, 30, 5000)).toBe(40);
    expect(level(1920, 1080, 60, 7500)).toBe(42);
    expect(level(1280, 720, 30, 2800)).toBe(31);
    expect(level(854, 480, 30, 1400)).toBe(31);
    expect(level(640, 360, 30, 800)).toBe(30);
    expect(level(426, 240, 30, 400)).toBe(21);
    expect(level(3840, 2160, 30, 5000)).toBe(51);
  });
});
