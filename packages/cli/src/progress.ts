import { formatBytes, formatDuration } from './format.ts';

// An upload's progress bar on a terminal: bytes, percent, speed and ETA, redrawn in place at
// most ten times a second. The speed is measured over the last few seconds, so the ETA
// follows the link as it is now rather than as it was at the start.

const REDRAW_MS = 100;
const SPEED_WINDOW_MS = 3_000;

export interface ProgressStream {
  write(chunk: string): boolean;
  columns?: number;
}

export interface ProgressBar {
  update(sentBytes: number): void;
  /** Draws the final state and moves to the next line. */
  finish(): void;
}

export function createProgressBar(out: ProgressStream, label: string, totalBytes: number | null, now = () => Date.now()): ProgressBar {
  const samples: { at: number; bytes: number }[] = [];
  let sent = 0;
  let drawnAt = Number.NEGATIVE_INFINITY;
  const started = now();

  const speed = (): number => {
    const first = samples[0];
    const last = samples.at(-1);
    if (!first || !last || last.at === first.at) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  };

  const line = (final: boolean): string => {
    const bps = final ? (sent * 1000) / Math.max(1, now() - started) : speed();
    const rate = `${formatBytes(Math.round(bps))}/s`;
    if (totalBytes === null || totalBytes === 0) return `${label}  ${formatBytes(sent)}  ${rate}`;
    const fraction = Math.min(1, sent / totalBytes);
    const eta = final
      ? `in ${formatDuration((now() - started) / 1000)}`
      : bps > 0
        ? `ETA ${formatDuration((totalBytes - sent) / bps)}`
        : 'ETA --:--';
    const stats = `${String(Math.floor(fraction * 100)).padStart(3)}%  ${formatBytes(sent)} / ${formatBytes(totalBytes)}  ${rate}  ${eta}`;
    const room = (out.columns ?? 80) - label.length - stats.length - 6;
    const width = Math.max(0, Math.min(40, room));
    const done = Math.round(fraction * width);
    const bar = width > 0 ? `[${'#'.repeat(done)}${'-'.repeat(width - done)}]  ` : '';
    return `${label}  ${bar}${stats}`;
  };

  const draw = (final: boolean) => {
    // \r and "erase to end of line": the new line may be shorter than the one it replaces.
    out.write(`\r${line(final)}\x1b[K${final ? '\n' : ''}`);
  };

  return {
    update(sentBytes) {
      sent = sentBytes;
      const at = now();
      samples.push({ at, bytes: sentBytes });
      while (samples.length > 2 && at - samples[0]!.at > SPEED_WINDOW_MS) samples.shift();
      if (at - drawnAt >= REDRAW_MS) {
        drawnAt = at;
        draw(false);
      }
    },
    finish() {
      draw(true);
    },
  };
}
