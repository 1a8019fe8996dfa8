#!/usr/bin/env node
// `kino <role>` runs one role in this process against external services (DATABASE_URL,
// REDIS_URL, S3_ENDPOINT …); `kino up` runs them all on embedded defaults; `kino accounts`
// manages accounts (see `kino accounts --help`). Every other command is the client CLI of
// packages/cli (`kino upload`, `kino ls`, `kino mcp` …), which @kino/cli publishes alone.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

const entries = {
  api: '../services/api/src/main.ts',
  worker: '../services/worker/src/main.ts',
  edge: '../services/edge/src/main.ts',
  up: '../scripts/up.ts',
  accounts: '../services/api/src/accounts-cli.ts',
};

const role = process.argv[2];
if (role === undefined || role === '--help' || role === '-h' || role === 'help') {
  console.error(`In this repository also: kino <${Object.keys(entries).join('|')}> run the server roles.\n`);
}
register();
// Workspace packages published with a build (@kino/sdk) are read from their sources here,
// through their private `@kino/source` export condition: the repository runs without building them.
registerHooks(
  'data:text/javascript,export const resolve = (s, c, next) => next(s, { ...c, conditions: [...c.conditions, "@kino/source"] });',
);
const entry = Object.hasOwn(entries, role ?? '') ? entries[role] : '../packages/cli/src/main.ts';
await import(new URL(entry, import.meta.url).href);
