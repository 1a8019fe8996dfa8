import { fpsExpr } from './frame-rate.ts';
import { levelName } from './h264-level.ts';
import type { RenditionPlan } from './ladder-plan.ts';
import type { ProbeResult } from './probe.ts';
import { SEGMENT_SECONDS, type MediaPlan, type VideoRendition } from './segment-plan.ts';

/** What a probe says about the picture that decides how it is normalised. */
export type PictureInfo = Pick<
  NonNullable<ProbeResult['video']>,
  'fieldOrder' | 'bitDepth' | 'colorTransfer' | 'colorPrimaries' | 'colorSpace'
>;

export interface PictureNormalisation {
  /** First in the chain, before any frame-rate change: deinterlacing reads each frame's neighbours. */
  deinterlace: string[];
  /** After the frame rate is set and before scaling: to 8-bit 4:2:0 SDR in BT.709. */
  colour: string[];
  /** Output options that tag the encode, when the colour was converted (empty otherwise). */
  outputArgs: string[];
}

/** Field orders ffprobe reports for interlaced video (which field is coded, then shown, first). */
const INTERLACED = new Set(['tt', 'bb', 'tb', 'bt']);
/** PQ (HDR10, Dolby Vision's base layer) and HLG. */
const HDR_TRANSFERS = new Set(['smpte2084', 'arib-std-b67']);
/**
 * One frame out per frame in (`send_frame`), so the frame rate stays the source's; field
 * parity from each frame's own flags; every frame, since the probe already said the stream
 * is interlaced.
 */
const DEINTERLACE = 'bwdif=mode=send_frame:parity=auto:deint=all';
/**
 * PQ/HLG to SDR: linear light with 100 nits as 1.0, BT.2020 → BT.709 primaries in float
 * RGB, Hable's curve (no desaturation of highlights), then BT.709 transfer and matrix,
 * limited range, 8-bit 4:2:0.
 */
const TONEMAP = [
  'zscale=t=linear:npl=100',
  'format=gbrpf32le',
  'zscale=p=bt709',
  'tonemap=hable:desat=0',
  'zscale=t=bt709:m=bt709:r=tv',
  'format=yuv420p',
];
// biome-ignore format: ffmpeg options read in pairs
const BT709_TAGS: readonly string[] = ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'];

/**
 * The one place that decides how a source's picture is made plain before it is sized:
 * interlaced sources are deinterlaced, PQ/HLG sources are tone-mapped to SDR BT.709, and
 * deeper-than-8-bit SDR is reduced to 8-bit 4:2:0 (a YUV-to-YUV depth change: no matrix or
 * range conversion, so no colour shift). A progressive 8-bit source gets nothing, so its
 * chains are exactly what they were before this existed.
 */
export function normalisePicture(v: PictureInfo | undefined): PictureNormalisation {
  const n: PictureNormalisation = { deinterlace: [], colour: [], outputArgs: [] };
  if (!v) return n;
  if (v.fieldOrder && INTERLACED.has(v.fieldOrder)) n.deinterlace.push(DEINTERLACE);
  if (v.colorTransfer && HDR_TRANSFERS.has(v.colorTransfer)) {
    // zscale cannot linearise without knowing primaries and matrix; PQ and HLG are defined
    // in BT.2020, so a stream that tags only its transfer gets those.
    const missing: string[] = [];
    if (!known(v.colorPrimaries)) missing.push('color_primaries=bt2020');
    if (!known(v.colorSpace)) missing.push('colorspace=bt2020nc');
    if (missing.length) n.colour.push(`setparams=${missing.join(':')}`);
    n.colour.push(...TONEMAP);
    n.outputArgs.push(...BT709_TAGS);
  } else if (v.bitDepth && v.bitDepth > 8) {
    n.colour.push('format=yuv420p');
  }
  return n;
}

function known(tag: string | undefined): boolean {
  return tag !== undefined && tag !== 'unknown' && tag !== 'unspecified' && tag !== 'reserved';
}

/**
 * Video filter for one rendition. ffmpeg has already applied the source's rotation by the
 * time frames reach the graph, so the plan's display size is what gets scaled to; `setsar=1`
 * makes anamorphic sources square-pixelled, as RESOLUTION in HLS assumes. `source` is the
 * probe's video, which decides the normalisation (see normalisePicture). `seeked`: the input
 * starts at a seek point, and the frame grid must start there (see segment.ts).
 */
export function videoFilter(r: RenditionPlan, source?: PictureInfo, o: { seeked?: boolean } = {}): string {
  const n = normalisePicture(source);
  const fps = `fps=${fpsExpr(r.fps)}${o.seeked ? ':start_time=0' : ''}`;
  // Centred (crop's default x and y); on the plain frame, before it is sized.
  const crop = r.crop ? [`crop=${r.crop.width}:${r.crop.height}`] : [];
  return [...n.deinterlace, fps, ...n.colour, ...crop, `scale=${r.width}:${r.height}`, 'setsar=1', 'format=yuv420p'].join(',');
}

/** H.264 settings every output shares: browsers and phones all decode High profile 4:2:0. */
export const h264Args = (preset: RenditionPlan['x264Preset'] = 'veryfast'): string[] => [
  '-c:v',
  'libx264',
  '-preset',
  preset,
  '-profile:v',
  'high',
];
export const H264_ARGS: readonly string[] = h264Args();

/**
 * The encoder settings of one HLS video rendition, the same for the ladder and for a segment
 * encoded on its own, so both produce the same init segment: the level is fixed (the master
 * names it before anything is encoded), keyframes are forced on the segment grid, and a GOP
 * is never shorter than a segment, so only the forced keyframes start segments.
 */
export function renditionVideoArgs(r: VideoRendition, source: PictureInfo | undefined): string[] {
  // biome-ignore format: ffmpeg options read in pairs
  return [
    ...h264Args(r.x264Preset),
    '-level:v', levelName(r.level),
    ...normalisePicture(source).outputArgs,
    '-b:v', String(r.videoBitrate),
    '-maxrate', String(r.maxrate),
    '-bufsize', String(r.bufsize),
    '-g', String(Math.ceil(r.fps * SEGMENT_SECONDS)),
    '-sc_threshold', '0',
    '-force_key_frames', `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
  ];
}

/**
 * A video rendition's frames run to the plan's end even where the source's video stops
 * short of it (audio that runs longer): the last frame is held. `-frames:v` ends the output.
 */
export function holdLastFrame(plan: Pick<MediaPlan, 'durationSec'>): string {
  return `tpad=stop_mode=clone:stop_duration=${Math.ceil(plan.durationSec)}`;
}

/** AAC-LC, 48 kHz stereo: what every HLS client expects to find, whatever the source had. */
export function aacArgs(bitrate: number): string[] {
  return ['-c:a', 'aac', '-b:a', String(bitrate), '-ar', '48000', '-ac', '2'];
}
