import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@kino/http';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';
import { README_PARTS, renderReadme } from '../src/docs.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(() => h?.close());

describe('the README and the OpenAPI document', () => {
  it("restate the lists kept in code: the README's generated parts are current (npm run docs)", async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(README_PARTS)) expect(readme, name).toContain(`<!-- generated:${name} -->`);
    expect(renderReadme(readme) === readme, 'README.md is stale: run `npm run docs`').toBe(true);
    for (const code of Object.keys(ERROR_CODES)) expect(readme).toContain(`\`${code}\``);
  });

  it('enumerate every error code in the Error schema', async () => {
    const doc = (await (await fetch(`${h.api.url}/openapi.json`)).json()) as any;
    const error = doc.components.schemas.Error.properties.error.properties.code;
    expect(error.enum).toEqual(Object.keys(ERROR_CODES));
    // Every route's error answers refer to that schema (/readyz's 503 is its readiness report).
    const { '/readyz': _ready, ...paths } = doc.paths;
    const refs = Object.values(paths).flatMap((methods: any) =>
      Object.values(methods).flatMap((op: any) =>
        Object.entries(op.responses ?? {})
          .filter(([status]) => /^[45]/.test(status))
          .map(([, r]: [string, any]) => r.content?.['application/json']?.schema?.$ref),
      ),
    );
    expect(refs.length).toBeGreaterThan(10);
    expect(new Set(refs)).toEqual(new Set(['#/components/schemas/Error']));
  });
});
