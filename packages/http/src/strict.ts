import type { FastifyError, FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import { ApiError } from './api-error.ts';

// A misspelt parameter (`tittle=`, `status=`) must be an error, not a silent no-op: every
// querystring and JSON body schema refuses what it does not name. fastify's ajv would
// strip unknown properties instead (removeAdditional), so a service that refuses them
// builds its server with `strictAjv` and registers `refuseUnknownParameters`.

/** The ajv options under which `additionalProperties: false` refuses rather than strips. */
export const strictAjv: FastifyServerOptions['ajv'] = { customOptions: { removeAdditional: false } };

type Schema = { type?: unknown; properties?: Record<string, unknown>; additionalProperties?: unknown };

function closed(schema: unknown): void {
  const s = schema as Schema | undefined;
  if (s && s.type === 'object' && s.properties && s.additionalProperties === undefined) s.additionalProperties = false;
}

type PerContentType = { content?: Record<string, { schema?: Schema }> };

/** A body schema, or one per content type (`{content: {'application/json': {schema}}}`). */
function closedBody(body: unknown): void {
  const content = (body as PerContentType | undefined)?.content;
  if (content) for (const media of Object.values(content)) closed(media.schema);
  else closed(body);
}

/**
 * Closes the querystring and body schema of every route `app` (and its children) adds from
 * now on; a route without a querystring schema takes no query parameters at all.
 */
export function refuseUnknownParameters(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    route.schema ??= {};
    // A fresh object per route: fastify and the OpenAPI generator may annotate schemas.
    route.schema.querystring ??= { type: 'object', properties: {}, additionalProperties: false };
    closed(route.schema.querystring);
    closedBody(route.schema.body);
  });
}

const WHERE: Record<string, string> = { querystring: 'query parameter', body: 'body field', params: 'path parameter', headers: 'header' };

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * One validation failure in words a caller can act on: which parameter, what it must be,
 * and what this route takes instead of an unknown one.
 */
export function describeValidation(err: FastifyError, request: FastifyRequest | undefined): ApiError {
  const errors = (err.validation ?? []) as AjvError[];
  const context = err.validationContext ?? 'request';
  const what = WHERE[context] ?? context;
  const declared = (request?.routeOptions.schema as Record<string, (Schema & PerContentType) | undefined> | undefined)?.[context];
  const mediaType = request?.headers['content-type']?.split(';')[0]?.trim().toLowerCase() ?? '';
  const schema = declared?.content ? declared.content[mediaType]?.schema : declared;
  const input = (request as unknown as Record<string, unknown> | undefined)?.[context === 'querystring' ? 'query' : context];
  const details = errors.map((v) => {
    const name = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    // An unknown or missing property is named by its params, not its (parent's) path.
    const named = String(v.params['additionalProperty'] ?? v.params['missingProperty'] ?? '');
    return { path: [name, named].filter(Boolean).join('.') || context, message: sentence(v, name, what, schema, input) };
  });
  return new ApiError(400, 'VALIDATION_ERROR', details.map((d) => d.message).join(' ') || `Invalid request: ${err.message}`, details);
}

/** The value at a dotted path (`event_types.0`) of the request's part, if there is one. */
function valueAt(input: unknown, path: string): unknown {
  let at = input;
  for (const key of path ? path.split('.') : []) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return path ? at : undefined;
}

function sentence(v: AjvError, name: string, what: string, schema: Schema | undefined, input: unknown): string {
  const got = valueAt(input, name);
  const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
  switch (v.keyword) {
    case 'additionalProperties': {
      const unknown = String(v.params['additionalProperty']);
      const known = Object.keys(schema?.properties ?? {});
      const takes = known.length ? `this route takes ${known.map((k) => `\`${k}\``).join(', ')}` : `this route takes no ${what}s`;
      return `Unknown ${what} \`${unknown}\`: ${takes}.`;
    }
    case 'enum':
      return `\`${name}\` must be one of: ${(v.params['allowedValues'] as unknown[]).join(', ')}${shown}.`;
    case 'const':
      return `\`${name}\` must be ${JSON.stringify(v.params['allowedValue'])}${shown}.`;
    case 'required':
      return `The ${what} \`${String(v.params['missingProperty'])}\` is required.`;
    case 'pattern': {
      // A pattern says little to a reader; the property's description says what it wants.
      const described = (schema?.properties?.[name] as { description?: string } | undefined)?.description;
      return described
        ? `\`${name}\` is not in the expected form: ${described.replace(/\.$/, '')}${shown}.`
        : `\`${name}\` ${v.message ?? 'is not valid'}${shown}.`;
    }
    default:
      return `\`${name || what}\` ${v.message ?? 'is not valid'}${shown}.`;
  }
}
