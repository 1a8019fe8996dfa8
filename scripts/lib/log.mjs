// Output of the bootstrap. Everything goes to stderr so that the wrapped command owns stdout
// (`npm run kino -- … | jq` must see only the command's output).

import { isAbsolute, relative } from 'node:path';

const PREFIX = '[kino]';

/** A path as the user should read it: relative to the repo when inside it. */
export function display(root, path) {
  const rel = relative(root, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** One line saying what a step found or did. */
export function say(message) {
  process.stderr.write(`${PREFIX} ${message}\n`);
}

/**
 * Collects what the bootstrap could not do, each with the exact command that fixes it, so
 * the user gets one summary at the end instead of a failure buried in the middle.
 */
export class Report {
  problems = [];
  notes = [];

  /** Something is missing; `fix` is the command (or instruction) the user should run. */
  cannot(what, fix) {
    this.problems.push({ what, fix });
    say(`✗ ${what}`);
  }

  /** Something worth repeating in the summary (e.g. servers left running). */
  note(message) {
    this.notes.push(message);
  }

  get ok() {
    return this.problems.length === 0;
  }

  printSummary() {
    for (const n of this.notes) say(n);
    if (this.ok) return;
    say('could not prepare everything:');
    for (const { what, fix } of this.problems) {
      say(`  - ${what}`);
      if (fix) say(`    fix: ${fix}`);
    }
  }
}
