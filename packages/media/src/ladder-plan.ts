import type { ProbeResult } from './probe.ts';

/** A centre crop to this display aspect (width:height) before scaling. */
export type Crop = '9:16' | '1:1';

/**
 * What an encode reads of a preset (packages/presets' `Preset` is one): the video codec, the
 * top rung, the quality and the crop, and the audio's bitrate. `video: null` is audio only.
 */
export interface EncodingPreset {
  video: null | { codec: 'h264' | 'h265' | 'av1'; max_height: number; quality: 'standard' | 'high'; crop: Crop | null };
  audio: { codec: 'aac'; bitrate_kbps: number };
}

/** The default ladder's preset: what an asset uploaded without `preset=` is encoded to. */
export const DEFAULT_ENCODING: EncodingPreset = {
  video: { codec: 'h264', max_height: 1080, quality: 'standard', crop: null },
  audio: { codec: 'aac', bitrate_kbps: 128 },
};

export interface RenditionPlan {
  /** '1080p' for video (named by the short side, so portrait 1080x1920 is '1080p'); 'audio' for audio-only. */
  name: string;
  /** Display size to encode at, square pixels, even; 0 for the audio-only rendition. */
  width: number;
  height: number;
  /** Bits per second. */
  videoBitrate: number;
  maxrate: number;
  bufsize: number;
  audioBitrate: number;
  /** Output frame rate; 0 for the audio-only rendition. */
  fps: number;
  /**
   * The centre crop applied before scaling, in the decoded (rotated, possibly anamorphic)
   * frame's pixels: the top rung's chain has it, the rest scale from that rung.
   */
  crop: { width: number; height: number } | null;
  /** x264's speed preset: `high` quality trades CPU for fewer artefacts at the same bitrate. */
  x264Preset: 'veryfast' | 'fast';
}

/** Short side → H.264 target at ≤30 fps, in kbit/s. Apple's HLS authoring figures, rounded. */
const RUNGS: ReadonlyArray<readonly [shortSide: number, kbps: number]> = [
  // Above 1080p only for a preset whose max_height asks for it (the default stops at 1080).
  [2160, 16000],
  [1440, 8000],
  [1080, 5000],
  [720, 2800],
  [480, 1400],
  [360, 800],
  [240, 400],
];
const HIGH_FPS_FACTOR = 1.5;
const MAXRATE_FACTOR = 1.07;
const BUFSIZE_FACTOR = 1.5;
const MAX_FPS = 60;
/** A still picture over a long sound probes at a fraction of a frame a second: it is shown at one. */
const MIN_FPS = 1;
/** Below the smallest rung the bitrate follows the picture area, with a floor for legibility. */
const MIN_VIDEO_KBPS = 100;
/** Bitrates of `high` quality against `standard`. */
const HIGH_QUALITY_FACTOR = 1.5;

export function planLadder(p: ProbeResult, preset: EncodingPreset = DEFAULT_ENCODING): RenditionPlan[] {
  const audioBitrate = preset.audio.bitrate_kbps * 1000;
  if (!p.video || !preset.video) {
    return [
      {
        name: 'audio',
        width: 0,
        height: 0,
        videoBitrate: 0,
        maxrate: 0,
        bufsize: 0,
        audioBitrate,
        fps: 0,
        crop: null,
        x264Preset: 'veryfast',
      },
    ];
  }
  const shape = preset.video;
  const [w, h] = cropSize(p.video.displayWidth, p.video.displayHeight, shape.crop);
  const short = Math.min(w, h);
  const top = Math.min(short, shape.max_height);
  const fps = Math.max(MIN_FPS, Math.min(p.video.fps, MAX_FPS));
  const factor = (fps > 30.5 ? HIGH_FPS_FACTOR : 1) * (shape.quality === 'high' ? HIGH_QUALITY_FACTOR : 1);
  const crop = shape.crop ? frameCrop(p.video, w, h) : null;
  const make = (name: string, width: number, height: number, kbps: number) => ({
    ...rendition(name, width, height, kbps * factor, fps, audioBitrate),
    crop,
    x264Preset: shape.quality === 'high' ? ('fast' as const) : ('veryfast' as const),
  });

  const rungs = RUNGS.filter(([side]) => side <= top);
  if (rungs.length === 0) {
    // Tiny source (or a max_height under the smallest rung): one rendition, never upscaled.
    const scale = top / short;
    const width = evenFloor(w * scale);
    const height = evenFloor(h * scale);
    const [smallest, smallestKbps] = RUNGS.at(-1)!;
    const areaShare = (width * height) / (smallest * Math.round((smallest * 16) / 9));
    const kbps = Math.max(MIN_VIDEO_KBPS, Math.round(smallestKbps * areaShare));
    return [make(`${Math.min(width, height)}p`, width, height, kbps)];
  }
  return rungs.map(([side, kbps]) => {
    const long = Math.min(evenRound((side * Math.max(w, h)) / short), evenFloor(Math.max(w, h)));
    const [width, height] = w >= h ? [long, side] : [side, long];
    return make(`${side}p`, width, height, kbps);
  });
}

/**
 * A crop of the display to `w`×`h`, in the pixels of the frame the filters get: ffmpeg has
 * rotated it already, but not made its pixels square (a stretch of display ÷ frame per axis).
 */
function frameCrop(v: NonNullable<ProbeResult['video']>, w: number, h: number): { width: number; height: number } {
  const [fw, fh] = v.rotation % 180 === 0 ? [v.width, v.height] : [v.height, v.width];
  return { width: Math.min(fw, evenRound((w * fw) / v.displayWidth)), height: Math.min(fh, evenRound((h * fh) / v.displayHeight)) };
}

/** The display size after a centre crop to `crop`'s aspect (the source's own without one). */
export function cropSize(w: number, h: number, crop: Crop | null): [number, number] {
  if (!crop) return [w, h];
  const [aw, ah] = crop.split(':').map(Number) as [number, number];
  return w * ah > h * aw ? [evenFloor((h * aw) / ah), h] : [w, evenFloor((w * ah) / aw)];
}

function rendition(name: string, width: number, height: number, kbps: number, fps: number, audioBitrate: number) {
  const videoBitrate = Math.round(kbps) * 1000;
  return {
    name,
    width,
    height,
    videoBitrate,
    maxrate: Math.round(videoBitrate * MAXRATE_FACTOR),
    bufsize: Math.round(videoBitrate * BUFSIZE_FACTOR),
    // Small renditions' audio is capped: a phone on a slow link gains little from more.
    audioBitrate: Math.min(width, height) <= 360 ? Math.min(audioBitrate, 96_000) : audioBitrate,
    fps,
  };
}

function evenRound(x: number): number {
  return Math.max(2, 2 * Math.round(x / 2));
}

function evenFloor(x: number): number {
  return Math.max(2, 2 * Math.floor(x / 2));
}
