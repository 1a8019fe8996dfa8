import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { buildPlayerBundle, preparePlayerBundle } from '../src/bundle.ts';

const exec = promisify(execFile);

// Refuses esbuild to bundle.ts only (tsx itself runs on esbuild): a process that serves the
// prepared bundle must never build one.
const NO_BUILDS = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  "export async function resolve(s, c, next) { if (s === 'esbuild' && c.parentURL?.endsWith('/src/bundle.ts')) throw new Error('built'); return next(s, c); }"));
`)}`;

it('serves the bundle prepared at install without building it, byte for byte a fresh build', async () => {
  await preparePlayerBundle();
  const { stdout } = await exec(
    process.execPath,
    [
      '--import',
      NO_BUILDS,
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { playerBundle } = await import('@kino/player'); process.stdout.write((await playerBundle()).hash);`,
    ],
    { cwd: fileURLToPath(new URL('..', import.meta.url)) },
  );
  expect(stdout).toBe((await buildPlayerBundle()).hash);
});
