import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MediaError, mediaInput, runFfmpeg } from '../src/index.ts';
import { KILL_GRACE_MS, runProcess } from '../src/process.ts';
import { processWithArgExists } from './helpers.ts';

/** A real-time test pattern that never ends on its own, tagged so the process can be found. */
function endlessArgs(marker: string): string[] {
  return ['-re', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=10', '-metadata', `comment=${marker}`, '-f', 'null', '-'];
}

async function rejection(p: Promise<unknown>): Promise<MediaError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaError);
  return err as MediaError;
}

describe('runFfmpeg', () => {
  it('reports progress as growing fractions of the expected duration, ending at 1', async () => {
    const seen: number[] = [];
    await runFfmpeg(['-re', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=10:duration=1.5', '-stats_period', '0.1', '-f', 'null', '-'], {
      durationSec: 1.5,
      onProgress: (p) => seen.push(p.fraction),
    });
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
    expect(seen.filter((f) => f > 0.3 && f < 1).length).toBeGreaterThan(0);
  });

  it('fails with FFMPEG_FAILED, a short message and the tail of stderr', async () => {
    const err = await rejection(runFfmpeg([...mediaInput('/nonexistent/kino/source.mp4'), '-f', 'null', '-']));
    expect(err.code).toBe('FFMPEG_FAILED');
    expect(err.message).toMatch(/^Video processing failed \(ffmpeg exited with code 1\): .*No such file or directory/);
    expect(err.stderrTail).toContain('No such file or directory');
    // The path is ours, not the uploader's business.
    expect(`${err.message}${err.stderrTail}`).not.toContain('/nonexistent');
  });

  it('stops at the timeout with FFMPEG_TIMEOUT and leaves no process behind', async () => {
    const marker = `kino-timeout-${randomUUID()}`;
    const started = Date.now();
    const run = rejection(runFfmpeg(endlessArgs(marker), { timeoutMs: 500 }));
    await new Promise((r) => setTimeout(r, 200));
    expect(await processWithArgExists(marker)).toBe(true);
    const err = await run;
    expect(err.code).toBe('FFMPEG_TIMEOUT');
    expect(err.message).toBe('Processing took longer than 500 ms and was stopped.');
    expect(Date.now() - started).toBeLessThan(500 + KILL_GRACE_MS);
    expect(await processWithArgExists(marker)).toBe(false);
  });

  it('stops on abort with ABORTED and leaves no process behind', async () => {
    const marker = `kino-abort-${randomUUID()}`;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const err = await rejection(runFfmpeg(endlessArgs(marker), { signal: controller.signal }));
    expect(err.code).toBe('ABORTED');
    expect(await processWithArgExists(marker)).toBe(false);
  });

  it('does not start at all when the signal is already aborted', async () => {
    const marker = `kino-preabort-${randomUUID()}`;
    const err = await rejection(runFfmpeg(endlessArgs(marker), { signal: AbortSignal.abort() }));
    expect(err.code).toBe('ABORTED');
    expect(await processWithArgExists(marker)).toBe(false);
  });
});

describe('runProcess', () => {
  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    // GNU sleep sums its arguments, so a unique fraction tags the process without changing much.
    const marker = `0.${randomUUID().replace(/\D/g, '')}1`;
    const started = Date.now();
    // exec keeps one process, and an ignored signal stays ignored across exec.
    const run = rejection(runProcess('sh', ['-c', `trap '' TERM; exec sleep 30 ${marker}`], { timeoutMs: 100 }));
    await new Promise((r) => setTimeout(r, 500));
    expect(await processWithArgExists(marker)).toBe(true);
    const err = await run;
    expect(err.code).toBe('FFMPEG_TIMEOUT');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(KILL_GRACE_MS);
    expect(elapsed).toBeLessThan(KILL_GRACE_MS + 3000);
    expect(await processWithArgExists(marker)).toBe(false);
  });

  it('says so when the tool is not installed', async () => {
    const err = await rejection(runProcess('kino-no-such-tool', []));
    expect(err).toMatchObject({ code: 'FFMPEG_FAILED', message: 'kino-no-such-tool is not installed on this machine.' });
  });

  it('stops the child and rejects with the error when a progress callback throws', async () => {
    const marker = `kino-throwing-${randomUUID()}`;
    const boom = new Error('progress sink is down');
    const err = await runFfmpeg(endlessArgs(marker), {
      onProgress: () => {
        throw boom;
      },
    }).catch((e: unknown) => e);
    expect(err).toBe(boom);
    expect(await processWithArgExists(marker)).toBe(false);
  });

  it('keeps only a bounded tail of stderr', async () => {
    const result = await runProcess('sh', ['-c', 'i=0; while [ $i -lt 2000 ]; do echo "line $i of noise" >&2; i=$((i+1)); done; exit 3']);
    expect(result.code).toBe(3);
    expect(result.stderrTail.length).toBeLessThanOrEqual(4096);
    expect(result.stderrTail.trimEnd().endsWith('line 1999 of noise')).toBe(true);
  });
});
