import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOpener, openerCopiesVideo, probe, type ProbeResult } from '../src/index.ts';
import { readTopLevelBoxes } from '../src/boxes.ts';
import { ffprobe, makeFixture, tempDir, type FixtureKind, type FixtureOptions } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

async function opener(kind: FixtureKind, name: string, opts: FixtureOptions = {}, onProgress?: (f: number) => void) {
  const src = await makeFixture(kind, join(dir, `${name}.src.mp4`), opts);
  const out = join(dir, `${name}.opener.mp4`);
  await makeOpener(src, out, await probe(src), onProgress ? { onProgress: (p) => onProgress(p.fraction) } : {});
  const boxes = (await readTopLevelBoxes(out)).boxes.map((b) => b.type);
  return { out, ...(await ffprobe(out)), boxes };
}

describe('makeOpener', () => {
  it("copies a browser-safe H.264 source's first 4 s, video and AAC untouched, into a faststart MP4", async () => {
    const fractions: number[] = [];
    const o = await opener('standard', 'copied', { width: 640, height: 360, seconds: 7 }, (f) => fractions.push(f));
    const src = await ffprobe(join(dir, 'copied.src.mp4'));
    expect(o.durationSec).toBeGreaterThan(3.9);
    expect(o.durationSec).toBeLessThan(4.2);
    const [v, a] = [o.streams.find((s) => s.codec_type === 'video'), o.streams.find((s) => s.codec_type === 'audio')];
    const [sv, sa] = [src.streams.find((s) => s.codec_type === 'video')!, src.streams.find((s) => s.codec_type === 'audio')!];
    // The source's own stream: its profile (x264's ultrafast makes Constrained Baseline, an
    // encode here would be High), its size, its audio sample rate (44.1 kHz, not 48).
    expect(v).toMatchObject({ codec_name: 'h264', profile: sv.profile, width: 640, height: 360 });
    expect(sv.profile).not.toBe('High');
    expect(a).toMatchObject({ codec_name: 'aac', sample_rate: sa.sample_rate });
    expect(sa.sample_rate).toBe('44100');
    expect(o.boxes.indexOf('moov')).toBeLessThan(o.boxes.indexOf('mdat'));
    expect(fractions.at(-1)).toBe(1);
  });

  it('encodes any other source to a faststart H.264 High + AAC MP4 at the source size when ≤ 720p', async () => {
    const fractions: number[] = [];
    // 4:4:4 H.264: no browser-safe copy.
    const o = await opener('odd-dimensions', 'encoded', { width: 640, height: 360, seconds: 7 }, (f) => fractions.push(f));
    expect(o.durationSec).toBeGreaterThan(3.9);
    expect(o.durationSec).toBeLessThan(4.2);
    const [v, a] = [o.streams.find((s) => s.codec_type === 'video'), o.streams.find((s) => s.codec_type === 'audio')];
    expect(v).toMatchObject({ codec_name: 'h264', profile: 'High', width: 640, height: 360, pix_fmt: 'yuv420p' });
    expect(a).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    expect(o.boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
    expect(o.boxes.indexOf('moov')).toBeLessThan(o.boxes.indexOf('mdat'));
    expect(fractions.at(-1)).toBe(1);
  });

  it('scales sources above 720p down to a 720p short side', async () => {
    const o = await opener('odd-dimensions', 'big', { width: 1456, height: 816, seconds: 4, fps: 24 });
    const v = o.streams.find((s) => s.codec_type === 'video')!;
    expect(v.height).toBe(720);
    expect(v.width).toBe(1284);
  });

  it('keeps the whole of a source shorter than 4 s', async () => {
    const o = await opener('standard', 'short', { seconds: 2 });
    expect(o.durationSec).toBeGreaterThan(1.9);
    expect(o.durationSec).toBeLessThan(2.2);
  });

  it('shows a rotated phone clip upright: portrait pixels, no rotation left to apply', async () => {
    const o = await opener('portrait-rotated', 'rotated');
    const v = o.streams.find((s) => s.codec_type === 'video')!;
    expect([v.width, v.height]).toEqual([180, 320]);
  });

  it('makes an AAC-only MP4 from audio and a video-only MP4 from a silent source', async () => {
    const [audio, silent] = await Promise.all([opener('audio-only', 'audio'), opener('silent', 'silent')]);
    expect(audio.streams.map((s) => s.codec_name)).toEqual(['aac']);
    expect(audio.durationSec).toBeLessThan(4.2);
    expect(audio.boxes.indexOf('moov')).toBeLessThan(audio.boxes.indexOf('mdat'));
    expect(silent.streams.map((s) => s.codec_name)).toEqual(['h264']);
  });
});

describe('openerCopiesVideo', () => {
  const safe: ProbeResult = {
    durationSec: 60,
    sizeBytes: 1,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    bitRate: 3_200_000,
    video: {
      index: 0,
      codec: 'h264',
      width: 1920,
      height: 1080,
      displayWidth: 1920,
      displayHeight: 1080,
      rotation: 0,
      fps: 30,
      pixFmt: 'yuv420p',
      bitDepth: 8,
      fieldOrder: 'progressive',
      bitRate: 3_000_000,
    },
    audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 44100 },
  };
  const withVideo = (v: Partial<NonNullable<ProbeResult['video']>>, top: Partial<ProbeResult> = {}): ProbeResult => ({
    ...safe,
    ...top,
    video: { ...safe.video!, ...v },
  });

  it('copies 8-bit 4:2:0 progressive SDR H.264, upright, square-pixelled, up to 1080p and 8 Mbit/s', () => {
    expect(openerCopiesVideo(safe)).toBe(true);
    expect(openerCopiesVideo(withVideo({ width: 1080, height: 1920, displayWidth: 1080, displayHeight: 1920 }))).toBe(true);
    expect(openerCopiesVideo(withVideo({ bitRate: undefined }))).toBe(true); // the container's rate stands in
  });

  it('encodes everything else', () => {
    const cases: Array<[string, ProbeResult]> = [
      ['HEVC', withVideo({ codec: 'hevc' })],
      ['10-bit', withVideo({ pixFmt: 'yuv420p10le', bitDepth: 10 })],
      ['4:4:4', withVideo({ pixFmt: 'yuv444p' })],
      ['interlaced', withVideo({ fieldOrder: 'tt' })],
      ['HDR', withVideo({ colorTransfer: 'smpte2084' })],
      ['rotated', withVideo({ rotation: 90, displayWidth: 1080, displayHeight: 1920 })],
      ['anamorphic', withVideo({ displayWidth: 1440 })],
      ['above 1080p', withVideo({ width: 2560, height: 1440, displayWidth: 2560, displayHeight: 1440 })],
      ['above 8 Mbit/s', withVideo({ bitRate: 12_000_000 })],
      ['no known rate', withVideo({ bitRate: undefined }, { bitRate: undefined })],
      ['above 60 fps', withVideo({ fps: 120 })],
      ['no video', { ...safe, video: undefined }],
    ];
    for (const [name, p] of cases) expect(openerCopiesVideo(p), name).toBe(false);
  });
});
