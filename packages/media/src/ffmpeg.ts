import { assertConfined } from './confine.ts';
import { MediaError } from './errors.ts';
import { lastLine, runProcess, type RunOptions } from './process.ts';

export type FfmpegOptions = RunOptions & {
  /** Expected output duration, so `-progress` times become fractions. */
  durationSec?: number;
};

/**
 * Runs ffmpeg with machine-readable progress on stdout and only warnings on stderr, so the
 * bounded stderr tail holds the reason for a failure rather than stream banners. Inputs
 * must be confined (see confine.ts): a command that is not is refused before it runs.
 */
export async function runFfmpeg(args: string[], opts: FfmpegOptions = {}): Promise<void> {
  assertConfined(args);
  const progress = progressParser(opts);
  const result = await runProcess(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning', '-progress', 'pipe:1', '-nostats', ...args],
    {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      scratchRoot: opts.scratchRoot,
      nice: opts.nice,
      hurry: opts.hurry,
      rlimits: opts.rlimits,
      onStdout: progress,
    },
  );
  if (result.code !== 0) {
    const why = lastLine(result.stderrTail);
    const exit = result.code === null ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
    throw new MediaError('FFMPEG_FAILED', `Video processing failed (ffmpeg ${exit})${why ? `: ${why}` : '.'}`, {
      stderrTail: result.stderrTail,
    });
  }
}

/**
 * ffmpeg prints `key=value` lines and closes each report with `progress=continue|end`.
 * Reports are turned into fractions that only ever grow, and the last one is exactly 1.
 */
function progressParser({ onProgress, durationSec }: FfmpegOptions): ((chunk: Buffer) => void) | undefined {
  if (!onProgress) return undefined;
  let pending = '';
  let outTimeSec = 0;
  let speed: number | undefined;
  let lastFraction = -1;

  return (chunk) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      // ffmpeg 5.1 writes microseconds under both names; out_time_ms is a historical misnomer.
      if (key === 'out_time_us' || key === 'out_time_ms') {
        const us = Number(value);
        if (Number.isFinite(us) && us >= 0) outTimeSec = Math.max(outTimeSec, us / 1e6);
      } else if (key === 'speed') {
        const x = Number.parseFloat(value);
        speed = Number.isFinite(x) ? x : undefined;
      } else if (key === 'progress') {
        const ended = value === 'end';
        const fraction = ended ? 1 : durationSec && durationSec > 0 ? Math.min(outTimeSec / durationSec, 0.999) : 0;
        if (fraction > lastFraction) {
          lastFraction = fraction;
          onProgress({ fraction, outTimeSec, ...(speed === undefined ? {} : { speed }) });
        }
      }
    }
  };
}
