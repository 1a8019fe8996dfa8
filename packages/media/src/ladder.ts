import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HLS_FILES } from '@kino/artifacts';
import { readInitSegment } from './codec-string.ts';
import { mediaInput } from './confine.ts';
import { aacArgs, H264_ARGS, normalisePicture, videoFilter, type PictureInfo } from './encoding.ts';
import { MediaError } from './errors.ts';
import { runFfmpeg } from './ffmpeg.ts';
import type { RenditionPlan } from './ladder-plan.ts';
import { parseMediaPlaylist, renderMasterPlaylist, segmentBandwidths } from './master-playlist.ts';
import type { ProbeResult } from './probe.ts';
import type { RunOptions } from './process.ts';

export const SEGMENT_SECONDS = 4;

export interface LadderRendition {
  name: string;
  width?: number;
  height?: number;
  /** Peak segment bit rate, bits/s, as in the master's BANDWIDTH. */
  bandwidth: number;
  averageBandwidth: number;
  codecs: string;
  /** Absolute directory holding this rendition's files. */
  dir: string;
  /** Relative to the HLS directory: '720p/index.m3u8', '720p/init.mp4', '720p/0.m4s', … */
  files: string[];
}

export interface LadderResult {
  masterPath: string;
  renditions: LadderRendition[];
}

/**
 * Encodes every rendition in one ffmpeg process: the source is decoded once and `split`
 * hands the frames to one encoder per rung. Keyframes are forced on the same 4-second grid in
 * every rendition, so segment n covers the same time in all of them and players can switch
 * between any two segments. Writes `master.m3u8` last, so its presence means a whole ladder.
 */
export async function makeLadder(
  src: string,
  hlsDir: string,
  p: ProbeResult,
  plan: RenditionPlan[],
  opts: RunOptions = {},
): Promise<LadderResult> {
  const masterPath = join(hlsDir, HLS_FILES.master);
  const dirs = plan.map((r) => join(hlsDir, r.name));
  try {
    await rm(masterPath, { force: true });
    for (const dir of dirs) {
      // Leftovers of an earlier attempt would end up listed as this run's segments.
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
    }
    await runFfmpeg(ladderArgs(src, hlsDir, p, plan), { ...opts, durationSec: p.durationSec });

    const renditions: LadderRendition[] = [];
    for (const r of plan) renditions.push(await describeRendition(hlsDir, r, opts));
    const variants = renditions.map((r, i) => ({
      uri: `${r.name}/${HLS_FILES.playlist}`,
      bandwidth: r.bandwidth,
      averageBandwidth: r.averageBandwidth,
      codecs: r.codecs,
      width: r.width,
      height: r.height,
      fps: plan[i]!.fps,
    }));
    variants.sort((a, b) => b.bandwidth - a.bandwidth);
    await writeFile(masterPath, renderMasterPlaylist(variants));
    return { masterPath, renditions };
  } catch (err) {
    await Promise.all([rm(masterPath, { force: true }), ...dirs.map((d) => rm(d, { recursive: true, force: true }))]);
    throw err;
  }
}

/** The ladder as one ffmpeg argument list; exported so benchmarks can run the same command bare. */
export function ladderArgs(src: string, hlsDir: string, p: ProbeResult, plan: RenditionPlan[]): string[] {
  const args = mediaInput(src, p.formatName);
  const video = p.video;
  if (video) args.push('-filter_complex', cascadeGraph(video, plan));
  const colourTags = normalisePicture(video).outputArgs;
  plan.forEach((r, i) => {
    if (video) {
      const gop = String(Math.ceil(r.fps * SEGMENT_SECONDS));
      // biome-ignore format: ffmpeg options read in pairs
      args.push(
        '-map', `[v${i}]`,
        ...H264_ARGS,
        ...colourTags,
        '-b:v', String(r.videoBitrate),
        '-maxrate', String(r.maxrate),
        '-bufsize', String(r.bufsize),
        // Same grid, no scene-cut keyframes, and a GOP no shorter than a segment: only the
        // forced keyframes start segments.
        '-g', gop,
        '-sc_threshold', '0',
        '-force_key_frames', `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
      );
    }
    // Each output maps the decoded audio again; ffmpeg decodes it once and resamples per output.
    if (p.audio) args.push('-map', `0:${p.audio.index}`, ...aacArgs(r.audioBitrate));
    const dir = join(hlsDir, r.name);
    // biome-ignore format: ffmpeg options read in pairs
    args.push(
      '-f', 'hls',
      '-hls_time', String(SEGMENT_SECONDS),
      '-hls_playlist_type', 'vod',
      '-hls_segment_type', 'fmp4',
      '-hls_fmp4_init_filename', HLS_FILES.init,
      '-hls_segment_filename', join(dir, HLS_FILES.segmentTemplate),
      '-hls_flags', 'independent_segments',
      join(dir, HLS_FILES.playlist),
    );
  });
  return args;
}

/**
 * Each rung is scaled from the next larger one rather than from the source. ffmpeg 5.1 runs
 * the whole graph on one thread, and scaling a 1080p source four times over held a 2-core
 * ladder back by a third; from the rung above, each scale reads a fraction of the pixels.
 * The largest rung gets the one deinterlace and colour conversion (see normalisePicture), the
 * one frame-rate conversion and the one full-size scale; the rungs below inherit its frames.
 */
function cascadeGraph(video: PictureInfo & { index: number }, plan: RenditionPlan[]): string {
  const order = plan.map((r, i) => ({ r, i })).sort((a, b) => b.r.width * b.r.height - a.r.width * a.r.height);
  const graph: string[] = [];
  let input = `[0:${video.index}]`;
  order.forEach(({ r, i }, k) => {
    const first = k === 0 ? videoFilter(r, video) : `scale=${r.width}:${r.height},setsar=1`;
    const last = k === order.length - 1;
    graph.push(`${input}${first}${last ? `[v${i}]` : `,split=2[v${i}][c${k}]`}`);
    input = `[c${k}]`;
  });
  return graph.join(';');
}

async function describeRendition(hlsDir: string, r: RenditionPlan, opts: RunOptions): Promise<LadderRendition> {
  const dir = join(hlsDir, r.name);
  const playlist = parseMediaPlaylist(await readFile(join(dir, HLS_FILES.playlist), 'utf8'));
  if (!playlist.initUri || playlist.segments.length === 0) {
    throw new MediaError('FFMPEG_FAILED', `Video processing failed: the ${r.name} rendition came out empty.`);
  }
  const segments = await Promise.all(playlist.segments.map(async (s) => ({ ...s, bytes: (await stat(join(dir, s.uri))).size })));
  const { peak, average } = segmentBandwidths(segments);
  const init = await readInitSegment(join(dir, playlist.initUri), opts);
  return {
    name: r.name,
    ...(init.width && init.height ? { width: init.width, height: init.height } : {}),
    bandwidth: peak,
    averageBandwidth: average,
    codecs: init.codecs.join(','),
    dir,
    files: [HLS_FILES.playlist, playlist.initUri, ...playlist.segments.map((s) => s.uri)].map((f) => `${r.name}/${f}`),
  };
}
