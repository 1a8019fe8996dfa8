import { ladderArgs, type MediaPlan, type ProbeResult } from '@kino/media';

/**
 * The benches' reference: the ladder as one bare ffmpeg command, as the pipeline ran it
 * before audio was a rendition of its own, each rung's output with its own AAC encode.
 */
export function referenceLadderArgs(src: string, hlsDir: string, p: ProbeResult, plan: MediaPlan): string[] {
  const args = ladderArgs(src, hlsDir, p, plan);
  if (!p.audio) return args;
  const out: string[] = [];
  args.forEach((arg, i) => {
    // biome-ignore format: ffmpeg options read in pairs
    if (arg === '-f' && args[i + 1] === 'hls') out.push('-map', `0:${p.audio!.index}`, '-c:a', 'aac', '-b:a', '128000', '-ar', '48000', '-ac', '2');
    out.push(arg);
  });
  return out;
}
