import { HLS_FILES, segmentFile } from '@kino/artifacts';
import { frameRate, type FrameRate } from './frame-rate.ts';
import { avcCodecString, h264Level } from './h264-level.ts';
import { DEFAULT_ENCODING, planLadder, type EncodingPreset, type RenditionPlan } from './ladder-plan.ts';
import { renderMasterPlaylist } from './master-playlist.ts';
import type { ProbeResult } from './probe.ts';

// The segment plan: everything about an asset's HLS that can be known from its probe, before
// a frame is encoded. Segment n starts at the first frame at or after n × SEGMENT_SECONDS, in
// every rendition, so the master and every media playlist can be published as complete VOD
// playlists at once, and any one segment can be encoded on its own (segment.ts) and come out
// interchangeable with the ladder's.

export const SEGMENT_SECONDS = 4;
/**
 * A source whose last segment would be shorter than this ends at the segment before: a
 * segment of a frame or two is where audio and video segmenting could disagree by one.
 */
const MIN_TAIL_SECONDS = 0.1;
/** The audio rendition's name, directory and EXT-X-MEDIA group. */
export const AUDIO_RENDITION = 'audio';
/** Samples per AAC frame at 48 kHz: ffmpeg's audio segments start on these, one frame of priming early. */
const AAC_FRAME_SECONDS = 1024 / 48_000;
const AAC_CODEC = 'mp4a.40.2';

export interface PlannedSegment {
  startSec: number;
  durationSec: number;
  /** Video only: the index of the segment's first frame on the output frame grid, and how many it has. */
  firstFrame?: number;
  frames?: number;
}

export interface VideoRendition extends RenditionPlan {
  /** H.264 level_idc every encode of this rendition is told to use. */
  level: number;
  /** RFC 6381 codec string of the video. */
  codecs: string;
}

export interface MediaPlan {
  /** What the HLS covers: the source's duration, less a tail shorter than MIN_TAIL_SECONDS. */
  durationSec: number;
  /** The output frame rate of every video rendition. */
  frameRate?: FrameRate;
  segments: PlannedSegment[];
  video: VideoRendition[];
  audio?: {
    name: string;
    bitrate: number;
    codecs: string;
    /**
     * Where the audio ends: the plan's end, but two AAC frames short of the grid line after
     * the last segment. ffmpeg's HLS muxer cuts audio at the first frame at or past each
     * 4 s line (counted from the priming frame), so audio reaching that line would start a
     * segment the playlists do not list. At most a frame of video and two of audio short.
     */
    durationSec: number;
  };
}

/**
 * The plan of a source under a preset (the asset's snapshot of it; the default ladder's when
 * it has none): an audio-only preset plans a video source as the audio-only source it makes.
 */
export function planMedia(p: ProbeResult, preset: EncodingPreset = DEFAULT_ENCODING): MediaPlan {
  const plan =
    p.video && preset.video
      ? planVideo(p, preset)
      : { durationSec: timedDuration(p.durationSec), segments: timedSegments(p.durationSec), video: [] };
  if (!p.audio) return plan;
  const gridEnd = plan.segments.length * SEGMENT_SECONDS - 2 * AAC_FRAME_SECONDS;
  return {
    ...plan,
    audio: {
      name: AUDIO_RENDITION,
      bitrate: preset.audio.bitrate_kbps * 1000,
      codecs: AAC_CODEC,
      durationSec: Math.min(plan.durationSec, gridEnd),
    },
  };
}

function planVideo(p: ProbeResult, preset: EncodingPreset): Omit<MediaPlan, 'audio'> {
  const video = planLadder(p, preset).map((r) => {
    const level = h264Level({ width: r.width, height: r.height, fps: r.fps, maxrate: r.maxrate, bufsize: r.bufsize });
    return { ...r, level, codecs: avcCodecString(level) };
  });
  const rate = frameRate(video[0]!.fps);
  const perSecond = rate.num / rate.den;
  let total = Math.max(1, Math.round(p.durationSec * perSecond));
  const starts: number[] = [];
  // ceil(n × 4 × fps), in integers: the first frame whose time is at or after n × 4 s.
  for (let n = 0; ; n++) {
    const first = n === 0 ? 0 : Math.ceil((n * SEGMENT_SECONDS * rate.num) / rate.den - 1e-9);
    // (A rate of at least one frame a second, see planLadder, makes every start a later frame.)
    if (first >= total || (n > 0 && first <= starts.at(-1)!)) break;
    starts.push(first);
  }
  if (starts.length > 1 && (total - starts.at(-1)!) / perSecond < MIN_TAIL_SECONDS) total = starts.pop()!;
  const segments = starts.map((first, n) => {
    const frames = (starts[n + 1] ?? total) - first;
    return { startSec: first / perSecond, durationSec: frames / perSecond, firstFrame: first, frames };
  });
  return { durationSec: total / perSecond, frameRate: rate, segments, video };
}

function timedDuration(durationSec: number): number {
  const segments = timedSegments(durationSec);
  const last = segments.at(-1)!;
  return last.startSec + last.durationSec;
}

function timedSegments(durationSec: number): PlannedSegment[] {
  const segments: PlannedSegment[] = [];
  for (let start = 0; start < durationSec || segments.length === 0; start += SEGMENT_SECONDS) {
    segments.push({ startSec: start, durationSec: Math.min(SEGMENT_SECONDS, durationSec - start) });
  }
  const tail = segments.at(-1)!;
  if (segments.length > 1 && tail.durationSec < MIN_TAIL_SECONDS) segments.pop();
  return segments;
}

/**
 * One media playlist serves every rendition: each lives in its own directory and names its
 * files relatively, and audio segments are cut on the same grid as video (within one frame).
 */
export function renderMediaPlaylist(plan: MediaPlan): string {
  const longest = Math.max(...plan.segments.map((s) => s.durationSec));
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    // RFC 8216 §4.3.3.1: every EXTINF, rounded, must be at most this.
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.round(longest))}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MAP:URI="${HLS_FILES.init}"`,
  ];
  for (const [n, s] of plan.segments.entries()) lines.push(`#EXTINF:${s.durationSec.toFixed(6)},`, segmentFile(n));
  lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

/**
 * What a rendition is declared to need, before it exists: BANDWIDTH bounds a full segment's
 * bit rate (RFC 8216 §4.3.4.2), since VBV lets no window of T seconds hold more than
 * maxrate × T + bufsize bits; AVERAGE-BANDWIDTH is the target rate. Both include the audio.
 */
export function declaredBandwidth(plan: MediaPlan, r: RenditionPlan): { peak: number; average: number } {
  const audio = plan.audio?.bitrate ?? 0;
  return { peak: Math.ceil(r.maxrate + r.bufsize / SEGMENT_SECONDS + audio), average: r.videoBitrate + audio };
}

export function renderPlannedMaster(plan: MediaPlan): string {
  const audio = plan.audio;
  if (plan.video.length === 0) {
    return renderMasterPlaylist([
      { uri: `${audio!.name}/${HLS_FILES.playlist}`, bandwidth: audio!.bitrate, averageBandwidth: audio!.bitrate, codecs: audio!.codecs },
    ]);
  }
  const variants = plan.video.map((r) => {
    const { peak, average } = declaredBandwidth(plan, r);
    return {
      uri: `${r.name}/${HLS_FILES.playlist}`,
      bandwidth: peak,
      averageBandwidth: average,
      codecs: audio ? `${r.codecs},${audio.codecs}` : r.codecs,
      width: r.width,
      height: r.height,
      fps: r.fps,
      ...(audio ? { audioGroup: audio.name } : {}),
    };
  });
  return renderMasterPlaylist(variants, audio ? [{ group: audio.name, name: 'Audio', uri: `${audio.name}/${HLS_FILES.playlist}` }] : []);
}

/** Every rendition of the plan by name: the video rungs, then the audio. */
export function renditionNames(plan: MediaPlan): string[] {
  return [...plan.video.map((r) => r.name), ...(plan.audio ? [plan.audio.name] : [])];
}

/** Every playlist of the plan, by path relative to the HLS directory, the master last. */
export function plannedPlaylists(plan: MediaPlan): Array<{ relative: string; rendition: string | null; text: string }> {
  const media = renderMediaPlaylist(plan);
  return [
    ...renditionNames(plan).map((name) => ({ relative: `${name}/${HLS_FILES.playlist}`, rendition: name, text: media })),
    { relative: HLS_FILES.master, rendition: null, text: renderPlannedMaster(plan) },
  ];
}
