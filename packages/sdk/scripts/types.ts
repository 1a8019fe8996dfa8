import openapiTS, { astToString } from 'openapi-typescript';

// The SDK's types are openapi-typescript's reading of docs/openapi.json, committed at
// src/openapi.ts (biome leaves it as generated). test/types.test.ts fails when they differ.

export const TYPES_FILE = new URL('../src/openapi.ts', import.meta.url);
export const DOCUMENT_FILE = new URL('../../../docs/openapi.json', import.meta.url);

const HEADER = '// Generated from docs/openapi.json by `npm run docs` (packages/sdk/scripts/types.ts): do not edit.\n\n';

type Operation = { tags?: string[] };
type Document = { paths?: Record<string, Record<string, Operation | unknown>> };

export async function renderTypes(document: object): Promise<string> {
  // A copy: openapi-typescript resolves references in the object it is given.
  const ast = await openapiTS(publicPart(structuredClone(document) as Document) as Parameters<typeof openapiTS>[0]);
  return HEADER + astToString(ast);
}

/** The document without its `internal` operations (edges' and operators' routes): an SDK user has no token for them. */
function publicPart(document: Document): Document {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if ((operation as Operation).tags?.includes('internal')) delete item[method];
    }
    if (!Object.keys(item).some((key) => ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(key))) {
      delete document.paths![path];
    }
  }
  return document;
}
