// Step 5: run the wrapped command as if it had been started directly — same stdio, signals
// reach it once, and its exit status becomes ours.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { say } from './log.mjs';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
// Signals a terminal sends to its whole foreground process group (Ctrl-C, Ctrl-\, hangup).
const FROM_TERMINAL = new Set(['SIGINT', 'SIGQUIT', 'SIGHUP']);

/**
 * True when we sit in the foreground process group of a terminal. Then a Ctrl-C has already
 * reached the child (it shares our group), and forwarding would deliver it twice — which
 * many tools (vitest, tsx watch) read as "force quit now".
 */
function inTerminalForeground() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    const tpgid = Number(fields[5]);
    return tpgid > 0 && tpgid === pgrp;
  } catch {
    return false; // no /proc: forward, better twice than never
  }
}

/** Spawns argv with env and never returns: the process exits the way the child did. */
export function runCommand(argv, env) {
  const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit', env });

  const forward = (signal) => {
    if (FROM_TERMINAL.has(signal) && inTerminalForeground()) return;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);

  child.once('error', (err) => {
    say(err.code === 'ENOENT' ? `command not found: ${argv[0]}` : `could not run ${argv[0]}: ${err.message}`);
    process.exit(err.code === 'ENOENT' ? 127 : 126);
  });

  child.once('exit', (code, signal) => {
    for (const s of FORWARDED) process.off(s, forward);
    if (signal) {
      // Die of the same signal so a calling shell sees "interrupted", not an exit code.
      process.kill(process.pid, signal);
      setTimeout(() => process.exit(128 + (constants.signals[signal] ?? 0)), 100);
      return;
    }
    process.exit(code ?? 1);
  });
}
