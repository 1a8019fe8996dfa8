import type { SpeedCodec, MeasuredSpeed } from '@kino/jobs';
import { planMedia, type ProbeResult } from '@kino/media';
import type { Preset } from './preset.ts';

// POST /v1/estimate: expected processing time and output sizes of a source under a preset,
// from the plan the pipeline would make (the same planMedia) and the encode speeds the
// workers measured (recordEncodeSpeed). Sizes are the plan's target bitrates × duration.

/** What an estimate needs to know of a source: a probe summary, or an asset's own probe. */
export interface EstimateSource {
  durationSec: number;
  width: number;
  height: number;
  fps?: number | undefined;
  hasAudio?: boolean | undefined;
}

export interface Estimate {
  processing_seconds: number;
  outputs: Array<{ name: string; bytes: number }>;
  basis: {
    /** True when every output's speed came from measured encodes; false when any fell back to a default. */
    measured: boolean;
    preset: string;
    duration_seconds: number;
    speeds: Array<{ codec: SpeedCodec; height: number; speed: number; measured: boolean; samples: number }>;
  };
}

/**
 * Media seconds per wall second when nothing is measured, for H.264 veryfast at 1080p on one
 * core pair (DESIGN: a 4-rung 1080p ladder ran at about 1.1× real time on 2 cores); other
 * heights scale with their pixel count; other codecs are slower by their factor.
 */
const DEFAULT_H264_1080P_SPEED = 2.5;
const CODEC_SLOWDOWN: Record<SpeedCodec, number> = { h264: 1, h265: 4, av1: 3, aac: 1 };
const DEFAULT_AAC_SPEED = 100;
const PIXELS_1080P = 1920 * 1080;

export function estimate(source: EstimateSource, preset: Preset, measured: readonly MeasuredSpeed[]): Estimate {
  const probe: ProbeResult = {
    durationSec: source.durationSec,
    sizeBytes: 0,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    video: {
      index: 0,
      codec: 'h264',
      width: source.width,
      height: source.height,
      displayWidth: source.width,
      displayHeight: source.height,
      rotation: 0,
      fps: source.fps ?? 30,
    },
    ...(source.hasAudio === false ? {} : { audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48_000 } }),
  };
  const plan = planMedia(preset.video ? probe : { ...probe, video: undefined }, preset);
  const codec = preset.video?.codec ?? 'h264';
  const speeds: Estimate['basis']['speeds'] = [];
  const outputs: Estimate['outputs'] = [];
  let seconds = 0;
  for (const r of plan.video) {
    const side = Math.min(r.width, r.height);
    const s = speedOf(measured, codec, side, r.width * r.height);
    speeds.push(s);
    seconds += plan.durationSec / s.speed;
    outputs.push({ name: r.name, bytes: Math.round((r.videoBitrate * plan.durationSec) / 8) });
  }
  if (plan.audio) {
    const s = speedOf(measured, 'aac', 0, 0);
    speeds.push(s);
    seconds += plan.audio.durationSec / s.speed;
    outputs.push({ name: plan.audio.name, bytes: Math.round((plan.audio.bitrate * plan.audio.durationSec) / 8) });
  }
  return {
    processing_seconds: Math.round(seconds * 10) / 10,
    outputs,
    basis: { measured: speeds.every((s) => s.measured), preset: preset.name, duration_seconds: plan.durationSec, speeds },
  };
}

/** The measured speed at that height, else the measured one nearest in height scaled by pixels, else the default. */
function speedOf(measured: readonly MeasuredSpeed[], codec: SpeedCodec, height: number, pixels: number) {
  const same = measured.filter((m) => m.codec === codec);
  const exact = same.find((m) => m.height === height);
  if (exact) return { codec, height, speed: exact.speed, measured: true, samples: exact.samples };
  if (codec === 'aac') return { codec, height, speed: DEFAULT_AAC_SPEED, measured: false, samples: 0 };
  const near = same.sort((a, b) => Math.abs(a.height - height) - Math.abs(b.height - height))[0];
  if (near) {
    // Encode time follows the pixel count: a rung of a quarter the pixels takes a quarter the time.
    const ratio = (near.height / height) ** 2;
    return { codec, height, speed: near.speed * ratio, measured: true, samples: near.samples };
  }
  const speed = (DEFAULT_H264_1080P_SPEED * PIXELS_1080P) / Math.max(pixels, 1) / CODEC_SLOWDOWN[codec];
  return { codec, height, speed, measured: false, samples: 0 };
}
