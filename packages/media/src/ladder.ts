import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HLS_FILES } from '@kino/artifacts';
import { readInitSegment } from './codec-string.ts';
import { mediaInput } from './confine.ts';
import { aacArgs, holdLastFrame, renditionVideoArgs, videoFilter, type PictureInfo } from './encoding.ts';
import { MediaError } from './errors.ts';
import { runFfmpeg } from './ffmpeg.ts';
import { parseMediaPlaylist } from './master-playlist.ts';
import type { ProbeResult } from './probe.ts';
import type { RunOptions } from './process.ts';
import { plannedPlaylists, SEGMENT_SECONDS, type MediaPlan } from './segment-plan.ts';

export interface LadderRendition {
  name: string;
  /** Absolute directory holding this rendition's files. */
  dir: string;
  /** Its init segment and segments, relative to the HLS directory: '720p/init.mp4', '720p/0.m4s', … */
  files: string[];
}

/**
 * Encodes every video rendition of the plan in one ffmpeg process: the source is decoded
 * once and `split` hands the frames to one encoder per rung. The segments are those the
 * plan's playlists list (checked): the playlists themselves come from the plan, not from
 * ffmpeg, and are written by writePlaylists.
 */
export async function makeLadder(
  src: string,
  hlsDir: string,
  p: ProbeResult,
  plan: MediaPlan,
  opts: RunOptions = {},
): Promise<LadderRendition[]> {
  return encodeRenditions(
    plan.video.map((r) => ({ name: r.name, codecs: r.codecs })),
    ladderArgs(src, hlsDir, p, plan),
    hlsDir,
    plan,
    opts,
  );
}

/** The audio rendition: encoded once, apart from the video, as its own HLS rendition group. */
export async function makeAudio(
  src: string,
  hlsDir: string,
  p: ProbeResult,
  plan: MediaPlan,
  opts: RunOptions = {},
): Promise<LadderRendition> {
  if (!p.audio || !plan.audio) throw new Error('the source has no audio to encode');
  const [audio] = await encodeRenditions([plan.audio], audioArgs(src, hlsDir, p, plan), hlsDir, plan, opts);
  return audio!;
}

async function encodeRenditions(
  renditions: Array<{ name: string; codecs: string }>,
  args: string[],
  hlsDir: string,
  plan: MediaPlan,
  opts: RunOptions,
): Promise<LadderRendition[]> {
  const dirs = renditions.map((r) => join(hlsDir, r.name));
  try {
    for (const dir of dirs) {
      // Leftovers of an earlier attempt would end up listed as this run's segments.
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
    }
    await runFfmpeg(args, { ...opts, durationSec: plan.durationSec });
    return await Promise.all(renditions.map((r, i) => checkedRendition(r, dirs[i]!, plan, opts)));
  } catch (err) {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    throw err;
  }
}

/**
 * The published playlists were written from the plan before this encode: ffmpeg's own
 * playlist must have cut the segments they list, and the init segment must carry the codec
 * the master names.
 */
async function checkedRendition(
  { name, codecs }: { name: string; codecs: string },
  dir: string,
  plan: MediaPlan,
  opts: RunOptions,
): Promise<LadderRendition> {
  const own = join(dir, HLS_FILES.playlist);
  const cut = parseMediaPlaylist(await readFile(own, 'utf8'));
  await rm(own);
  const failed = (what: string) => new MediaError('FFMPEG_FAILED', `Video processing failed: the ${name} rendition ${what}.`);
  if (cut.initUri !== HLS_FILES.init || cut.segments.length !== plan.segments.length) {
    throw failed(`came out as ${cut.segments.length} segments where ${plan.segments.length} were planned`);
  }
  const actual = (await readInitSegment(join(dir, HLS_FILES.init), opts)).codecs.join(',');
  if (actual !== codecs) throw failed(`came out as ${actual} where the master names ${codecs}`);
  return { name, dir, files: [HLS_FILES.init, ...cut.segments.map((s) => s.uri)].map((f) => `${name}/${f}`) };
}

/** Writes the plan's playlists (master last) under `hlsDir`: what the pipeline publishes first. */
export async function writePlaylists(
  hlsDir: string,
  plan: MediaPlan,
): Promise<Array<{ relative: string; rendition: string | null; file: string }>> {
  const out = [];
  for (const p of plannedPlaylists(plan)) {
    const file = join(hlsDir, p.relative);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, p.text);
    out.push({ relative: p.relative, rendition: p.rendition, file });
  }
  return out;
}

/** The ladder as one ffmpeg argument list; exported so benchmarks can run the same command bare. */
export function ladderArgs(src: string, hlsDir: string, p: ProbeResult, plan: MediaPlan): string[] {
  const video = p.video;
  if (!video) return [];
  const args = [...mediaInput(src, p.formatName), '-filter_complex', cascadeGraph(video, plan)];
  const frames = String(plan.segments.reduce((n, s) => n + (s.frames ?? 0), 0));
  plan.video.forEach((r, i) => {
    args.push('-map', `[v${i}]`, '-frames:v', frames, ...renditionVideoArgs(r, video));
    args.push(...hlsOutput(join(hlsDir, r.name)));
  });
  return args;
}

/** The audio rendition as one ffmpeg argument list: AAC, exactly as long as the plan. */
function audioArgs(src: string, hlsDir: string, p: ProbeResult, plan: MediaPlan): string[] {
  const end = plan.audio!.durationSec.toFixed(6);
  // biome-ignore format: ffmpeg options read in pairs
  return [
    ...mediaInput(src, p.formatName),
    '-map', `0:${p.audio!.index}`,
    // Silence where the source's audio stops short of the video; -t cuts it where it runs on.
    '-af', `apad=whole_dur=${end}`,
    '-t', end,
    ...aacArgs(plan.audio!.bitrate),
    ...hlsOutput(join(hlsDir, plan.audio!.name)),
  ];
}

/**
 * CMAF HLS into `dir`: `init.mp4`, `{n}.m4s` from `startNumber`, and ffmpeg's own playlist.
 * `segmentSeconds` longer than the input makes one segment of it all.
 */
export function hlsOutput(dir: string, startNumber = 0, segmentSeconds = SEGMENT_SECONDS): string[] {
  // biome-ignore format: ffmpeg options read in pairs
  return [
    '-f', 'hls',
    '-hls_time', String(segmentSeconds),
    '-hls_playlist_type', 'vod',
    '-hls_segment_type', 'fmp4',
    '-hls_fmp4_init_filename', HLS_FILES.init,
    '-hls_segment_filename', join(dir, HLS_FILES.segmentTemplate),
    '-start_number', String(startNumber),
    '-hls_flags', 'independent_segments',
    join(dir, HLS_FILES.playlist),
  ];
}

/**
 * Each rung is scaled from the next larger one rather than from the source. ffmpeg 5.1 runs
 * the whole graph on one thread, and scaling a 1080p source four times over held a 2-core
 * ladder back by a third; from the rung above, each scale reads a fraction of the pixels.
 * The largest rung gets the one deinterlace and colour conversion (see normalisePicture), the
 * one frame-rate conversion and the one full-size scale; the rungs below inherit its frames.
 */
function cascadeGraph(video: PictureInfo & { index: number }, plan: MediaPlan): string {
  const order = plan.video.map((r, i) => ({ r, i })).sort((a, b) => b.r.width * b.r.height - a.r.width * a.r.height);
  const graph: string[] = [];
  let input = `[0:${video.index}]`;
  order.forEach(({ r, i }, k) => {
    const first = k === 0 ? `${videoFilter(r, video)},${holdLastFrame(plan)}` : `scale=${r.width}:${r.height},setsar=1`;
    const last = k === order.length - 1;
    graph.push(`${input}${first}${last ? `[v${i}]` : `,split=2[v${i}][c${k}]`}`);
    input = `[c${k}]`;
  });
  return graph.join(';');
}
