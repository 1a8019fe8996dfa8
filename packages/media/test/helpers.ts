import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export { makeFixture, type FixtureKind, type FixtureOptions } from '@kino/testkit';

const exec = promisify(execFile);

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kino-media-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
}

/** An independent look at an output, straight from ffprobe rather than through the code under test. */
export async function ffprobe(file: string): Promise<{ streams: ProbedStream[]; durationSec: number }> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  const out = JSON.parse(stdout) as { streams: ProbedStream[]; format: { duration: string } };
  return { streams: out.streams, durationSec: Number(out.format.duration) };
}

/** Mean luma (0–255) of a picture, decoded by ffmpeg to 8-bit gray. */
export async function meanLuma(file: string): Promise<number> {
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  let sum = 0;
  for (const b of stdout) sum += b;
  return sum / stdout.length;
}

/** Presentation times of a video's key frames, read from packet flags (no decoding). */
export async function keyframeTimes(file: string): Promise<number[]> {
  // biome-ignore format: ffmpeg options read in pairs
  const { stdout } = await exec('ffprobe', [
    '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file,
  ]);
  return stdout
    .split('\n')
    .map((line) => line.split(','))
    .filter(([, flags]) => flags?.startsWith('K'))
    .map(([pts]) => Number(pts));
}

/** Whether any live process has `marker` in its command line (Linux /proc). */
export async function processWithArgExists(marker: string): Promise<boolean> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) return true;
  }
  return false;
}
