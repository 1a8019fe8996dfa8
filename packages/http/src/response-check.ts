import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import type { FastifyInstance, FastifyRequest } from 'fastify';

// Tests prove that every answer is one the OpenAPI document describes: an api built while
// checks are on validates each JSON body its routes answer against the document's schema
// for that route and status (what the SDK is typed from), and records every answer that
// does not fit, or that comes with a status the document does not declare. Object bodies
// are checked as the handler returned them (preSerialization): fastify's serializer would
// silently drop what the schema does not name and hide the difference. Only tests turn the
// checks on (the testkit's vitest setup); a violation fails the test that caused it.

interface Checks {
  enabled: boolean;
  violations: string[];
}

// On globalThis: the setup file and the api under test may load this module apart.
const KEY = Symbol.for('kino.responseChecks');
const checks = ((globalThis as Record<symbol, Checks | undefined>)[KEY] ??= { enabled: false, violations: [] });

/** Turns the checks on for every api built from now on in this process. */
export function enableResponseChecks(): void {
  checks.enabled = true;
}

export const responseChecksEnabled = (): boolean => checks.enabled;

/** The violations recorded since the last call, forgotten. */
export function takeResponseViolations(): string[] {
  return checks.violations.splice(0);
}

interface OpenApiDocument {
  paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components?: { schemas?: Record<string, unknown> };
}

const DOCUMENT_ID = 'kino-openapi';

/** `schema` with its references into the document's components resolvable from outside it. */
function rebased(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebased);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${DOCUMENT_ID}${v}` : rebased(v),
    ]),
  );
}

/** `/v1/assets/:id` as the document spells it. */
const documentPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

/**
 * Checks every answer of `app` against `document()` (read once, when the first answer is
 * checked). Install before the routes are registered, so every route gets the hooks.
 */
export function checkResponsesAgainstDocument(app: FastifyInstance, document: () => unknown): void {
  let doc: OpenApiDocument | undefined;
  let ajv: Ajv2020 | undefined;
  const compiled = new Map<string, ValidateFunction | null>();
  // The status each object body was checked with: its serialized form needs no second look.
  const checked = new WeakMap<FastifyRequest, number>();

  const validator = (path: string, method: string, status: number, mediaType: string) => {
    if (!doc || !ajv) {
      doc = document() as OpenApiDocument;
      // Unknown keywords (OpenAPI's discriminator, example) are annotations here.
      ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
      formats.default(ajv);
      ajv.addSchema({ $id: DOCUMENT_ID, components: doc.components ?? {} });
    }
    const operation = doc.paths?.[path]?.[method] ?? (method === 'head' ? doc.paths?.[path]?.['get'] : undefined);
    if (!operation) return { problem: `the document has no operation ${method.toUpperCase()} ${path}` };
    const responses = operation.responses ?? {};
    const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses['default'];
    if (!response) return { problem: `the document declares no ${status} answer for ${method.toUpperCase()} ${path}` };
    if (!mediaType.includes('json')) return {};
    const key = `${method} ${path} ${status}`;
    if (!compiled.has(key)) {
      const schema = response.content?.['application/json']?.schema;
      compiled.set(key, schema === undefined ? null : ajv.compile(rebased(schema) as object));
    }
    const validate = compiled.get(key);
    if (validate === null) return { problem: `the document declares no JSON body for ${status} of ${method.toUpperCase()} ${path}` };
    return { validate };
  };

  const check = (request: FastifyRequest, status: number, mediaType: string, body: unknown, hasBody: boolean) => {
    const url = request.routeOptions.url;
    if (url === undefined) return; // no route: the not-found handler's answer
    const path = documentPath(url);
    const method = request.method.toLowerCase();
    const where = `${request.method} ${path} answered ${status}`;
    try {
      const v = validator(path, method, status, hasBody ? mediaType : '');
      if (v.problem) return void checks.violations.push(`${where}: ${v.problem}`);
      if (v.validate && !v.validate(body)) {
        const errors = v.validate.errors?.map(
          (e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
        );
        checks.violations.push(`${where} with a body its schema does not describe: ${errors?.join('; ')}\n  body: ${JSON.stringify(body)}`);
      }
    } catch (err) {
      checks.violations.push(`${where}: the check failed: ${(err as Error).message}`);
    }
  };

  app.addHook('preSerialization', async (request, reply, payload) => {
    checked.set(request, reply.statusCode);
    check(request, reply.statusCode, 'application/json', payload, true);
    return payload;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (checked.get(request) === reply.statusCode) return payload;
    const mediaType = String(reply.getHeader('content-type') ?? '');
    const hasBody = payload !== null && payload !== undefined && payload !== '';
    let body: unknown = payload;
    if (hasBody && typeof payload === 'string' && mediaType.includes('json')) {
      try {
        body = JSON.parse(payload);
      } catch {
        checks.violations.push(`${request.method} ${request.routeOptions.url} answered ${reply.statusCode} with a body that is not JSON`);
        return payload;
      }
    } else if (hasBody && mediaType.includes('json')) {
      // A stream or buffer labelled JSON: nothing here reads it.
      return payload;
    }
    check(request, reply.statusCode, mediaType, body, hasBody);
    return payload;
  });
}
