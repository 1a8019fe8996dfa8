import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorCodeTable, type ErrorCode } from '../src/index.ts';

// `ApiError` only takes a listed code (the compiler checks that); this checks the status
// each source file answers a code with is one the list documents for it.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function* sources(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !['node_modules', 'test', 'dist'].includes(entry.name)) yield* sources(path);
    else if (entry.isFile() && entry.name.endsWith('.ts')) yield path;
  }
}

describe('the error codes', () => {
  it('are answered only with the statuses the list documents for them', async () => {
    const seen: string[] = [];
    for (const top of ['packages', 'services', 'apps']) {
      for await (const file of sources(join(ROOT, top))) {
        const text = await readFile(file, 'utf8');
        // `new ApiError(404, 'CODE'` and the edge's path refusals `status: 404, code: 'CODE'`.
        for (const m of text.matchAll(/ApiError\(\s*(\d{3}),\s*'([A-Z_]+)'|status: (\d{3}),\s*code: '([A-Z_]+)'/g)) {
          const status = Number(m[1] ?? m[3]);
          const code = (m[2] ?? m[4]) as ErrorCode;
          seen.push(code);
          expect(ERROR_CODES[code]?.status, `${file.slice(ROOT.length)}: ${status} ${code}`).toContain(status);
        }
      }
    }
    // The scan did find the codes it is meant to check.
    expect(seen).toEqual(expect.arrayContaining(['NOT_FOUND', 'ROUTE_NOT_FOUND', 'TOKEN_MISSING', 'SEGMENT_NOT_READY']));
  });

  it('render as one table row each, ordered by status', () => {
    const rows = errorCodeTable().split('\n').slice(2);
    expect(rows.map((r) => /`([A-Z_]+)`/.exec(r)![1]).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    const statuses = rows.map((r) => Number(r.split('|')[1]!.trim().split(',')[0]));
    expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
  });
});
