import { join } from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImagePath } from '@kino/artifacts';
import { makeStoryboard, MediaError, probe, renderImage, type ProbeResult } from '../src/index.ts';
import { ffprobe, makeFixture, meanLuma, tempDir } from './helpers.ts';

const exec = promisify(execFile);
let dir: string;
let cleanup: () => Promise<void>;
let src: string;
let p: ProbeResult;
let portrait: string;
let pp: ProbeResult;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  [src, portrait] = await Promise.all([
    makeFixture('standard', join(dir, 'src.mp4'), { seconds: 4 }),
    makeFixture('portrait-rotated', join(dir, 'portrait.mp4'), { seconds: 2 }),
  ]);
  [p, pp] = await Promise.all([probe(src), probe(portrait)]);
});
afterAll(() => cleanup());

/** Frames and size of an output, counted by ffprobe decoding it. */
async function frames(file: string): Promise<{ codec: string; width: number; height: number; frames: number }> {
  const { stdout } = await exec('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height,nb_read_frames',
    '-of',
    'json',
    file,
  ]);
  const s = (JSON.parse(stdout) as { streams: Array<Record<string, string | number>> }).streams[0]!;
  return { codec: String(s['codec_name']), width: Number(s['width']), height: Number(s['height']), frames: Number(s['nb_read_frames']) };
}

async function render(path: string, source = src, probed = p): Promise<string> {
  const out = join(dir, path.replaceAll('/', '_'));
  await renderImage(source, probed, parseImagePath(path)!, out);
  return out;
}

describe('renderImage', () => {
  it('writes one frame at the time asked, in each format and box', async () => {
    const cases: Array<[string, string, number, number]> = [
      ['images/t1500-w0-h0-preserve.jpg', 'mjpeg', 320, 240],
      ['images/t1500-w160-h0-preserve.webp', 'webp', 160, 120],
      ['images/t0-w0-h90-preserve.png', 'png', 120, 90],
      ['images/t2000-w200-h200-preserve.jpg', 'mjpeg', 200, 150],
      ['images/t2000-w200-h200-crop.jpg', 'mjpeg', 200, 200],
      ['images/t2000-w200-h200-pad.png', 'png', 200, 200],
    ];
    for (const [path, codec, width, height] of cases) {
      const f = await frames(await render(path));
      expect([path, f]).toEqual([path, { codec, width, height, frames: 1 }]);
    }
    // A rotated source is pictured as it is shown.
    expect(await frames(await render('images/t500-w0-h0-preserve.jpg', portrait, pp))).toMatchObject({ width: 180, height: 320 });
    expect(await meanLuma(await render('images/t1500-w0-h0-preserve.jpg'))).toBeGreaterThan(30);
  });

  it('seeks: frames at different times differ', async () => {
    const [a, b] = await Promise.all([render('images/t100-w0-h0-preserve.png'), render('images/t3000-w0-h0-preserve.png')]);
    expect((await readFile(a)).equals(await readFile(b))).toBe(false);
  });

  it('writes animated GIF and WebP with the frames the range and rate make', async () => {
    const gif = await frames(await render('images/a500-2500-f10-w160.gif'));
    expect(gif).toEqual({ codec: 'gif', width: 160, height: 120, frames: 20 });
    const webp = join(dir, 'anim.webp');
    await renderImage(src, p, parseImagePath('images/a0-1000-f5-w160.webp')!, webp);
    // ffprobe 5.1 cannot decode animated WebP; its header names the animation and its frames.
    const bytes = await readFile(webp);
    expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
    expect(bytes.includes(Buffer.from('ANIM'))).toBe(true);
    let anmf = 0;
    for (let at = bytes.indexOf('ANMF'); at !== -1; at = bytes.indexOf('ANMF', at + 4)) anmf += 1;
    expect(anmf).toBe(5);
  });

  it('shows the last frame for a time within its span, where a seek finds none', async () => {
    expect(await frames(await render('images/t3990-w0-h0-preserve.jpg'))).toMatchObject({ frames: 1 });
  });

  it('fails without leaving a file when there is no picture to take', async () => {
    const audio = await makeFixture('audio-only', join(dir, 'audio.mp4'), { seconds: 1 });
    const out = join(dir, 'audio.jpg');
    await expect(renderImage(audio, await probe(audio), parseImagePath('images/t0-w0-h0-preserve.jpg')!, out)).rejects.toBeInstanceOf(
      MediaError,
    );
    await expect(stat(out)).rejects.toThrow();
  });
});

describe('makeStoryboard', () => {
  it('writes a sprite of one tile a second and a WebVTT file whose cues point into it', async () => {
    const files = { sprite: join(dir, 'sb.jpg'), vtt: join(dir, 'sb.vtt') };
    const layout = await makeStoryboard(src, p, files);
    expect(layout).toMatchObject({ intervalSec: 1, tiles: 4, columns: 4, rows: 1, tileWidth: 160, tileHeight: 120 });
    const sprite = (await ffprobe(files.sprite)).streams[0]!;
    expect([sprite.width, sprite.height]).toEqual([640, 120]);
    const vtt = await readFile(files.vtt, 'utf8');
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    const cues = [...vtt.matchAll(/^(\S+) --> (\S+)\nstoryboard\.jpg#xywh=(\d+),(\d+),(\d+),(\d+)$/gm)];
    expect(cues.map((c) => [c[1], c[3], c[4], c[5], c[6]])).toEqual([
      ['00:00:00.000', '0', '0', '160', '120'],
      ['00:00:01.000', '160', '0', '160', '120'],
      ['00:00:02.000', '320', '0', '160', '120'],
      ['00:00:03.000', '480', '0', '160', '120'],
    ]);
    // Every tile lies inside the sprite.
    for (const c of cues) expect(Number(c[3]) + Number(c[5])).toBeLessThanOrEqual(sprite.width!);
  });
});
