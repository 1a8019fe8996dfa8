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
