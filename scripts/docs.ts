import { readFile, writeFile } from 'node:fs/promises';
import { renderOpenApi, renderReadme } from '@kino/api/docs';

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
// The player's bundle, built in the background by the api's routes, holds the process otherwise.
process.exit(0);
