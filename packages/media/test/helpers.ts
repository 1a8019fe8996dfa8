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
  r_frame_rate?: string;
  field_order?: string;
  color_primaries?: string;
  color_transfer?: string;
  color_space?: string;
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
  return (await pidsWithArg(marker)).length > 0;
}

/** The processes whose command line holds `marker`. */
export async function pidsWithArg(marker: string): Promise<number[]> {
  const found = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) found.push(Number(pid));
  }
  return found;
}

export interface PictureStats {
  /** Mean luma and chroma codes (8-bit). */
  y: number;
  u: number;
  v: number;
  /** Mean distance of chroma from neutral, |U−128| + |V−128|: how colourful the picture is. */
  saturation: number;
  /** Mean per-frame standard deviation of luma: how much contrast it has. */
  contrast: number;
}

/** Picture statistics of a video's frames, decoded as they are stored (8-bit 4:2:0, no matrix applied). */
export async function pictureStats(file: string): Promise<PictureStats> {
  const probed = await ffprobe(file);
  const v = probed.streams.find((s) => s.codec_type === 'video')!;
  const [w, h] = [v.width!, v.height!];
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  const luma = w * h;
  const chroma = Math.ceil(w / 2) * Math.ceil(h / 2);
  const frameBytes = luma + 2 * chroma;
  const frames = Math.floor(stdout.length / frameBytes);
  const sum = { y: 0, u: 0, v: 0, saturation: 0, contrast: 0 };
  for (let f = 0; f < frames; f++) {
    const base = f * frameBytes;
    let ys = 0;
    let yy = 0;
    for (let i = base; i < base + luma; i++) {
      ys += stdout[i]!;
      yy += stdout[i]! * stdout[i]!;
    }
    const mean = ys / luma;
    sum.y += mean;
    sum.contrast += Math.sqrt(Math.max(0, yy / luma - mean * mean));
    let us = 0;
    let vs = 0;
    let sat = 0;
    for (let i = 0; i < chroma; i++) {
      const u = stdout[base + luma + i]!;
      const v = stdout[base + luma + chroma + i]!;
      us += u;
      vs += v;
      sat += Math.abs(u - 128) + Math.abs(v - 128);
    }
    sum.u += us / chroma;
    sum.v += vs / chroma;
    sum.saturation += sat / chroma;
  }
  return {
    y: sum.y / frames,
    u: sum.u / frames,
    v: sum.v / frames,
    saturation: sum.saturation / frames,
    contrast: sum.contrast / frames,
  };
}

/** ffmpeg's `idet` verdicts over every frame: how many look woven from two fields, how many progressive. */
export async function interlaceVerdicts(file: string): Promise<{ interlaced: number; progressive: number }> {
  const { stderr } = await exec('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-map', '0:v:0', '-vf', 'idet', '-f', 'null', '-']);
  const m = /Multi frame detection: TFF:\s*(\d+)\s*BFF:\s*(\d+)\s*Progressive:\s*(\d+)/.exec(stderr);
  if (!m) throw new Error(`idet printed no verdict: ${stderr.slice(-500)}`);
  return { interlaced: Number(m[1]) + Number(m[2]), progressive: Number(m[3]) };
}
