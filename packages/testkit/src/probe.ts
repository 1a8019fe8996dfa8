import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
}

/** ffprobe itself, independent of the code under test. */
export async function ffprobe(file: string): Promise<{ duration: number; streams: ProbedStream[] }> {
  const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  const out = JSON.parse(stdout);
  return { duration: Number(out.format.duration), streams: out.streams };
}

/**
 * Presentation start and end (seconds) of every packet of one stream (`v:0`, `a:0`), in
 * presentation order, as ffprobe reads them: the way to check segments join up.
 */
export async function packetSpans(file: string, stream: string): Promise<Array<[number, number]>> {
  // biome-ignore format: ffmpeg options read in pairs
  const { stdout } = await promisify(execFile)('ffprobe', [
    '-v', 'error', '-select_streams', stream, '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file,
  ], { maxBuffer: 64 * 1024 * 1024 });
  const packets = stdout
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number) as [number, number]);
  // A packet without a duration of its own (the first, read through the HLS demuxer; AAC's
  // priming frame) lasts as long as the rest.
  const usual = packets.find(([, d]) => Number.isFinite(d))![1];
  return packets.map(([pts, d]): [number, number] => [pts, pts + (Number.isFinite(d) ? d : usual)]).sort((a, b) => a[0] - b[0]);
}

/** The largest gap or overlap between one packet's end and the next one's start. */
export function worstSeam(spans: Array<[number, number]>): number {
  let worst = 0;
  for (let i = 1; i < spans.length; i++) worst = Math.max(worst, Math.abs(spans[i]![0] - spans[i - 1]![1]));
  return worst;
}
