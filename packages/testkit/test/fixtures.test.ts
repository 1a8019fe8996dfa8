import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture } from '../src/fixtures.ts';

const exec = promisify(execFile);

interface Probed {
  streams: Array<{
    codec_type: string;
    codec_name: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    disposition?: { attached_pic?: number };
    side_data_list?: Array<{ rotation?: number }>;
  }>;
  format: { duration?: string; format_name: string };
}

async function ffprobe(file: string): Promise<Probed> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  return JSON.parse(stdout) as Probed;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kino-fixtures-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('makeFixture', () => {
  it('makes a standard H.264 + AAC clip of the requested size, rate and length', async () => {
    const file = await makeFixture('standard', join(dir, 'a.mp4'), { width: 256, height: 144, fps: 25, seconds: 2 });
    const p = await ffprobe(file);
    expect(p.streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(p.streams[0]).toMatchObject({ width: 256, height: 144, avg_frame_rate: '25/1' });
    expect(Number(p.format.duration)).toBeCloseTo(2, 1);
  });

  it('makes an HD clip by default for benchmarks', async () => {
    const p = await ffprobe(await makeFixture('hd', join(dir, 'hd.mp4'), { seconds: 1 }));
    expect(p.streams[0]).toMatchObject({ width: 1920, height: 1080, avg_frame_rate: '30/1' });
  });

  it('stores a landscape picture with a quarter-turn display matrix for portrait-rotated', async () => {
    const p = await ffprobe(await makeFixture('portrait-rotated', join(dir, 'rot.mp4')));
    const v = p.streams.find((s) => s.codec_type === 'video')!;
    expect([v.width, v.height]).toEqual([320, 180]);
    expect(Math.abs(v.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0)).toBe(90);
  });

  it('makes odd sizes, 60 fps, silent, audio-only and cover-art variants', async () => {
    const [odd, fps60, silent, audio, cover] = await Promise.all([
      makeFixture('odd-dimensions', join(dir, 'odd.mp4')).then(ffprobe),
      makeFixture('fps60', join(dir, '60.mp4')).then(ffprobe),
      makeFixture('silent', join(dir, 'silent.mp4')).then(ffprobe),
      makeFixture('audio-only', join(dir, 'audio.m4a')).then(ffprobe),
      makeFixture('audio-cover-art', join(dir, 'cover.m4a')).then(ffprobe),
    ]);
    expect(odd.streams[0]).toMatchObject({ width: 327, height: 191 });
    expect(fps60.streams[0]?.avg_frame_rate).toBe('60/1');
    expect(silent.streams.map((s) => s.codec_type)).toEqual(['video']);
    expect(audio.streams.map((s) => s.codec_type)).toEqual(['audio']);
    expect(cover.streams.find((s) => s.codec_type === 'video')?.disposition?.attached_pic).toBe(1);
  });

  it('cuts a non-faststart MP4 to 30% so the moov atom is gone', async () => {
    const file = await makeFixture('truncated', join(dir, 'cut.mp4'));
    const bytes = await readFile(file);
    expect(bytes.includes(Buffer.from('mdat'))).toBe(true);
    expect(bytes.includes(Buffer.from('moov'))).toBe(false);
    await expect(ffprobe(file)).rejects.toThrow();
    expect((await stat(file)).size).toBeGreaterThan(1000);
  });

  it('writes a WebM without a duration, a still image, subtitles and plain text', async () => {
    const webm = await ffprobe(await makeFixture('streamed-webm', join(dir, 's.webm'), { seconds: 1 }));
    expect(webm.format.duration).toBeUndefined();
    expect(webm.streams[0]?.codec_name).toBe('vp8');
    expect((await ffprobe(await makeFixture('still-image', join(dir, 'still.png')))).format.format_name).toBe('png_pipe');
    expect((await ffprobe(await makeFixture('subtitles-only', join(dir, 'subs.srt')))).streams[0]?.codec_type).toBe('subtitle');
    expect(await readFile(await makeFixture('text', join(dir, 'notes.txt')), 'utf8')).toMatch(/not a video/);
  });
});
