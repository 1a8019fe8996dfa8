import { rm, stat } from 'node:fs/promises';
import { IMAGE_LIMITS, type AnimatedImage, type ImageVariant, type StillImage } from '@kino/artifacts';
import { mediaInput } from './confine.ts';
import { normalisePicture } from './encoding.ts';
import { MediaError } from './errors.ts';
import { runFfmpeg } from './ffmpeg.ts';
import type { ProbeResult } from './probe.ts';
import type { RunOptions } from './process.ts';

// Images made on demand (see packages/artifacts images.ts): one still frame, or a short
// animation, read from the source with an accurate seek, so the cost does not grow with the
// position and only the bytes near it are fetched from the origin.

/** Encoder options by output format; the muxer is named, never guessed from a file name. */
// biome-ignore format: ffmpeg options read in pairs
const STILL_CODEC: Record<StillImage['format'], string[]> = {
  jpg: ['-c:v', 'mjpeg', '-q:v', '3'],
  png: ['-c:v', 'png'],
  webp: ['-c:v', 'libwebp', '-quality', '80'],
};
/** One picture, rewritten by each frame that comes: the last one stays. */
const STILL_MUXER = ['-f', 'image2', '-update', '1'];
/** How far before the end the fallback for a late time starts reading. */
const TAIL_SEC = 1;
// biome-ignore format: ffmpeg options read in pairs
const ANIMATED_OUTPUT: Record<AnimatedImage['format'], string[]> = {
  gif: ['-loop', '0', '-f', 'gif'],
  webp: ['-c:v', 'libwebp_anim', '-quality', '70', '-loop', '0', '-f', 'webp'],
};

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/**
 * The size a still is scaled to before any crop or pad, and the filters that make its box:
 * computed here from the probe's display size, so the graph holds plain numbers.
 */
export function stillGeometry(v: Pick<StillImage, 'width' | 'height' | 'fit'>, displayWidth: number, displayHeight: number): string[] {
  const { width: W, height: H } = v;
  const max = IMAGE_LIMITS.maxDimension;
  if (W === 0 && H === 0) {
    const f = Math.min(1, max / displayWidth, max / displayHeight);
    return [`scale=${even(displayWidth * f)}:${even(displayHeight * f)}`];
  }
  if (W === 0) return [`scale=${even((H * displayWidth) / displayHeight)}:${H}`];
  if (H === 0) return [`scale=${W}:${even((W * displayHeight) / displayWidth)}`];
  if (v.fit === 'crop') {
    const f = Math.max(W / displayWidth, H / displayHeight);
    // Never smaller than the box, so the crop always has enough to cut from.
    return [`scale=${Math.max(W, even(displayWidth * f))}:${Math.max(H, even(displayHeight * f))}`, `crop=${W}:${H}`];
  }
  const f = Math.min(W / displayWidth, H / displayHeight);
  const fitted = `scale=${Math.min(W, even(displayWidth * f))}:${Math.min(H, even(displayHeight * f))}`;
  // Negative offsets centre the picture in the pad.
  return v.fit === 'pad' ? [fitted, `pad=${W}:${H}:-1:-1`] : [fitted];
}

/**
 * Renders a variant to `outFile`. The caller has checked the times against the asset's
 * duration. A still at a time past the last frame's start (the container may run on with
 * audio) finds no frame by seeking; it is made again from the last second, whose final
 * frame stays. A run that writes nothing fails as FFMPEG_FAILED and leaves nothing behind.
 */
export async function renderImage(src: string, p: ProbeResult, v: ImageVariant, outFile: string, opts: RunOptions = {}): Promise<void> {
  const video = p.video;
  if (!video) throw new MediaError('FFMPEG_FAILED', 'The asset has no video to take a picture of.');
  await rm(outFile, { force: true });
  const { deinterlace, colour } = normalisePicture(video);
  if (v.type === 'still') {
    const filters = [...deinterlace, ...colour, ...stillGeometry(v, video.displayWidth, video.displayHeight), 'setsar=1'].join(',');
    // biome-ignore format: ffmpeg options read in pairs
    const still = (seekSec: number, frames: string[]) => [
      '-ss', seekSec.toFixed(3), ...mediaInput(src, p.formatName),
      '-map', `0:${video.index}`, '-an', '-sn', '-vf', filters, ...frames,
      ...STILL_CODEC[v.format], ...STILL_MUXER, outFile,
    ];
    return written(outFile, async () => {
      await runFfmpeg(still(v.timeMs / 1000, ['-frames:v', '1']), opts);
      if (!(await nonEmpty(outFile)) && v.timeMs / 1000 > p.durationSec - TAIL_SEC) {
        await runFfmpeg(still(Math.max(0, p.durationSec - TAIL_SEC), []), { ...opts, durationSec: TAIL_SEC });
      }
    });
  }
  const durationSec = (v.endMs - v.startMs) / 1000;
  const height = even((v.width * video.displayHeight) / video.displayWidth);
  const picture = [...deinterlace, `fps=${v.fps}`, ...colour, `scale=${v.width}:${height}`, 'setsar=1'].join(',');
  // A GIF has 256 colours: one palette made for these frames (only what changes counts),
  // then applied with ordered dithering, which compresses far better than error diffusion.
  const graph = v.format === 'gif' ? `${picture},split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer` : picture;
  // biome-ignore format: ffmpeg options read in pairs
  const args = [
    '-ss', (v.startMs / 1000).toFixed(3), '-t', durationSec.toFixed(3), ...mediaInput(src, p.formatName),
    '-map', `0:${video.index}`, '-an', '-sn', '-vf', graph,
    ...ANIMATED_OUTPUT[v.format], outFile,
  ];
  return written(outFile, () => runFfmpeg(args, { ...opts, durationSec }));
}

const nonEmpty = (file: string) =>
  stat(file).then(
    (s) => s.size > 0,
    () => false,
  );

/** Runs `make`, which should write `outFile`; a failure, or nothing written, leaves no file. */
async function written(outFile: string, make: () => Promise<void>): Promise<void> {
  try {
    await make();
    if (!(await nonEmpty(outFile))) throw new MediaError('FFMPEG_FAILED', 'No frame of the video was found at that time.');
  } catch (err) {
    await rm(outFile, { force: true });
    throw err;
  }
}
