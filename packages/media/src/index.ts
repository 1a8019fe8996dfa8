export { MediaError, type MediaErrorCode } from './errors.ts';
export type { RunOptions } from './process.ts';
export { runFfmpeg, type FfmpegOptions } from './ffmpeg.ts';
export { assertConfined, mediaInput, MEDIA_DEMUXERS } from './confine.ts';
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
