import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

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
});
