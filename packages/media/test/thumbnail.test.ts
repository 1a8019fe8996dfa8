import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeThumbnail, mediaInput, probe, runFfmpeg } from '../src/index.ts';
import { ffprobe, makeFixture, meanLuma, tempDir, type FixtureKind, type FixtureOptions } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

/** Limited-range black decodes to 16; testsrc2's colour bars average well above 80. */
const DARK = 30;

async function thumbnail(kind: FixtureKind, name: string, opts: FixtureOptions = {}) {
  const src = await makeFixture(kind, join(dir, `${name}.src.mp4`), opts);
  const out = join(dir, `${name}.jpg`);
  await makeThumbnail(src, out, await probe(src));
  const v = (await ffprobe(out)).streams[0]!;
  return { src, out, codec: v.codec_name, width: v.width!, height: v.height!, luma: await meanLuma(out) };
}

describe('makeThumbnail', () => {
  it('writes a JPEG of a picture at the source size', async () => {
    const t = await thumbnail('standard', 'standard');
    expect(t).toMatchObject({ codec: 'mjpeg', width: 320, height: 240 });
    expect(t.luma).toBeGreaterThan(DARK);
  });

  it('skips a black intro instead of showing a black frame', async () => {
    const t = await thumbnail('standard', 'intro', { seconds: 6, blackIntroSeconds: 2 });
    // The point the thumbnail seeks to is itself black, so skipping dark frames is what helps.
    const atSeekPoint = join(dir, 'intro-seek-point.jpg');
    await runFfmpeg(['-ss', '0.9', ...mediaInput(t.src), '-frames:v', '1', atSeekPoint]);
    expect(await meanLuma(atSeekPoint)).toBeLessThan(DARK);
    expect(t.luma).toBeGreaterThan(DARK);
  });

  it('still writes a thumbnail when the whole video is dark', async () => {
    const t = await thumbnail('standard', 'dark', { seconds: 3, blackIntroSeconds: 3 });
    expect(t.codec).toBe('mjpeg');
    expect(t.luma).toBeLessThan(DARK);
  });

  it('still writes a thumbnail for a clip of a few frames', async () => {
    const t = await thumbnail('standard', 'blink', { seconds: 0.1 });
    expect(t.codec).toBe('mjpeg');
    expect(t.luma).toBeGreaterThan(DARK);
  });

  it('keeps portrait sources portrait and caps the width at 1280', async () => {
    const [rotated, hd] = await Promise.all([thumbnail('portrait-rotated', 'rotated'), thumbnail('hd', 'hd', { seconds: 1 })]);
    expect([rotated.width, rotated.height]).toEqual([180, 320]);
    expect([hd.width, hd.height]).toEqual([1280, 720]);
  });

  it('draws a waveform for audio-only sources', async () => {
    const t = await thumbnail('audio-only', 'audio');
    expect(t).toMatchObject({ codec: 'mjpeg', width: 1280, height: 720 });
  });
});
