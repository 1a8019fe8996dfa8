import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { fileURLToPath } from 'node:url';

// The CLI as a user runs it: a process of its own through the repository's bin/kino.mjs,
// with its own config directory and none of the caller's KINO_* variables.

export const KINO_BIN = fileURLToPath(new URL('../../../bin/kino.mjs', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a CLI run: `XDG_CONFIG_HOME` set to `configHome`, `env` over it. */
export function cliEnv(configHome: string, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base['KINO_API_URL'];
  delete base['KINO_API_KEY'];
  return { ...base, XDG_CONFIG_HOME: configHome, ...env };
}

export function runCli(
  args: string[],
  o: { configHome: string; env?: Record<string, string>; input?: string; nodeArgs?: string[] },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [...(o.nodeArgs ?? []), KINO_BIN, ...args],
      { env: cliEnv(o.configHome, o.env), maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        // A CLI killed by a signal ends as the shell would report it (128 + the signal).
        const code = child.exitCode ?? (child.signalCode ? 128 + osConstants.signals[child.signalCode] : null);
        if (code === null) return reject(err ?? new Error('the CLI ended without an exit code'));
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin!.end(o.input ?? '');
  });
}

/** A CLI process left running, its output gathered as it comes. */
export interface RunningCli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Its exit code once its output is all read (128 + the signal when one ended it). */
  exited: Promise<number>;
  /** True once it has exited. */
  ended: () => boolean;
}

/** The processes spawnCli and spawnPiped started that have not exited, with how to end them. */
const alive = new Map<ChildProcess, () => unknown>();

/** Ends every CLI still running: for afterAll, so a failed or timed-out test leaves none behind. */
export function killRunning(): void {
  for (const kill of alive.values()) kill();
}

function watch(child: ChildProcess, kill: () => unknown = () => child.kill('SIGKILL')): RunningCli {
  let out = '';
  let err = '';
  let ended = false;
  alive.set(child, kill);
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number>((resolve) =>
    child.once('close', (code, signal) => {
      ended = true;
      alive.delete(child);
      resolve(code ?? 128 + osConstants.signals[signal!]);
    }),
  );
  return { child, stdout: () => out, stderr: () => err, exited, ended: () => ended };
}

/** The CLI left running (`--follow`, `kino mcp`). */
export function spawnCli(args: string[], o: { configHome: string; env?: Record<string, string> }): RunningCli {
  return watch(spawn(process.execPath, [KINO_BIN, ...args], { env: cliEnv(o.configHome, o.env), stdio: ['ignore', 'pipe', 'pipe'] }));
}

/**
 * `kino ARGS | READER` as a shell runs it: the CLI's stdout is a real pipe into `reader` (a
 * shell command such as `head -1`), which may stop reading and close it early. `exited` is
 * the CLI's own exit code; `stdout` is what the reader printed.
 */
export function spawnPiped(args: string[], reader: string, o: { configHome: string; env?: Record<string, string> }): RunningCli {
  const script = `"$@" | ${reader}; exit "\${PIPESTATUS[0]}"`;
  // A process group of its own, so ending it ends the CLI and the reader too, not bash alone.
  const child = spawn('bash', ['-c', script, 'bash', process.execPath, KINO_BIN, ...args], {
    env: cliEnv(o.configHome, o.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return watch(child, () => process.kill(-child.pid!, 'SIGKILL'));
}

/** A command line run under a pseudo-terminal (util-linux `script`), as a person at a terminal runs it. */
export function runInTerminal(
  args: string[],
  o: { configHome: string; env?: Record<string, string>; columns?: number },
): Promise<CliResult> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, KINO_BIN, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    execFile(
      'script',
      ['-qfec', `stty cols ${o.columns ?? 120}; ${command}`, '/dev/null'],
      { env: cliEnv(o.configHome, o.env), maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        if (code === null) return reject(err);
        resolve({ code, stdout, stderr });
      },
    );
  });
}
