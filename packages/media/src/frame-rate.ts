export interface FrameRate {
  num: number;
  den: number;
}

/** Keeps NTSC rates exact (30000/1001) rather than a rounded decimal that drifts. */
export function frameRate(fps: number): FrameRate {
  const ntsc = Math.round(fps * 1.001);
  const isNtsc = Math.abs(fps - (ntsc * 1000) / 1001) < 1e-3 && Math.abs(fps - ntsc) > 1e-3;
  if (isNtsc) return { num: ntsc * 1000, den: 1001 };
  const num = Math.round(fps * 1000);
  const d = gcd(num, 1000);
  return { num: num / d, den: 1000 / d };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The rate as ffmpeg's fps filter takes it: `30`, `30000/1001`. */
export function fpsExpr(fps: number): string {
  const { num, den } = frameRate(fps);
  return num % den === 0 ? String(num / den) : `${num}/${den}`;
}
