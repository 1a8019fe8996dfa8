// H.264 levels (ITU-T H.264 Table A-1). The master playlist is written before any frame is
// encoded, so its CODECS attribute cannot be read back from an init segment: instead every
// encode of a rendition is told its level, and the codec string follows from it.

/** level_idc, max macroblocks per second, max frame size in macroblocks, max bit rate and CPB size in kbit (Baseline/Main). */
const LEVELS: ReadonlyArray<readonly [idc: number, mbps: number, fs: number, br: number, cpb: number]> = [
  [10, 1485, 99, 64, 175],
  [11, 3000, 396, 192, 500],
  [12, 6000, 396, 384, 1000],
  [13, 11880, 396, 768, 2000],
  [20, 11880, 396, 2000, 2000],
  [21, 19800, 792, 4000, 4000],
  [22, 20250, 1620, 4000, 4000],
  [30, 40500, 1620, 10000, 10000],
  [31, 108000, 3600, 14000, 14000],
  [32, 216000, 5120, 20000, 20000],
  [40, 245760, 8192, 20000, 25000],
  [41, 245760, 8192, 50000, 62500],
  [42, 522240, 8704, 50000, 62500],
  [50, 589824, 22080, 135000, 135000],
  [51, 983040, 36864, 240000, 240000],
  [52, 2073600, 36864, 240000, 240000],
];
/** High profile may use 1.25 times the Main profile's bit rate and buffer (Table A-2, cpbBrVclFactor). */
const HIGH_FACTOR = 1.25;

export interface H264Stream {
  width: number;
  height: number;
  fps: number;
  /** VBV maximum rate and buffer, bits and bits/s. */
  maxrate: number;
  bufsize: number;
}

/** The lowest level whose limits hold the stream, as its level_idc (31 for 3.1). */
export function h264Level(s: H264Stream): number {
  const wide = Math.ceil(s.width / 16);
  const high = Math.ceil(s.height / 16);
  const fs = wide * high;
  const mbps = fs * s.fps;
  for (const [idc, maxMbps, maxFs, br, cpb] of LEVELS) {
    const fits =
      fs <= maxFs &&
      // Neither side may exceed sqrt(8 × MaxFS) macroblocks (A.3.1 h, i).
      Math.max(wide, high) ** 2 <= 8 * maxFs &&
      mbps <= maxMbps &&
      s.maxrate <= br * 1000 * HIGH_FACTOR &&
      s.bufsize <= cpb * 1000 * HIGH_FACTOR;
    if (fits) return idc;
  }
  return 52;
}

/** x264's `-level` value for a level_idc: 31 → '3.1'. */
export const levelName = (idc: number): string => `${Math.floor(idc / 10)}.${idc % 10}`;

/** RFC 6381 codec string of a High profile stream (profile_idc 100, no constraint flags). */
export const avcCodecString = (idc: number): string => `avc1.6400${idc.toString(16).padStart(2, '0')}`;
