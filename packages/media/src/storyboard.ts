import { rm, writeFile } from 'node:fs/promises';
import { STORYBOARD_SPRITE_PATH } from '@kino/artifacts';
import { mediaInput } from './confine.ts';
import { normalisePicture } from './encoding.ts';
import { MediaError } from './errors.ts';
import { runFfmpeg } from './ffmpeg.ts';
import type { ProbeResult } from './probe.ts';
import type { RunOptions } from './process.ts';

// A storyboard: small frames of the whole video in one sprite sheet, and a WebVTT file
// whose cues say which part of the sheet shows each stretch of time (`#xywh=`). Players
// show the frame under the pointer on the seek bar from it, with two requests in all.

export const STORYBOARD_LIMITS = { tileWidth: 160, maxTiles: 100, columns: 10 } as const;

export interface StoryboardLayout {
  /** Seconds each tile stands for. */
  intervalSec: number;
  tiles: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  durationSec: number;
}

/** One tile per whole number of seconds, as few as keep it to STORYBOARD_LIMITS.maxTiles. */
export function storyboardLayout(p: ProbeResult): StoryboardLayout {
  const video = p.video!;
  const { tileWidth, maxTiles, columns: maxColumns } = STORYBOARD_LIMITS;
  const durationSec = Math.max(p.durationSec, 0.001);
  const intervalSec = Math.max(1, Math.ceil(durationSec / maxTiles));
  const tiles = Math.max(1, Math.ceil(durationSec / intervalSec));
  const columns = Math.min(maxColumns, tiles);
  const tileHeight = Math.max(2, Math.round((tileWidth * video.displayHeight) / video.displayWidth / 2) * 2);
  return { intervalSec, tiles, columns, rows: Math.ceil(tiles / columns), tileWidth, tileHeight, durationSec };
}

const timestamp = (sec: number): string => {
  const ms = Math.round(sec * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
};

/** The WebVTT file: one cue per tile, its URL relative so that it inherits the playlist's token. */
export function storyboardVtt(l: StoryboardLayout): string {
  const cues: string[] = ['WEBVTT', ''];
  for (let i = 0; i < l.tiles; i++) {
    const start = i * l.intervalSec;
    const end = Math.min((i + 1) * l.intervalSec, l.durationSec);
    const x = (i % l.columns) * l.tileWidth;
    const y = Math.floor(i / l.columns) * l.tileHeight;
    cues.push(`${timestamp(start)} --> ${timestamp(end)}`, `${STORYBOARD_SPRITE_PATH}#xywh=${x},${y},${l.tileWidth},${l.tileHeight}`, '');
  }
  return cues.join('\n');
}

/**
 * Writes the sprite sheet (`spriteFile`, JPEG) and the WebVTT file (`vttFile`) of a video
 * source in one decode: a frame every interval (the one nearest its start), scaled to a
 * tile, laid out by `tile`. Null for a source without video: there is nothing to show.
 */
export async function makeStoryboard(
  src: string,
  p: ProbeResult,
  files: { sprite: string; vtt: string },
  opts: RunOptions = {},
): Promise<StoryboardLayout | null> {
  const video = p.video;
  if (!video) return null;
  const l = storyboardLayout(p);
  const { deinterlace, colour } = normalisePicture(video);
  const filters = [
    ...deinterlace,
    `fps=1/${l.intervalSec}:round=down`,
    ...colour,
    `scale=${l.tileWidth}:${l.tileHeight}`,
    'setsar=1',
    `tile=${l.columns}x${l.rows}`,
  ];
  try {
    // biome-ignore format: ffmpeg options read in pairs
    await runFfmpeg(
      [
        ...mediaInput(src, p.formatName), '-map', `0:${video.index}`, '-an', '-sn',
        '-vf', filters.join(','), '-frames:v', '1', '-q:v', '4', '-c:v', 'mjpeg', '-f', 'image2', '-update', '1', files.sprite,
      ],
      { ...opts, durationSec: p.durationSec },
    );
    await writeFile(files.vtt, storyboardVtt(l));
    return l;
  } catch (err) {
    await Promise.all([rm(files.sprite, { force: true }), rm(files.vtt, { force: true })]);
    if (err instanceof MediaError) throw err;
    throw new MediaError('FFMPEG_FAILED', 'Making the storyboard failed.');
  }
}
