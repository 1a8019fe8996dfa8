#!/usr/bin/env node
// The `kino` command: the published bin (../bin/kino.js, through dist) and the repository's
// bin/kino.mjs (through tsx) both run this.
import { run } from './cli.ts';

const code = await run(process.argv.slice(2));
// Exit once stdout is flushed: idle keep-alive sockets must not hold the process open.
process.stdout.write('', () => process.exit(code));
