import openapiTS, { astToString } from 'openapi-typescript';

// The SDK's types are openapi-typescript's reading of docs/openapi.json, committed at
// src/openapi.ts (biome leaves it as generated). test/types.test.ts fails when they differ.

export const TYPES_FILE = new URL('../src/openapi.ts', import.meta.url);
export const DOCUMENT_FILE = new URL('../../../docs/openapi.json', import.meta.url);

const HEADER = '// Generated from docs/openapi.json by `npm run docs` (packages/sdk/scripts/types.ts): do not edit.\n\n';

export async function renderTypes(document: object): Promise<string> {
  // A copy: openapi-typescript resolves references in the object it is given.
  const ast = await openapiTS(structuredClone(document) as Parameters<typeof openapiTS>[0]);
  return HEADER + astToString(ast);
}
