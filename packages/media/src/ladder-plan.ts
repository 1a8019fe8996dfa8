import type { ProbeResult } from './probe.ts';

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
}

/** Short side → H.264 target at ≤30 fps, in kbit/s. Apple's HLS authoring figures, rounded. */
const RUNGS: ReadonlyArray<readonly [shortSide: number, kbps: number]> = [
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

export function planLadder(p: ProbeResult): RenditionPlan[] {
  if (!p.video) {
    return [{ name: 'audio', width: 0, height: 0, videoBitrate: 0, maxrate: 0, bufsize: 0, audioBitrate: 128_000, fps: 0 }];
  }
  const { displayWidth: w, displayHeight: h } = p.video;
  const short = Math.min(w, h);
  const fps = Math.max(MIN_FPS, Math.min(p.video.fps, MAX_FPS));
  const fpsFactor = fps > 30.5 ? HIGH_FPS_FACTOR : 1;

  const rungs = RUNGS.filter(([side]) => side <= short);
  if (rungs.length === 0) {
    // Tiny source: one rendition at its own size, never upscaled.
    const width = evenFloor(w);
    const height = evenFloor(h);
    const [smallest, smallestKbps] = RUNGS.at(-1)!;
    const areaShare = (width * height) / (smallest * Math.round((smallest * 16) / 9));
    const kbps = Math.max(MIN_VIDEO_KBPS, Math.round(smallestKbps * areaShare));
    return [rendition(`${Math.min(width, height)}p`, width, height, kbps * fpsFactor, fps)];
  }
  return rungs.map(([side, kbps]) => {
    const long = Math.min(evenRound((side * Math.max(w, h)) / short), evenFloor(Math.max(w, h)));
    const [width, height] = w >= h ? [long, side] : [side, long];
    return rendition(`${side}p`, width, height, kbps * fpsFactor, fps);
  });
}

function rendition(name: string, width: number, height: number, kbps: number, fps: number): RenditionPlan {
  const videoBitrate = Math.round(kbps) * 1000;
  return {
    name,
    width,
    height,
    videoBitrate,
    maxrate: Math.round(videoBitrate * MAXRATE_FACTOR),
    bufsize: Math.round(videoBitrate * BUFSIZE_FACTOR),
    audioBitrate: Math.min(width, height) <= 360 ? 96_000 : 128_000,
    fps,
  };
}

function evenRound(x: number): number {
  return Math.max(2, 2 * Math.round(x / 2));
}

function evenFloor(x: number): number {
  return Math.max(2, 2 * Math.floor(x / 2));
}
