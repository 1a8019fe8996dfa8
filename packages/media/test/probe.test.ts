import { copyFile, open, stat, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError, mediaInput, probe, runFfmpeg } from '../src/index.ts';
import { readTopLevelBoxes } from '../src/boxes.ts';
import { makeFixture, tempDir, type FixtureKind } from './helpers.ts';

const exec = promisify(execFile);

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

const fixture = (kind: FixtureKind, name = `${kind}.mp4`, opts = {}) => makeFixture(kind, join(dir, name), opts);

async function probeError(file: string): Promise<MediaError> {
  const err = await probe(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaError);
  return err as MediaError;
}

describe('probe', () => {
  it('describes a standard H.264 + AAC file', async () => {
    const file = await fixture('standard', 'standard.mp4', { seconds: 3 });
    const p = await probe(file);
    expect(p).toMatchObject({
      durationSec: 3,
      sizeBytes: (await stat(file)).size,
      formatName: expect.stringContaining('mp4'),
      video: {
        index: 0,
        codec: 'h264',
        width: 320,
        height: 240,
        displayWidth: 320,
        displayHeight: 240,
        rotation: 0,
        fps: 30,
        pixFmt: 'yuv420p',
      },
      audio: { index: 1, codec: 'aac', channels: 1, sampleRate: 44100 },
    });
    expect(p.bitRate).toBeGreaterThan(0);
    expect(p.video!.bitRate).toBeGreaterThan(0);
  });

  it('swaps display size for a rotated phone-style clip', async () => {
    const p = await probe(await fixture('portrait-rotated'));
    expect(p.video).toMatchObject({ width: 320, height: 180, displayWidth: 180, displayHeight: 320 });
    expect([90, 270]).toContain(p.video!.rotation);
  });

  it('treats cover art as no video', async () => {
    const p = await probe(await fixture('audio-cover-art'));
    expect(p.video).toBeUndefined();
    expect(p.audio).toMatchObject({ codec: 'aac' });
  });

  it('describes audio-only, silent, odd-sized and 60 fps sources', async () => {
    const [audioOnly, silent, odd, fps60] = await Promise.all([
      fixture('audio-only').then(probe),
      fixture('silent').then(probe),
      fixture('odd-dimensions').then(probe),
      fixture('fps60').then(probe),
    ]);
    expect(audioOnly.video).toBeUndefined();
    expect(audioOnly.audio?.codec).toBe('aac');
    expect(silent.audio).toBeUndefined();
    expect(silent.video?.codec).toBe('h264');
    expect(odd.video).toMatchObject({ width: 327, height: 191, displayWidth: 327, displayHeight: 191 });
    expect(fps60.video?.fps).toBe(60);
  });

  it('finds the duration of a streamed WebM that has no duration header', async () => {
    const p = await probe(await fixture('streamed-webm', 'streamed.webm', { seconds: 2 }));
    expect(p.durationSec).toBeCloseTo(2, 1);
    expect(p.video?.codec).toBe('vp8');
  });

  it('rejects a truncated MP4 whose moov atom is missing as CORRUPT_SOURCE', async () => {
    const err = await probeError(await fixture('truncated'));
    expect(err.code).toBe('CORRUPT_SOURCE');
    expect(err.message).toBe('The file could not be read as video: it may be truncated or corrupt.');
    expect(err.stderrTail).toMatch(/moov atom not found/);
  });

  it('rejects a faststart MP4 cut short (moov intact, mdat incomplete) as CORRUPT_SOURCE', async () => {
    const whole = await fixture('standard', 'whole.mp4');
    const faststart = join(dir, 'faststart.mp4');
    await runFfmpeg([...mediaInput(whole), '-c', 'copy', '-movflags', '+faststart', faststart]);
    const boxes = (await readTopLevelBoxes(faststart)).boxes.map((b) => b.type);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));

    const cut = join(dir, 'cut.mp4');
    const fh = await open(faststart, 'r');
    const head = Buffer.alloc(Math.floor((await fh.stat()).size * 0.6));
    await fh.read(head, 0, head.length, 0);
    await fh.close();
    await writeFile(cut, head);
    expect((await probeError(cut)).code).toBe('CORRUPT_SOURCE');
  });

  it('rejects text as CORRUPT_SOURCE, whatever it is named', async () => {
    const txt = await fixture('text', 'notes.txt');
    const bare = join(dir, 'upload');
    await copyFile(txt, bare);
    expect((await probeError(txt)).code).toBe('CORRUPT_SOURCE');
    expect((await probeError(bare)).code).toBe('CORRUPT_SOURCE');
  });

  it('rejects a container with neither video nor audio as NO_MEDIA_STREAMS', async () => {
    const srt = await fixture('subtitles-only', 'captions.srt');
    const mkv = join(dir, 'captions.mkv');
    await exec('ffmpeg', ['-v', 'error', '-i', srt, '-c:s', 'srt', mkv]);
    const err = await probeError(mkv);
    expect(err.code).toBe('NO_MEDIA_STREAMS');
    expect(err.message).toBe('The file contains no video or audio to play.');
  });

  it('rejects a single frame (a still picture in a media container) as ZERO_DURATION', async () => {
    const one = join(dir, 'one-frame.webm');
    // Streamed WebM has no duration header, so only the packets tell: there is one.
    await exec('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=64x64:rate=1',
      '-frames:v',
      '1',
      '-c:v',
      'libvpx',
      '-f',
      'webm',
      '-live',
      '1',
      one,
    ]);
    const err = await probeError(one);
    expect(err.code).toBe('ZERO_DURATION');
  });

  it('rejects what is not a media container (a picture, subtitles) as CORRUPT_SOURCE', async () => {
    expect((await probeError(await fixture('still-image', 'still.png'))).code).toBe('CORRUPT_SOURCE');
    expect((await probeError(await fixture('subtitles-only', 'alone.srt'))).code).toBe('CORRUPT_SOURCE');
  });

  it('honours an abort signal', async () => {
    const file = await fixture('standard', 'abortable.mp4', { seconds: 1 });
    const err = await probe(file, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ABORTED' });
  });
});
