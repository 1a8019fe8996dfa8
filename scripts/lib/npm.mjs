// Step 1: node_modules. Installs only when missing or older than package-lock.json, so a
// ready checkout pays one stat() per file, not an install.

import { existsSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './system.mjs';
import { say } from './log.mjs';

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : null);

/** Why an install is needed, or null when node_modules is current. */
function installReason(root) {
  const hidden = mtime(join(root, 'node_modules', '.package-lock.json'));
  if (!existsSync(join(root, 'node_modules')) || hidden === null) return 'node_modules is missing';
  const lock = mtime(join(root, 'package-lock.json'));
  if (lock !== null && lock > hidden) return 'package-lock.json changed';
  return null;
}

function npm(root, command, capture = false) {
  return run('npm', [command, '--no-audit', '--no-fund'], { cwd: root, capture });
}

// How `npm ci` says the lock and a package.json disagree (npm 10–11: code EUSAGE).
const LOCK_OUT_OF_STEP = /can only install packages when your package\.json and package-lock\.json|code EUSAGE/;

export function ensureNodeModules(root, report) {
  const reason = installReason(root);
  if (!reason) {
    say('node_modules: up to date');
    return;
  }
  // `npm ci` installs exactly what the lock says and never rewrites it, so a fresh clone
  // stays clean. Without a lock, or with one that package.json has outgrown (an edit not
  // yet installed), only `npm install` can proceed; it rewrites the lock, which is then a
  // change to commit.
  const hasLock = existsSync(join(root, 'package-lock.json'));
  let command = hasLock ? 'ci' : 'install';
  say(`node_modules: ${reason}, running npm ${command} …`);
  // ci's output is captured to tell "the lock is out of step" from any other failure (the
  // network, the disk, a prepare script): only the first is a reason to rewrite the lock.
  let r = npm(root, command, command === 'ci');
  if (command === 'ci') process.stderr.write(r.stdout + r.stderr);
  if (!r.ok && command === 'ci' && LOCK_OUT_OF_STEP.test(r.stdout + r.stderr)) {
    say(
      'node_modules: npm ci refused package-lock.json (out of step with a package.json?); falling back to npm install, which updates the lock: commit it',
    );
    command = 'install';
    r = npm(root, command);
  }
  if (!r.ok) {
    report.cannot(`npm ${command} failed (exit ${r.status ?? r.error?.code})`, `npm ${command}   (in ${root})`);
    return;
  }
  // npm leaves node_modules/.package-lock.json alone when nothing changed; touch it so a lock
  // that was merely re-saved does not trigger an install on every run.
  const hidden = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(hidden)) {
    const now = new Date();
    utimesSync(hidden, now, now);
  }
  say(`node_modules: npm ${command} done`);
}
