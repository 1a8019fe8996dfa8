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
const STILL_OUTPUT: Record<StillImage['format'], string[]> = {
  jpg: ['-c:v', 'mjpeg', '-q:v', '3', '-f', 'image2', '-update', '1'],
  png: ['-c:v', 'png', '-f', 'image2', '-update', '1'],
  webp: ['-c:v', 'libwebp', '-quality', '80', '-f', 'webp'],
};
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
 * duration; a seek that still finds no frame (a time in the last frame's shadow) fails as
 * FFMPEG_FAILED and leaves nothing behind.
 */
export async function renderImage(src: string, p: ProbeResult, v: ImageVariant, outFile: string, opts: RunOptions = {}): Promise<void> {
  const video = p.video;
  if (!video) throw new MediaError('FFMPEG_FAILED', 'The asset has no video to take a picture of.');
  await rm(outFile, { force: true });
  const { deinterlace, colour } = normalisePicture(video);
  let args: string[];
  let durationSec: number;
  if (v.type === 'still') {
    durationSec = 0;
    const filters = [...deinterlace, ...colour, ...stillGeometry(v, video.displayWidth, video.displayHeight), 'setsar=1'];
    // biome-ignore format: ffmpeg options read in pairs
    args = [
      '-ss', (v.timeMs / 1000).toFixed(3), ...mediaInput(src, p.formatName),
      '-map', `0:${video.index}`, '-an', '-sn', '-vf', filters.join(','), '-frames:v', '1',
      ...STILL_OUTPUT[v.format], outFile,
    ];
  } else {
    durationSec = (v.endMs - v.startMs) / 1000;
    const height = even((v.width * video.displayHeight) / video.displayWidth);
    const picture = [...deinterlace, `fps=${v.fps}`, ...colour, `scale=${v.width}:${height}`, 'setsar=1'].join(',');
    // A GIF has 256 colours: one palette made for these frames (only what changes counts),
    // then applied with ordered dithering, which compresses far better than error diffusion.
    const graph = v.format === 'gif' ? `${picture},split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer` : picture;
    // biome-ignore format: ffmpeg options read in pairs
    args = [
      '-ss', (v.startMs / 1000).toFixed(3), '-t', durationSec.toFixed(3), ...mediaInput(src, p.formatName),
      '-map', `0:${video.index}`, '-an', '-sn', '-vf', graph,
      ...ANIMATED_OUTPUT[v.format], outFile,
    ];
  }
  try {
    await runFfmpeg(args, { ...opts, durationSec });
    const written = await stat(outFile).then(
      (s) => s.size > 0,
      () => false,
    );
    if (!written) throw new MediaError('FFMPEG_FAILED', 'No frame of the video was found at that time.');
  } catch (err) {
    await rm(outFile, { force: true });
    throw err;
  }
}
