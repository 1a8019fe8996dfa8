import { describe, expect, it } from 'vitest';
import { clipRangeProblem, MIN_CLIP_SECONDS } from '../src/index.ts';

describe('clipRangeProblem', () => {
  it('takes ranges inside the source at least MIN_CLIP_SECONDS long, and names what is wrong with the rest', () => {
    expect(clipRangeProblem(0, 10, 10)).toBeUndefined();
    expect(clipRangeProblem(2, 2 + MIN_CLIP_SECONDS, 10)).toBeUndefined();
    expect(clipRangeProblem(-0.1, 2, 10)).toBe('negative_start');
    expect(clipRangeProblem(3, 3, 10)).toBe('empty');
    expect(clipRangeProblem(3, 2, 10)).toBe('empty');
    expect(clipRangeProblem(1, 10.5, 10)).toBe('past_end');
    expect(clipRangeProblem(1, 1.2, 10)).toBe('too_short');
  });
});
