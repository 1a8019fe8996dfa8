import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { DOCUMENT_FILE, renderTypes, TYPES_FILE } from './types.ts';

// Rewrites src/openapi.ts from docs/openapi.json, or from the document named on the command
// line (a file path or an api's /openapi.json URL).
const source = process.argv[2];
const text = !source
  ? await readFile(DOCUMENT_FILE, 'utf8')
  : /^https?:/.test(source)
    ? await (await fetch(source)).text()
    : await readFile(pathToFileURL(source), 'utf8');
const next = await renderTypes(JSON.parse(text));
const before = await readFile(TYPES_FILE, 'utf8').catch(() => '');
if (next !== before) await writeFile(TYPES_FILE, next);
console.log(next === before ? 'packages/sdk/src/openapi.ts is up to date' : 'packages/sdk/src/openapi.ts rewritten');
