// Step 1: node_modules. Installs only when missing or older than package-lock.json, so a
// ready checkout pays one stat() per file, not an `npm install`.

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

export function ensureNodeModules(root, report) {
  const reason = installReason(root);
  if (!reason) {
    say('node_modules: up to date');
    return;
  }
  // Not `npm ci`, even in CI: npm 11 records only this platform's builds of turbo's
  // optional binaries in the lock and then `npm ci` refuses that very lock as incomplete.
  // `npm install` still installs the locked versions.
  const args = ['install', '--no-audit', '--no-fund'];
  say(`node_modules: ${reason}, running npm ${args[0]} …`);
  const r = run('npm', args, { cwd: root });
  if (!r.ok) {
    report.cannot(`npm ${args[0]} failed (exit ${r.status ?? r.error?.code})`, `npm ${args[0]}   (in ${root})`);
    return;
  }
  // npm leaves node_modules/.package-lock.json alone when nothing changed; touch it so a lock
  // that was merely re-saved does not trigger an install on every run.
  const hidden = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(hidden)) {
    const now = new Date();
    utimesSync(hidden, now, now);
  }
  say(`node_modules: npm ${args[0]} done`);
}
