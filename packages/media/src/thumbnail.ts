import { rm, stat } from 'node:fs/promises';
import { mediaInput } from './confine.ts';
import { normalisePicture } from './encoding.ts';
import { MediaError } from './errors.ts';
import { runFfmpeg } from './ffmpeg.ts';
import type { ProbeResult } from './probe.ts';
import type { RunOptions } from './process.ts';

const MAX_WIDTH = 1280;
/** Far enough in to pass title cards and fades, close enough that seeking stays cheap. */
const SEEK_FRACTION = 0.15;
const MAX_SEEK_SEC = 10;
/** How much video, at most, is read looking for a frame that is not dark. */
const WINDOW_SEC = 20;
/** Candidates are sampled at this rate, so the pick spans seconds rather than a few frames. */
const SAMPLE_FPS = 4;
const CANDIDATES = 12;
/** Mean luma of a frame worth showing; limited-range black is 16. */
const MIN_MEAN_LUMA = 24;
const WAVEFORM = { size: '1280x720', background: '0x111827', wave: '0x60a5fa', maxSec: 60 };

/**
 * A JPEG that represents the asset: the most typical of a dozen frames sampled after the
 * first seconds, skipping dark ones. Audio gets a waveform, so every asset has a picture.
 */
export async function makeThumbnail(src: string, outFile: string, p: ProbeResult, opts: RunOptions = {}): Promise<void> {
  // A failed or empty run must not leave a stale picture that looks like success.
  await rm(outFile, { force: true });
  try {
    if (!p.video) {
      await waveform(src, outFile, p, opts);
      return;
    }
    await frame(src, outFile, p, { selective: true, seek: Math.min(p.durationSec * SEEK_FRACTION, MAX_SEEK_SEC) }, opts);
    // Nothing bright in the window, or too few frames to sample: any frame from the start
    // will do. The first pass already reported completion, so this one stays quiet.
    if (!(await exists(outFile))) await frame(src, outFile, p, { selective: false, seek: 0 }, { ...opts, onProgress: undefined });
    if (!(await exists(outFile))) {
      throw new MediaError('FFMPEG_FAILED', 'Video processing failed: no frame of the video could be decoded.');
    }
  } catch (err) {
    await rm(outFile, { force: true });
    throw err;
  }
}

async function frame(
  src: string,
  outFile: string,
  p: ProbeResult,
  { selective, seek }: { selective: boolean; seek: number },
  opts: RunOptions,
): Promise<void> {
  const video = p.video!;
  const width = Math.min(MAX_WIDTH, video.displayWidth);
  const height = Math.max(1, Math.round((width * video.displayHeight) / video.displayWidth));
  const window = Math.min(WINDOW_SEC, p.durationSec - seek);
  // Deinterlaced before sampling (it reads neighbouring frames); colour after, so only the
  // sampled frames pay for a tone map.
  const { deinterlace, colour } = normalisePicture(video);
  const filters = selective
    ? [
        ...deinterlace,
        `fps=${SAMPLE_FPS}`,
        ...colour,
        `scale=${width}:${height}`,
        'setsar=1',
        'signalstats',
        `metadata=mode=select:key=lavfi.signalstats.YAVG:value=${MIN_MEAN_LUMA}:function=greater`,
        `thumbnail=${CANDIDATES}`,
      ]
    : [...deinterlace, ...colour, `scale=${width}:${height}`, 'setsar=1', `thumbnail=${CANDIDATES}`];
  // biome-ignore format: ffmpeg options read in pairs
  await runFfmpeg(
    [
      '-ss', seek.toFixed(3), '-t', window.toFixed(3), ...mediaInput(src, p.formatName),
      '-map', `0:${video.index}`, '-vf', filters.join(','),
      '-frames:v', '1', '-q:v', '3', '-f', 'image2', '-update', '1', outFile,
    ],
    { ...opts, durationSec: window },
  );
}

async function waveform(src: string, outFile: string, p: ProbeResult, opts: RunOptions): Promise<void> {
  const seconds = Math.min(p.durationSec, WAVEFORM.maxSec);
  const graph =
    `color=c=${WAVEFORM.background}:s=${WAVEFORM.size}[bg];` +
    `[0:${p.audio!.index}]aformat=channel_layouts=mono,showwavespic=s=${WAVEFORM.size}:colors=${WAVEFORM.wave}:scale=sqrt[w];` +
    '[bg][w]overlay=shortest=1:format=auto';
  await runFfmpeg(
    [
      '-t',
      seconds.toFixed(3),
      ...mediaInput(src, p.formatName),
      '-filter_complex',
      graph,
      '-frames:v',
      '1',
      '-q:v',
      '3',
      '-f',
      'image2',
      '-update',
      '1',
      outFile,
    ],
    { ...opts, durationSec: seconds },
  );
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.size > 0,
    () => false,
  );
}
