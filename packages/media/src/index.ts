export { MediaError, type MediaErrorCode } from './errors.ts';
export type { RunOptions } from './process.ts';
export { runFfmpeg, type FfmpegOptions } from './ffmpeg.ts';
export { assertConfined, isAllowedFilter, mediaInput, MEDIA_DEMUXERS } from './confine.ts';
export { scrub } from './scrub.ts';
export { probe, type ProbeResult } from './probe.ts';
export { planLadder, type RenditionPlan } from './ladder-plan.ts';
export { makeOpener, OPENER_SECONDS, openerCopiesVideo } from './opener.ts';
export { makeThumbnail } from './thumbnail.ts';
export {
  AUDIO_RENDITION,
  declaredBandwidth,
  planMedia,
  plannedPlaylists,
  renditionNames,
  SEGMENT_SECONDS,
  type MediaPlan,
  type PlannedSegment,
  type VideoRendition,
} from './segment-plan.ts';
export { ladderArgs, makeAudio, makeLadder, writePlaylists, type LadderRendition } from './ladder.ts';
export { encodeAudioSegment, encodeSegment, type EncodedSegment } from './segment.ts';
export {
  measureQuality,
  QUALITY_METRICS,
  PSNR_CAP_DB,
  vmafAvailable,
  type MeasureQualityOptions,
  type MediaInput,
  type QualityMetric,
  type QualityScores,
} from './quality.ts';
export {
  parseEncoders,
  parseFilters,
  parseMuxers,
  readFfmpegCapabilities,
  type FfmpegCapabilities,
} from './capabilities.ts';
export * from './operations.ts';
