import { describe, expect, it } from 'vitest';
import { createProgressBar } from '../src/progress.ts';

// The bar's text on a clock the test moves: what a terminal shows at each step.

/** What was written, each redraw without its "erase to end of line" (checked to be there). */
function terminal(columns = 100) {
  const writes: string[] = [];
  const write = (s: string) => {
    const erase = '\u001b[K';
    expect(s.endsWith(erase) || s.endsWith(`${erase}\n`)).toBe(true);
    return writes.push(s.replace(erase, '')) > 0;
  };
  return { columns, writes, write };
}

describe('the upload progress bar', () => {
  it('shows bytes, percent, speed and an ETA from the recent speed, redrawn in place, and the total time at the end', () => {
    const out = terminal();
    let now = 0;
    const bar = createProgressBar(out, 'clip.mp4', 100 * 2 ** 20, () => now);
    bar.update(0);
    now = 1000;
    bar.update(10 * 2 ** 20);
    expect(out.writes.at(-1)).toMatch(/^\rclip\.mp4 {2}\[#{3,4}-+\] {3}10% {2}10\.0 MiB \/ 100\.0 MiB {2}10\.0 MiB\/s {2}ETA 0:09$/);
    expect(out.writes.at(-1)!.length).toBeLessThanOrEqual(100 + 1);
    now = 1050;
    bar.update(11 * 2 ** 20);
    expect(out.writes).toHaveLength(2); // at most ten redraws a second
    now = 10_000;
    bar.update(100 * 2 ** 20);
    bar.finish();
    expect(out.writes.at(-1)).toMatch(/^\rclip\.mp4 {2}\[#+\] {2}100% {2}100\.0 MiB \/ 100\.0 MiB {2}10\.0 MiB\/s {2}in 0:10\n$/);
  });

  it('narrows the bar to the terminal and drops it when there is no room', () => {
    let now = 0;
    const narrow = terminal(70);
    const bar = createProgressBar(narrow, 'clip.mp4', 1000, () => now);
    now = 1000;
    bar.update(500);
    expect(narrow.writes.at(-1)!.length).toBeLessThanOrEqual(70 + 1);
    const tiny = terminal(20);
    createProgressBar(tiny, 'clip.mp4', 1000, () => now).update(500);
    expect(tiny.writes.at(-1)).not.toMatch(/\[[#-]/);
  });
});
