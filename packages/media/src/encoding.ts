import type { RenditionPlan } from './ladder-plan.ts';

/**
 * Video filter for one rendition. ffmpeg has already applied the source's rotation by the
 * time frames reach the graph, so the plan's display size is what gets scaled to; `setsar=1`
 * makes anamorphic sources square-pixelled, as RESOLUTION in HLS assumes.
 */
export function videoFilter(r: RenditionPlan): string {
  return `fps=${fpsExpr(r.fps)},scale=${r.width}:${r.height},setsar=1,format=yuv420p`;
}

/** H.264 settings every output shares: browsers and phones all decode High profile 4:2:0. */
export const H264_ARGS: readonly string[] = ['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high'];

/** AAC-LC, 48 kHz stereo: what every HLS client expects to find, whatever the source had. */
export function aacArgs(bitrate: number): string[] {
  return ['-c:a', 'aac', '-b:a', String(bitrate), '-ar', '48000', '-ac', '2'];
}

/** Keeps NTSC rates exact (30000/1001) rather than a rounded decimal that drifts. */
function fpsExpr(fps: number): string {
  const ntsc = Math.round(fps * 1.001);
  const isNtsc = Math.abs(fps - (ntsc * 1000) / 1001) < 1e-3 && Math.abs(fps - ntsc) > 1e-3;
  return isNtsc ? `${ntsc * 1000}/1001` : String(Math.round(fps * 1000) / 1000);
}
