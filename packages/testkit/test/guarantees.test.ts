import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/architecture.md lists each guarantee with the tests that prove it, as
// `path/to/file.test.ts` › "test title". A guarantee whose test was renamed or deleted
// would silently become a claim again: this fails instead.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HEADING = '## Guarantees and their tests';

export interface TestRef {
  file: string;
  title: string;
}

/** The references in the section, in order. */
export function parseGuarantees(markdown: string): TestRef[] {
  const start = markdown.indexOf(`\n${HEADING}\n`);
  if (start === -1) throw new Error(`docs/architecture.md has no "${HEADING}" section`);
  const rest = markdown.slice(start + HEADING.length + 2);
  const end = rest.search(/\n## /);
  const section = end === -1 ? rest : rest.slice(0, end);
  return [...section.matchAll(/`([^`\s]+\.test\.ts)` › "([^"]+)"/g)].map((m) => ({ file: m[1]!, title: m[2]! }));
}

/**
 * The titles of `it`/`test` calls in a test file (`.each`, `.only` included; a skipped test
 * proves nothing, so `.skip` is not), as matchers: a template literal's `${…}` parts match anything.
 */
export function testTitles(source: string): RegExp[] {
  const titles: RegExp[] = [];
  const call = /\b(?:it|test)(?:\.(?:each\([^)]*\)|only|concurrent|sequential))*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/gs;
  for (const m of source.matchAll(call)) {
    const quote = m[1]!;
    const raw = m[2]!;
    const unescapeText = (s: string) => s.replace(/\\(.)/g, '$1');
    const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern =
      quote === '`'
        ? raw
            .split(/\$\{[^}]*\}/)
            .map((part) => escapeRegExp(unescapeText(part)))
            .join('.+')
        : escapeRegExp(unescapeText(raw));
    titles.push(new RegExp(`^${pattern}$`));
  }
  return titles;
}

describe('the guarantees section of docs/architecture.md', () => {
  it('names only test files and test titles that exist', async () => {
    const refs = parseGuarantees(await readFile(`${ROOT}docs/architecture.md`, 'utf8'));
    expect(refs.length).toBeGreaterThan(20);
    const missing: string[] = [];
    const titlesOf = new Map<string, RegExp[]>();
    for (const { file, title } of refs) {
      if (!existsSync(`${ROOT}${file}`)) {
        missing.push(`${file} (no such file)`);
        continue;
      }
      if (!titlesOf.has(file)) titlesOf.set(file, testTitles(await readFile(`${ROOT}${file}`, 'utf8')));
      if (!titlesOf.get(file)!.some((t) => t.test(title))) missing.push(`${file} › "${title}"`);
    }
    expect(missing).toEqual([]);
  });

  it('the checker itself tells a present title from an absent one', () => {
    const src = `it('plain one', () => {});\nit("double \\"q\\"", () => {});\nit(\`\${N} of them\`, () => {});\ntest.each([1])('each %s', () => {});\nit('it\\'s escaped', () => {});`;
    const titles = testTitles(src);
    const has = (t: string) => titles.some((r) => r.test(t));
    expect(['plain one', 'double "q"', '500 of them', 'each %s', "it's escaped"].every(has)).toBe(true);
    expect(has('plain')).toBe(false);
    expect(has('of them')).toBe(false);
    const doc = `x\n${HEADING}\n\n- **A.** \`a/b.test.ts\` › "plain one"; \`c.test.ts\` › "two"\n\n## Next\n- \`d.test.ts\` › "not in the section"\n`;
    expect(parseGuarantees(doc)).toEqual([
      { file: 'a/b.test.ts', title: 'plain one' },
      { file: 'c.test.ts', title: 'two' },
    ]);
  });
});
