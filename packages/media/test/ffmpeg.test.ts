import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MediaError, mediaInput, runFfmpeg } from '../src/index.ts';
import { KILL_GRACE_MS, runProcess } from '../src/process.ts';
import { pidsWithArg, processWithArgExists } from './helpers.ts';

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
    // Long enough for the precondition below to be seen on a busy machine; nothing here
    // asserts how fast the stop is, only that it happens and cleans up.
    const run = rejection(runFfmpeg(endlessArgs(marker), { timeoutMs: 3_000 }));
    await expect.poll(() => processWithArgExists(marker), { timeout: 3_000, interval: 20 }).toBe(true);
    const err = await run;
    expect(err.code).toBe('FFMPEG_TIMEOUT');
    expect(err.message).toBe('Processing took longer than 3 s and was stopped.');
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    expect(await processWithArgExists(marker)).toBe(false);
  });

  it('stops on abort with ABORTED and leaves no process behind', async () => {
    const marker = `kino-abort-${randomUUID()}`;
    const controller = new AbortController();
    // Abort once ffmpeg reports progress and is seen running: an explicit signal, not a sleep.
    let existed: Promise<boolean> | undefined;
    const err = await rejection(
      runFfmpeg([...endlessArgs(marker), '-stats_period', '0.1'], {
        signal: controller.signal,
        onProgress: () => {
          existed ??= processWithArgExists(marker).finally(() => controller.abort());
        },
      }),
    );
    expect(await existed).toBe(true);
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
  it('runs a tool at the niceness asked for, and at the default otherwise', async () => {
    // Field 19 of /proc/{pid}/stat is the niceness; the shell's child inherits it.
    const niceness = async (nice?: number) => {
      let out = '';
      await runProcess('sh', ['-c', 'cut -d " " -f 19 /proc/self/stat'], { ...(nice ? { nice } : {}), onStdout: (c) => void (out += c) });
      return Number(out.trim());
    };
    expect(await niceness(7)).toBe(7);
    expect(await niceness()).not.toBe(7);
  });

  it('raises a niced run, every thread of it, to niceness 0 when hurried, where the OS allows it', async () => {
    const marker = `kino-hurry-${randomUUID()}`;
    const hurry = new AbortController();
    const stop = new AbortController();
    // x264's threads are started before the hurry, and each keeps a niceness of its own.
    const args = ['-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10', '-metadata', `comment=${marker}`];
    const run = runProcess('ffmpeg', [...args, '-c:v', 'libx264', '-threads', '4', '-f', 'null', '-'], {
      nice: 10,
      hurry: hurry.signal,
      signal: stop.signal,
    }).catch(() => undefined);
    const soon = { timeout: 30_000, interval: 20 };
    await expect.poll(async () => (await pidsWithArg(marker)).length, soon).toBe(1);
    const [pid] = await pidsWithArg(marker);
    // Field 19 of a thread's stat line is its niceness.
    const niceness = async () => {
      const tids = await readdir(`/proc/${pid}/task`);
      const stats = await Promise.all(tids.map((t) => readFile(`/proc/${pid}/task/${t}/stat`, 'utf8').catch(() => '')));
      return [...new Set(stats.filter(Boolean).map((line) => Number(line.split(' ')[18])))];
    };
    await expect.poll(async () => (await readdir(`/proc/${pid}/task`)).length, soon).toBeGreaterThan(2);
    expect(await niceness()).toEqual([10]);
    hurry.abort();
    // Without the privilege (not root, no CAP_SYS_NICE) it runs on as it was.
    const privileged = process.getuid?.() === 0;
    await expect.poll(niceness, soon).toEqual([privileged ? 0 : 10]);
    stop.abort();
    await run;
  });

  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    // GNU sleep sums its arguments, so a unique fraction tags the process without changing much.
    const marker = `0.${randomUUID().replace(/\D/g, '')}1`;
    const ready = join(await mkdtemp(join(tmpdir(), 'kino-sigterm-')), 'ready');
    const controller = new AbortController();
    // exec keeps one process, and an ignored signal stays ignored across exec. The file says
    // the trap is in place, so the stop below meets a child that really ignores SIGTERM.
    const run = rejection(runProcess('sh', ['-c', `trap '' TERM; : > '${ready}'; exec sleep 30 ${marker}`], { signal: controller.signal }));
    await expect.poll(() => existsSync(ready), { timeout: 30_000, interval: 20 }).toBe(true);
    await expect.poll(() => processWithArgExists(marker), { timeout: 30_000, interval: 20 }).toBe(true);
    const stopped = Date.now();
    controller.abort();
    const err = await run;
    expect(err.code).toBe('ABORTED');
    // SIGTERM was ignored: only SIGKILL, after the grace, ended it.
    expect(Date.now() - stopped).toBeGreaterThanOrEqual(KILL_GRACE_MS);
    expect(await processWithArgExists(marker)).toBe(false);
  });

  it('says so when the tool is not installed, niced or not', async () => {
    for (const nice of [undefined, 10]) {
      const err = await rejection(runProcess('kino-no-such-tool', [], nice ? { nice } : {}));
      expect(err).toMatchObject({ code: 'FFMPEG_FAILED', message: 'kino-no-such-tool is not installed on this machine.' });
    }
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
