export { MediaError, type MediaErrorCode } from './errors.ts';
export type { RunOptions } from './process.ts';
export { runFfmpeg, type FfmpegOptions } from './ffmpeg.ts';
export { probe, type ProbeResult } from './probe.ts';
export { planLadder, type RenditionPlan } from './ladder-plan.ts';
export { makeOpener, OPENER_SECONDS } from './opener.ts';
export { makeThumbnail } from './thumbnail.ts';
export { ladderArgs, makeLadder, SEGMENT_SECONDS, type LadderResult, type LadderRendition } from './ladder.ts';
