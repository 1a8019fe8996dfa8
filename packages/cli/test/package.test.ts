import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '@kino/testkit';

// What `npm publish` would ship of @kino/cli: its bin, its compiled code and README — no
// sources, tests or source maps, and nothing of the other workspace packages.

const PKG = fileURLToPath(new URL('..', import.meta.url));

describe('the @kino/cli package', () => {
  it('packs bin, dist and README only, with a bin that is packed and dependencies a registry can resolve', async () => {
    // --dry-run still runs prepack, which builds dist/.
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json'], { cwd: PKG, maxBuffer: 16 * 1024 * 1024 });
    const [info] = JSON.parse(stdout) as [{ name: string; files: { path: string }[] }];
    const files = info.files.map((f) => f.path).sort();
    expect(info.name).toBe('@kino/cli');
    expect(files).toEqual(expect.arrayContaining(['README.md', 'package.json', 'bin/kino.js', 'dist/main.js', 'dist/mcp/server.js']));
    for (const f of files) expect(f).toMatch(/^(README\.md|package\.json|bin\/kino\.js|dist\/[a-z/-]+\.js)$/);
    const pkg = JSON.parse(await readFile(`${PKG}/package.json`, 'utf8'));
    expect(files).toContain(pkg.bin.kino);
    expect(pkg.private).toBeUndefined();
    for (const [name, range] of Object.entries(pkg.dependencies as Record<string, string>)) {
      expect({ name, range }).toEqual({ name, range: expect.stringMatching(/^\^\d+\.\d+\.\d+$/) });
    }
  });

  it('has a bin that, when dist is not built, says how to build it and exits 2', async () => {
    // The bin alone, as in a checkout where nobody ran the build.
    const copy = await scratchDir('kino-cli-bin-');
    await mkdir(join(copy, 'bin'));
    await copyFile(join(PKG, 'bin', 'kino.js'), join(copy, 'bin', 'kino.js'));
    const r = await promisify(execFile)(process.execPath, [join(copy, 'bin', 'kino.js'), 'ls']).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('@kino/cli is not built: run npm run build in packages/cli, or use npm run kino in the repository.\n');
  });
});
