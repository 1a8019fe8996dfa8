import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_FILE, renderTypes, TYPES_FILE } from '../scripts/types.ts';

const run = promisify(execFile);
/** The monorepo's private condition for the TypeScript sources (tsconfig.base.json, vitest.config.ts, bin/kino.mjs). */
const SOURCE_CONDITION = '@kino/source';
const dir = new URL('..', import.meta.url).pathname;

describe('the @kino/sdk package', () => {
  it('has types generated from the current docs/openapi.json (npm run docs)', async () => {
    const expected = await renderTypes(JSON.parse(await readFile(DOCUMENT_FILE, 'utf8')));
    expect((await readFile(TYPES_FILE, 'utf8')) === expected, 'packages/sdk/src/openapi.ts is stale: run `npm run docs`').toBe(true);
  });

  it('packs the built files, the README and package.json only, depends on no workspace package, and keeps node: out of the browser entry', async () => {
    // prepack builds dist/ (tsc), so this also proves the build.
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json'], { cwd: dir, maxBuffer: 16 << 20 });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as [{ name: string; files: { path: string }[] }];
    const files = packed.files.map((f) => f.path).sort();
    expect(packed.name).toBe('@kino/sdk');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/node.js');
    expect(files.filter((f) => !/^dist\/[a-z-]+\.(js|d\.ts)$/.test(f))).toEqual(['README.md', 'package.json']);

    const manifest = JSON.parse(await readFile(`${dir}package.json`, 'utf8'));
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith('@kino/'))).toEqual([]);
    // What a consumer resolves: the build, never the sources (those are the workspace's `@kino/source` view).
    for (const entry of ['.', './node']) expect(manifest.exports[entry].default).toMatch(/^\.\/dist\//);
    // Every condition a consumer's tooling may turn on (bundlers set `development` in dev mode)
    // leads to a packed file; only the private one the monorepo sets leads to the sources.
    const targets = (value: unknown, conditions: string[]): [string, string[]][] =>
      typeof value === 'string'
        ? [[value, conditions]]
        : Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
            targets(v, k.startsWith('.') ? conditions : [...conditions, k]),
          );
    const reachable = targets(manifest.exports, []).filter(([, conditions]) => !conditions.includes(SOURCE_CONDITION));
    expect(reachable.length).toBeGreaterThan(4);
    for (const [target, conditions] of reachable)
      expect(files, `${conditions.join('+')} → ${target}`).toContain(target.replace(/^\.\//, ''));
    expect(manifest.exports['.'][SOURCE_CONDITION]).toBe('./src/index.ts');

    // The browser entry, as built, reaches no node: module (those live behind @kino/sdk/node).
    const reached = new Set<string>();
    const visit = async (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const [, spec] of (await readFile(`${dir}dist/${file}`, 'utf8')).matchAll(/from ['"]([^'"]+)['"]/g)) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(/^node:/);
        if (spec!.startsWith('./')) await visit(spec!.slice(2));
      }
    };
    await visit('index.js');
    expect(reached.has('node.js')).toBe(false);
    expect(reached.size).toBeGreaterThan(5);
  });
});
