import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError, measureQuality, PSNR_CAP_DB, runFfmpeg, mediaInput, vmafAvailable } from '../src/index.ts';
import { parseScore, sampleWindows } from '../src/quality.ts';
import { makeFixture, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let src: string;
let degraded: string;
let small: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  src = await makeFixture('standard', join(dir, 'src.mp4'), { seconds: 6 });
  degraded = join(dir, 'degraded.mp4');
  await runFfmpeg([...mediaInput(src), '-map', '0:v:0', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '45', degraded]);
  small = join(dir, 'small.mp4');
  await runFfmpeg([...mediaInput(src), '-map', '0:v:0', '-vf', 'scale=160:120', '-c:v', 'libx264', '-crf', '18', small]);
});
afterAll(() => cleanup());

const base = () => ({ scratchDir: dir, signal: new AbortController().signal, timeoutMs: 60_000 });

describe('measureQuality', () => {
  it('scores a file against itself as identical', async () => {
    const q = await measureQuality({ ...base(), reference: { src }, distorted: { src }, metrics: ['psnr', 'ssim'] });
    expect(q.psnr).toBe(PSNR_CAP_DB);
    expect(q.ssim).toBe(1);
    expect(q.sampledSeconds).toBeCloseTo(6, 0);
  });

  it('scores a heavily compressed copy lower, and a downscaled one after scaling it back', async () => {
    const bad = await measureQuality({ ...base(), reference: { src }, distorted: { src: degraded }, metrics: ['psnr', 'ssim'] });
    expect(bad.psnr).toBeLessThan(40);
    expect(bad.ssim).toBeLessThan(0.98);
    const lowRes = await measureQuality({ ...base(), reference: { src }, distorted: { src: small }, metrics: ['ssim'] });
    expect(lowRes.ssim).toBeGreaterThan(0);
    expect(lowRes.ssim).toBeLessThan(1);
    expect(lowRes.psnr).toBeUndefined();
  });

  it('measures only the sampled windows when asked', async () => {
    const q = await measureQuality({ ...base(), reference: { src }, distorted: { src: degraded }, metrics: ['psnr'], sampleSeconds: 1.5 });
    expect(q.sampledSeconds).toBeCloseTo(1.5, 1);
    expect(q.psnr).toBeLessThan(40);
  });

  it('refuses VMAF where ffmpeg cannot measure it, and an empty metric list', async () => {
    const has = await vmafAvailable();
    if (!has) {
      const err = await measureQuality({ ...base(), reference: { src }, distorted: { src }, metrics: ['vmaf'] }).catch((e) => e);
      expect(err).toBeInstanceOf(MediaError);
      expect((err as MediaError).code).toBe('UNSUPPORTED_METRIC');
    } else {
      const q = await measureQuality({ ...base(), reference: { src }, distorted: { src }, metrics: ['vmaf'] });
      expect(q.vmaf).toBeGreaterThan(90);
    }
    const none = await measureQuality({ ...base(), reference: { src }, distorted: { src }, metrics: [] }).catch((e) => e);
    expect((none as MediaError).code).toBe('UNSUPPORTED_METRIC');
  });

  it('fails cleanly on a file that is not video, naming no path', async () => {
    const err = await measureQuality({
      ...base(),
      reference: { src },
      distorted: { src: join(dir, 'missing.mp4') },
      metrics: ['psnr'],
    }).catch((e) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect((err as Error).message).not.toContain(dir);
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await measureQuality({ ...base(), signal: ac.signal, reference: { src }, distorted: { src }, metrics: ['psnr'] }).catch(
      (e) => e,
    );
    expect((err as MediaError).code).toBe('ABORTED');
  });
});

describe('sampleWindows', () => {
  it('spreads equal windows over the file, or takes it whole when it is short', () => {
    expect(sampleWindows(60, 6)).toEqual([
      { start: 9, length: 2 },
      { start: 29, length: 2 },
      { start: 49, length: 2 },
    ]);
    expect(sampleWindows(4, 6)).toEqual([{ start: 0, length: 4 }]);
    expect(sampleWindows(4)).toEqual([{ start: 0, length: 4 }]);
  });
});

describe('parseScore', () => {
  it('reads the summary lines, capping an infinite PSNR', () => {
    expect(parseScore('psnr', '[Parsed_psnr_5 @ 0x1] PSNR y:28.3 u:28.8 v:27.5 average:28.283870 min:27.4 max:29.2')).toBeCloseTo(28.28387);
    expect(parseScore('psnr', '[Parsed_psnr_5 @ 0x1] PSNR y:inf u:inf v:inf average:inf min:inf max:inf')).toBe(PSNR_CAP_DB);
    expect(parseScore('ssim', '[Parsed_ssim_6 @ 0x1] SSIM Y:0.88 (9.3) U:0.92 (11.0) V:0.94 (12.2) All:0.898758 (9.9)')).toBeCloseTo(
      0.898758,
    );
    expect(parseScore('vmaf', '[libvmaf @ 0x1] VMAF score: 97.428')).toBeCloseTo(97.428);
    expect(() => parseScore('ssim', 'nothing')).toThrow(MediaError);
  });
});
