import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The address space has one owner. Source code elsewhere names keys and artifact paths
// through this package, so a new artifact kind or a new key layout is a change here and
// nowhere else. Tests are free to spell paths out: they check what the code builds.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCANNED = ['packages', 'services', 'apps', 'scripts', 'bin'];
const OWNER = join('packages', 'artifacts');
// Test support builds fixtures by hand, as tests do.
const EXEMPT = [OWNER, join('packages', 'testkit'), join('packages', 'testkit-stack')];
/** A quoted or template string that spells a key prefix, an artifact file name or the playback URL. */
const SPELLED =
  /['"`][^'"`\n]*(?:videos\/|sources\/|\.m3u8|\.m4s|opener\.mp4|thumbnail\.(?:jpg|webp|png)|storyboard\.(?:jpg|vtt)|animated\.(?:gif|webp)|images\/|init\.mp4|\/p\/)/;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'test' || name === 'dist') continue;
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) sources(path, out);
    else if (/\.(?:ts|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

describe('the address space', () => {
  it('is spelled only in packages/artifacts', () => {
    const offenders: string[] = [];
    for (const top of SCANNED) {
      for (const file of sources(join(ROOT, top))) {
        const rel = relative(ROOT, file);
        if (EXEMPT.some((dir) => rel.startsWith(`${dir}/`))) continue;
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            // Comments may describe paths; only code names them. A `//` comment starts a
            // line or follows a space, so `http://…/videos/` inside a string stays code.
            const code = line
              .replace(/\/\*.*?\*\//g, '')
              .replace(/(^|\s)\/\/.*$/, '')
              .replace(/^\s*\*.*$/, '');
            if (SPELLED.test(code)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(offenders).toEqual([]);
  });
});
