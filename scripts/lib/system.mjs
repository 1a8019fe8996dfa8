// Small wrappers around the operating system: finding binaries, running commands, and
// installing Debian packages when we are allowed to.

import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { display, say } from './log.mjs';

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of `name` on PATH (plus the sbin dirs a non-login root shell may lack), or null. */
export function which(name) {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const extra of ['/usr/local/sbin', '/usr/sbin', '/sbin']) if (!dirs.includes(extra)) dirs.push(extra);
  for (const dir of dirs) {
    const file = join(dir, name);
    if (isExecutable(file)) return file;
  }
  return null;
}

/**
 * Runs a command synchronously. `as` runs it as another system user (only meaningful when we
 * are root: Postgres refuses to run as root). Output goes to our stderr (never our stdout,
 * which belongs to the wrapped command), to `stdoutFd`, or is captured.
 */
export function run(cmd, args, { as, capture = false, cwd, env, stdoutFd } = {}) {
  const argv = as && isRoot() ? ['runuser', ['-u', as, '--', cmd, ...args]] : [cmd, args];
  const out = capture ? 'pipe' : (stdoutFd ?? 2);
  const r = spawnSync(argv[0], argv[1], {
    cwd,
    env: env ?? process.env,
    stdio: ['ignore', out, out],
    encoding: 'utf8',
  });
  return {
    ok: r.status === 0,
    status: r.status,
    error: r.error,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
  };
}

let aptUpdated = false;

/**
 * Installs Debian packages with apt-get when we are root; otherwise returns the exact command
 * the user has to run. apt output goes to a log file: the user sees one line, not 300.
 */
export function aptInstall(packages, { kinoDir, root }) {
  const command = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  if (!which('apt-get')) {
    return { ok: false, fix: `install ${packages.join(', ')} with your system's package manager` };
  }
  if (!isRoot()) return { ok: false, fix: `sudo ${command}` };

  mkdirSync(kinoDir, { recursive: true });
  const logFile = join(kinoDir, 'apt.log');
  const shownLog = display(root, logFile);
  const fd = openSync(logFile, 'a');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    // `apt-get update` once per run, and only when something must be installed: fresh images
    // ship without package lists, and refreshing them costs seconds.
    if (!aptUpdated) {
      say(`apt-get update (log: ${shownLog})`);
      const u = run('apt-get', ['update'], { env, stdoutFd: fd });
      if (!u.ok) return { ok: false, fix: `apt-get update && ${command}   (see ${shownLog})` };
      aptUpdated = true;
    }
    say(`installing ${packages.join(' ')} with apt-get (log: ${shownLog}) …`);
    const r = run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env, stdoutFd: fd });
    if (!r.ok) {
      say(`apt-get install failed; last lines of ${shownLog}:`);
      const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-8);
      for (const line of tail) say(`  ${line}`);
      return { ok: false, fix: command };
    }
    return { ok: true };
  } finally {
    closeSync(fd);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** True while a process with this pid exists (signal 0 only checks). */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}
