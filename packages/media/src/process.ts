import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { getPriority, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaError } from './errors.ts';
import { hostsIn, scrub } from './scrub.ts';

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Where each run's own working directory is made; the OS temp dir when unset. */
  scratchRoot?: string;
  /**
   * Scheduling niceness (0–19): background work (the ladder) yields the cores to what a
   * viewer waits for (openers, just-in-time segments) without pausing.
   */
  nice?: number;
  /**
   * Fires when what a niced run makes is now awaited (a viewer asked for the read-ahead
   * segment it encodes): the tool, every thread of it, is raised to niceness 0. Only where
   * the OS lets this process raise priority (root, CAP_SYS_NICE, or an RLIMIT_NICE such as
   * systemd's LimitNICE=+0); elsewhere the run goes on as it was.
   */
  hurry?: AbortSignal;
  /**
   * Kernel limits for a run over what a user wrote (the jobs API's commands): its address
   * space and CPU seconds (all threads together), set by util-linux's `prlimit` before it
   * execs the tool. A graph that asks for huge frames fails to allocate instead of taking
   * the machine's memory; a run past its CPU seconds gets SIGXCPU, then SIGKILL.
   */
  rlimits?: { memoryBytes: number; cpuSeconds: number };

  onProgress?: (p: { fraction: number; outTimeSec: number; speed?: number }) => void;
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
}

const STDERR_TAIL_BYTES = 4096;
/** Long enough for ffmpeg to finalise its outputs on SIGTERM, short enough not to hold a job. */
export const KILL_GRACE_MS = 2000;
/** A run with no limit of its own still ends: no media step should take a day. */
export const DEFAULT_TIMEOUT_MS = 6 * 3600_000;

/**
 * The whole environment a tool gets: enough to find its libraries, nothing of ours. The
 * parent holds S3 keys, database URLs and signing keys; and ffmpeg's HTTP client would
 * follow an inherited `http_proxy`.
 */
export function toolEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C' };
}

export type ProcessOptions = Pick<RunOptions, 'signal' | 'timeoutMs' | 'scratchRoot' | 'nice' | 'hurry' | 'rlimits'> & {
  onStdout?: (chunk: Buffer) => void;
};

/**
 * Runs a tool to completion in an empty working directory of its own, with `toolEnv()` and
 * a time limit. Settles only after the child has exited and its directory is gone, so a
 * caller that awaits it never leaves a process behind, whatever happened (timeout, abort,
 * failure). Exit codes are the caller's business; only timeout, abort and spawn failure
 * reject here. The stderr tail comes back scrubbed of URLs, hosts and paths.
 */
export async function runProcess(bin: string, args: string[], opts: ProcessOptions = {}): Promise<ProcessResult> {
  if (opts.signal?.aborted) throw abortedError();
  const cwd = await mkdtemp(join(opts.scratchRoot || tmpdir(), 'kino-run-'));
  try {
    const result = await spawnIn(cwd, bin, args, opts);
    return { ...result, stderrTail: scrub(result.stderrTail, hostsIn(args)) };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

function spawnIn(cwd: string, bin: string, args: string[], opts: ProcessOptions): Promise<ProcessResult> {
  const { signal, timeoutMs = DEFAULT_TIMEOUT_MS, onStdout } = opts;
  return new Promise((resolve, reject) => {
    // coreutils' nice sets the priority before it execs the tool (same pid, so signals still
    // reach it); setPriority after spawn would race a tool that forks at once.
    const nice = opts.hurry?.aborted ? 0 : opts.nice;
    // prlimit and nice each exec the next program: the tool keeps the pid signals go to.
    const limited = opts.rlimits ? ['prlimit', `--as=${opts.rlimits.memoryBytes}`, `--cpu=${opts.rlimits.cpuSeconds}`, '--'] : [];
    const [file, ...argv] = [...limited, ...(nice ? ['nice', '-n', String(nice)] : []), bin, ...args] as [string, ...string[]];
    const child = spawn(file, argv, { cwd, env: toolEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const onHurry = () => void raise(child.pid);
    let tail = Buffer.alloc(0);
    let stopReason: { error: unknown } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const stop = (error: unknown) => {
      if (stopReason || settled) return;
      stopReason = { error };
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = () => stop(abortedError());
    const timeoutTimer = setTimeout(
      () => stop(new MediaError('FFMPEG_TIMEOUT', `Processing took longer than ${formatMs(timeoutMs)} and was stopped.`)),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    if (nice) opts.hurry?.addEventListener('abort', onHurry, { once: true });

    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      opts.hurry?.removeEventListener('abort', onHurry);
      outcome();
    };

    child.stdout.on('data', (chunk: Buffer) => {
      // A throwing progress callback must not crash the process and orphan the child.
      try {
        onStdout?.(chunk);
      } catch (err) {
        stop(err);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > STDERR_TAIL_BYTES) tail = tail.subarray(tail.length - STDERR_TAIL_BYTES);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      // A spawn failure never produces a child, so there is nothing to wait for.
      if (child.pid !== undefined) return;
      finish(() => reject(notStarted(file, err.code === 'ENOENT' ? 127 : 126, err)));
    });
    child.on('close', (code, sig) => {
      finish(() => {
        if (stopReason) reject(stopReason.error);
        // nice or prlimit could not exec the tool: the same failure as a spawn's ENOENT.
        else if (file !== bin && (code === 126 || code === 127) && /^(?:nice|prlimit): /.test(tail.toString('utf8')))
          reject(notStarted(bin, code));
        else resolve({ code, signal: sig, stderrTail: tail.toString('utf8') });
      });
    });
  });
}

/**
 * Niceness 0 for every thread of `pid`: Linux keeps it per thread, and an encoder's
 * threads, started before this, keep their own. A thread started during a pass by one not
 * raised yet inherits the old niceness, so passes repeat (a few at most) until one finds
 * none left to raise. Refused without the privilege to raise priority, or too late (the
 * process ended): either way the run goes on as it was.
 */
async function raise(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  for (let pass = 0; pass < RAISE_PASSES; pass++) {
    const threads = await readdir(`/proc/${pid}/task`).catch(() => [String(pid)]);
    let raised = 0;
    for (const tid of threads) {
      try {
        if (getPriority(Number(tid)) > 0) {
          setPriority(Number(tid), 0);
          raised++;
        }
      } catch {
        // Not allowed, or the thread is gone: the others are tried all the same.
      }
    }
    if (raised === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const RAISE_PASSES = 10;

/** The tool was not found (127, as a shell says it) or could not be run (126). */
function notStarted(bin: string, code: 126 | 127, cause?: Error): MediaError {
  const message = code === 127 ? `${bin} is not installed on this machine.` : `${bin} could not be started.`;
  return new MediaError('FFMPEG_FAILED', message, cause ? { cause } : undefined);
}

function abortedError(): MediaError {
  return new MediaError('ABORTED', 'Processing was cancelled.');
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** The last non-empty stderr line, which is where ffmpeg and ffprobe put the reason they gave up. */
export function lastLine(stderrTail: string): string | undefined {
  const lines = stderrTail
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1);
}
