#!/usr/bin/env node
// The published `kino`: the compiled CLI in ../dist. In a checkout dist is not built unless
// asked for, and an ERR_MODULE_NOT_FOUND would not say what to do.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('@kino/cli is not built: run npm run build in packages/cli, or use npm run kino in the repository.\n');
  process.exit(2);
}
await import(main.href);
