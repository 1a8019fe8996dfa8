export { MediaError, type MediaErrorCode } from './errors.ts';
export type { RunOptions } from './process.ts';
export { runFfmpeg, type FfmpegOptions } from './ffmpeg.ts';
export { assertConfined, isAllowedFilter, mediaInput, IMAGE_DEMUXERS, MEDIA_DEMUXERS } from './confine.ts';
export { scrub } from './scrub.ts';
export { probe, type ProbeResult } from './probe.ts';
export { cropSize, DEFAULT_ENCODING, planLadder, type Crop, type EncodingPreset, type RenditionPlan } from './ladder-plan.ts';
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
export { renderImage, stillGeometry } from './image.ts';
export { makeStoryboard, STORYBOARD_LIMITS, storyboardLayout, storyboardVtt, type StoryboardLayout } from './storyboard.ts';
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
export {
  CommandError,
  ENCODERS,
  MAX_JOB_OUTPUTS,
  MUXERS,
  checkCommand,
  commandArgv,
  parseTime,
  tokenize,
  type CheckedCommand,
  type CommandLimits,
  type CommandSpec,
} from './command.ts';
export * from './operations.ts';
export { describeMedia, type MediaFacts } from './describe.ts';
export { makeStaticAudio, makeStaticHighest } from './static-rendition.ts';
export { clipMode, cutClip, keyframesNear, type ClipMode } from './clip.ts';
