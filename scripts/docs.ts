import { readFile, writeFile } from 'node:fs/promises';
import { renderOpenApi, renderReadme } from '@kino/api/docs';
import { DOCUMENT_FILE, renderTypes, TYPES_FILE } from '../packages/sdk/scripts/types.ts';

// Rewrites the README's generated parts (the error table, progress steps, webhook retries)
// from the lists in code, and docs/openapi.json from the routes. `npm test` fails when
// either is stale.
async function rewrite(path: URL, name: string, render: (before: string) => string | Promise<string>): Promise<void> {
  const before = await readFile(path, 'utf8').catch(() => '');
  const after = await render(before);
  if (after !== before) await writeFile(path, after);
  console.log(after === before ? `${name} is up to date` : `${name} rewritten`);
}

await rewrite(new URL('../README.md', import.meta.url), 'README.md', renderReadme);
await rewrite(new URL('../docs/openapi.json', import.meta.url), 'docs/openapi.json', renderOpenApi);
await rewrite(TYPES_FILE, 'packages/sdk/src/openapi.ts', async () => renderTypes(JSON.parse(await readFile(DOCUMENT_FILE, 'utf8'))));
// The player's bundle, built in the background by the api's routes, holds the process otherwise.
process.exit(0);
