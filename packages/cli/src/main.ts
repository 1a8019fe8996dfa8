#!/usr/bin/env node
// The `kino` command: the published bin (../bin/kino.js, through dist) and the repository's
// bin/kino.mjs (through tsx) both run this.
import { run } from './cli.ts';
import { EXIT } from './exit-codes.ts';

// A reader that stopped reading (`kino ls --json | head -1`, `kino events --follow | head`)
// is not a failure: stop quietly, as the shell's own tools do, instead of an EPIPE crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.OK);
  throw err;
});

const code = await run(process.argv.slice(2));
// Exit once stdout is flushed: idle keep-alive sockets must not hold the process open.
process.stdout.write('', () => process.exit(code));
