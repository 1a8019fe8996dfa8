#!/usr/bin/env node
// `kino <role>` runs one role in this process against external services (DATABASE_URL,
// REDIS_URL, S3_ENDPOINT …); `kino up` runs them all on embedded defaults; `kino accounts`
// manages accounts (see `kino accounts --help`).
import { register } from 'tsx/esm/api';

const entries = {
  api: '../services/api/src/main.ts',
  worker: '../services/worker/src/main.ts',
  edge: '../services/edge/src/main.ts',
  up: '../scripts/up.ts',
  accounts: '../services/api/src/accounts-cli.ts',
};

const role = process.argv[2];
if (!(role in entries)) {
  console.error(`usage: kino <${Object.keys(entries).join('|')}>`);
  process.exit(2);
}
register();
await import(new URL(entries[role], import.meta.url).href);
