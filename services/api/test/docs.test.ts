import { readFile } from 'node:fs/promises';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '@kino/events';
import { ERROR_CODES } from '@kino/http';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';
import { README_PARTS, renderOpenApi, renderReadme } from '../src/docs.ts';
import { publishedDocument } from '../src/openapi.ts';

let h: ApiHarness;
let doc: any;
beforeAll(async () => {
  h = await startApiHarness();
  doc = await (await fetch(`${h.api.url}/openapi.json`)).json();
});
afterAll(() => h?.close());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]: [string, any]) =>
    Object.entries(methods).map(([method, op]: [string, any]) => ({ where: `${method.toUpperCase()} ${path}`, op })),
  );

/** The validator's verdict on `document`, its errors in words. */
async function verdict(document: unknown): Promise<{ valid: boolean; errors: string[] }> {
  // validate() dereferences what it is given: it gets a copy.
  const result = await validate(structuredClone(document) as any);
  return { valid: result.valid, errors: result.valid ? [] : result.errors.map((e) => e.message) };
}

describe('the README and the OpenAPI document', () => {
  it("restate the lists kept in code: the README's generated parts are current (npm run docs)", async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(README_PARTS)) expect(readme, name).toContain(`<!-- generated:${name} -->`);
    expect(renderReadme(readme) === readme, 'README.md is stale: run `npm run docs`').toBe(true);
    for (const code of Object.keys(ERROR_CODES)) expect(readme).toContain(`\`${code}\``);
  });

  it('enumerate every error code in the Error schema', async () => {
    const error = doc.components.schemas.Error.properties.error.properties.code;
    expect(error.enum).toEqual(Object.keys(ERROR_CODES));
    // Every route's error answers refer to that schema (/readyz's 503 is its readiness report).
    const refs = operations()
      .filter(({ where }) => where !== 'GET /readyz')
      .flatMap(({ op }) =>
        Object.entries(op.responses ?? {})
          .filter(([status]) => /^[45]/.test(status))
          .map(([, r]: [string, any]) => r.content?.['application/json']?.schema?.$ref),
      );
    expect(refs.length).toBeGreaterThan(100);
    expect(new Set(refs)).toEqual(new Set(['#/components/schemas/Error']));
  });
});

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const { valid, errors } = await verdict(doc);
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
  });

  it('fails validation when broken: a dangling reference, or a response without its description', async () => {
    const dangling = structuredClone(doc);
    dangling.paths['/v1/assets/{id}'].get.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Nothing' };
    expect((await verdict(dangling)).valid).toBe(false);
    const undescribed = structuredClone(doc);
    delete undescribed.paths['/v1/assets/{id}'].get.responses['200'].description;
    expect((await verdict(undescribed)).valid).toBe(false);
  });

  it('names every operation with a unique camelCase operationId and declares its answers, errors included', () => {
    const ids = operations().map(({ where, op }) => {
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]*$/);
      const statuses = Object.keys(op.responses ?? {});
      expect(statuses.some((s) => /^2/.test(s)), `${where} declares a success`).toBe(true);
      // Explicit statuses, so an SDK can tell them apart; every route can fail on our side.
      expect(statuses.filter((s) => /XX$/.test(s)), where).toEqual([]);
      if (where !== 'GET /readyz') expect(statuses, where).toContain('500');
      if (op.security?.length !== 0) expect(statuses, `${where} takes a key or token`).toContain('401');
      return op.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['getAsset', 'listAssets', 'deleteAsset', 'createVideo', 'streamEvents', 'createTusUpload']));
  });

  it('types the events: one schema per event type, Event their union by `type`, and a webhook per type', () => {
    const { schemas } = doc.components;
    const types = Object.keys(EVENT_TYPES);
    expect(Object.keys(schemas.Event.discriminator.mapping)).toEqual(types);
    for (const [type, ref] of Object.entries<string>(schemas.Event.discriminator.mapping)) {
      const name = ref.replace('#/components/schemas/', '');
      expect(schemas[name].properties.type.const, name).toBe(type);
      expect(schemas[name].required, name).toEqual(expect.arrayContaining(['id', 'type', 'created_at', 'data']));
    }
    expect(schemas.WebhookEvent.required).toEqual(['type', 'timestamp', 'data']);
    expect(Object.keys(doc.webhooks).sort()).toEqual([...types].sort());
    // The SSE stream is described as one, and its events point at the union.
    expect(Object.keys(doc.paths['/v1/events'].get.responses['200'].content)).toEqual(['text/event-stream']);
  });

  it('is written to docs/openapi.json as served, apart from the server (npm run docs)', async () => {
    const file = await readFile(new URL('../../../docs/openapi.json', import.meta.url), 'utf8');
    expect(file === (await renderOpenApi()), 'docs/openapi.json is stale: run `npm run docs`').toBe(true);
    // The document built without a running api is the one the api serves.
    expect(publishedDocument(doc)).toBe(file);
  });
});
