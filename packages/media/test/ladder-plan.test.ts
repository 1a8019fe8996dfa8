import { describe, expect, it } from 'vitest';
import { DEFAULT_ENCODING, planLadder, planMedia, type EncodingPreset, type ProbeResult } from '../src/index.ts';

function source(displayWidth: number, displayHeight: number, fps = 30): ProbeResult {
  return {
    durationSec: 10,
    sizeBytes: 1_000_000,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    video: { index: 0, codec: 'h264', width: displayWidth, height: displayHeight, displayWidth, displayHeight, rotation: 0, fps },
    audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48000 },
  };
}

const sizes = (p: ProbeResult) => planLadder(p).map((r) => `${r.name} ${r.width}x${r.height}`);

describe('planLadder', () => {
  it('gives a 1080p source every rung down to 240p, highest first', () => {
    expect(sizes(source(1920, 1080))).toEqual(['1080p 1920x1080', '720p 1280x720', '480p 854x480', '360p 640x360', '240p 426x240']);
  });

  it('never upscales: a 1000p-short-side source starts at 720p, a 4K one at 1080p', () => {
    expect(sizes(source(1778, 1000))[0]).toBe('720p 1280x720');
    expect(sizes(source(3840, 2160))[0]).toBe('1080p 1920x1080');
    for (const r of planLadder(source(1778, 1000))) {
      expect(r.width).toBeLessThanOrEqual(1778);
      expect(r.height).toBeLessThanOrEqual(1000);
    }
  });

  it('keeps portrait sources portrait, named by the short side', () => {
    expect(sizes(source(1080, 1920))).toEqual(['1080p 1080x1920', '720p 720x1280', '480p 480x854', '360p 360x640', '240p 240x426']);
  });

  it('keeps 4:3 and odd sizes even and in aspect', () => {
    expect(sizes(source(640, 480))).toEqual(['480p 640x480', '360p 480x360', '240p 320x240']);
    expect(sizes(source(641, 361))).toEqual(['360p 640x360', '240p 426x240']);
    for (const r of planLadder(source(1279, 719))) {
      expect(r.width % 2).toBe(0);
      expect(r.height % 2).toBe(0);
      expect(Math.abs(r.width / r.height - 1279 / 719)).toBeLessThan(0.01);
    }
  });

  it('plans one rendition at the source size (rounded down to even) below 240p', () => {
    const plan = planLadder(source(327, 191));
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatchObject({ name: '190p', width: 326, height: 190 });
    expect(plan[0]!.videoBitrate).toBeGreaterThanOrEqual(100_000);
    expect(plan[0]!.videoBitrate).toBeLessThan(400_000);
  });

  it('sets H.264 bitrates per rung with a 1.07x maxrate and 1.5x buffer', () => {
    const [top, , , r360] = planLadder(source(1920, 1080));
    expect(top).toMatchObject({ videoBitrate: 5_000_000, maxrate: 5_350_000, bufsize: 7_500_000, audioBitrate: 128_000, fps: 30 });
    expect(r360).toMatchObject({ videoBitrate: 800_000, audioBitrate: 96_000 });
  });

  it('raises bitrates by half above 30 fps, keeps 60 fps and caps higher rates at 60', () => {
    const [top60] = planLadder(source(1920, 1080, 60));
    expect(top60).toMatchObject({ videoBitrate: 7_500_000, fps: 60 });
    expect(planLadder(source(1920, 1080, 120))[0]!.fps).toBe(60);
    expect(planLadder(source(1920, 1080, 30000 / 1001))[0]!.videoBitrate).toBe(5_000_000);
  });

  it('uses display size, so a rotated phone clip plans portrait renditions', () => {
    const p = source(1080, 1920);
    p.video = { ...p.video!, width: 1920, height: 1080, rotation: 90 };
    expect(sizes(p)[0]).toBe('1080p 1080x1920');
  });

  it('plans a single audio rendition for audio-only sources', () => {
    const p = source(0, 0);
    delete p.video;
    expect(planLadder(p)).toEqual([
      {
        name: 'audio',
        width: 0,
        height: 0,
        videoBitrate: 0,
        maxrate: 0,
        bufsize: 0,
        audioBitrate: 128_000,
        fps: 0,
        crop: null,
        x264Preset: 'veryfast',
      },
    ]);
  });
});

describe('planLadder under a preset', () => {
  const preset = (video: Partial<NonNullable<EncodingPreset['video']>> | null, kbps = 128): EncodingPreset => ({
    video: video && { ...DEFAULT_ENCODING.video!, ...video },
    audio: { codec: 'aac', bitrate_kbps: kbps },
  });
  const named = (p: ProbeResult, e: EncodingPreset) => planLadder(p, e).map((r) => `${r.name} ${r.width}x${r.height}`);

  it('is the default ladder under the default preset', () => {
    expect(planLadder(source(1920, 1080), DEFAULT_ENCODING)).toEqual(planLadder(source(1920, 1080)));
    // …which stops at 1080p even for a 4K source.
    expect(named(source(3840, 2160), DEFAULT_ENCODING)[0]).toBe('1080p 1920x1080');
  });

  it('caps the top rung at max_height, and goes above 1080p only when asked and never upscales', () => {
    expect(named(source(1920, 1080), preset({ max_height: 480 }))).toEqual(['480p 854x480', '360p 640x360', '240p 426x240']);
    expect(named(source(3840, 2160), preset({ max_height: 2160 }))[0]).toBe('2160p 3840x2160');
    expect(named(source(1920, 1080), preset({ max_height: 2160 }))[0]).toBe('1080p 1920x1080');
    // Under the smallest rung: one rendition at max_height.
    expect(named(source(1920, 1080), preset({ max_height: 144 }))).toEqual(['144p 256x144']);
  });

  it('raises bitrates and slows x264 for high quality', () => {
    const [top] = planLadder(source(1920, 1080), preset({ quality: 'high' }));
    expect(top).toMatchObject({ videoBitrate: 7_500_000, x264Preset: 'fast' });
    expect(planLadder(source(1920, 1080))[0]!.x264Preset).toBe('veryfast');
  });

  it('plans a centre crop: square and vertical rungs from a landscape source', () => {
    expect(named(source(1920, 1080), preset({ crop: '1:1' }))).toEqual([
      '1080p 1080x1080',
      '720p 720x720',
      '480p 480x480',
      '360p 360x360',
      '240p 240x240',
    ]);
    // 1920x1080 cropped to 9:16 is 606x1080: its rungs are named by that short side.
    expect(named(source(1920, 1080), preset({ crop: '9:16' }))).toEqual(['480p 480x856', '360p 360x642', '240p 240x428']);
    expect(planLadder(source(1920, 1080), preset({ crop: '1:1' }))[0]!.crop).toEqual({ width: 1080, height: 1080 });
    // In the decoded frame's pixels: an anamorphic 1440x1080 shown as 1920x1080 crops 810 of its 1440.
    const anamorphic = source(1920, 1080);
    anamorphic.video!.width = 1440;
    expect(planLadder(anamorphic, preset({ crop: '1:1' }))[0]!.crop).toEqual({ width: 810, height: 1080 });
  });

  it("takes the preset's audio bitrate, and plans a video source as audio only under an audio-only preset", () => {
    expect(planMedia(source(640, 360), preset({}, 192)).audio?.bitrate).toBe(192_000);
    const plan = planMedia(source(640, 360), preset(null));
    expect(plan.video).toEqual([]);
    expect(plan.audio?.bitrate).toBe(128_000);
  });
});
