import { readFile, writeFile } from 'node:fs/promises';
import { renderReadme } from '@kino/api/docs';

// Rewrites the README's generated parts (the error table, progress steps, webhook retries)
// from the lists in code. `npm test` fails when they are stale.
const path = new URL('../README.md', import.meta.url);
const before = await readFile(path, 'utf8');
const after = renderReadme(before);
if (after !== before) await writeFile(path, after);
console.log(after === before ? 'README.md is up to date' : 'README.md rewritten');
