import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageCursor, type PageFilters } from './cursor.ts';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';
import { Type, type Static, type TSchema, type TSchemaOptions, type TUnsafe } from 'typebox';

// Route schemas are written with TypeBox, and fastify's type provider turns each route's
// schema into its request and reply types, so a route spells its shape once. Validation
// stays fastify's own ajv (coercion, defaults, removeAdditional): the provider is types only.
// The helpers below keep the JSON Schema spellings the OpenAPI document (and the SDK built
// from it) has always had where TypeBox would spell the same thing differently.

/** `app` with request and reply types taken from each route's TypeBox schema. */
export const typed = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>();

/** `{type: 'string', enum}` (TypeBox's own Enum leaves `type` out). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: TSchemaOptions = {}): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ type: 'string', enum: values, ...options });

/** `{type: [type, 'null'], …}` rather than TypeBox's `anyOf` of the type and null. */
export const Nullable = <T extends TSchema>(schema: T, options: TSchemaOptions = {}): TUnsafe<Static<T> | null> => {
  const { type } = schema as { type?: unknown };
  if (typeof type !== 'string') throw new TypeError('Nullable needs a schema with one `type`');
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'], ...options });
};

/** `{type: 'object', additionalProperties: values}`: any keys, each value a `values`. */
export const Dictionary = <T extends TSchema>(values: T, options: TSchemaOptions = {}): TUnsafe<Record<string, Static<T>>> =>
  Type.Unsafe<Record<string, Static<T>>>({ type: 'object', additionalProperties: values, ...options });

/** `{type: 'object', additionalProperties: true}`: an object of any shape. */
export const AnyObject = (options: TSchemaOptions = {}): TUnsafe<object> =>
  Type.Unsafe<object>({ type: 'object', additionalProperties: true, ...options });

/** A body that is not JSON (HTML, JavaScript, an event stream): `type: 'string'`, sent as text or bytes. */
export const RawBody = (options: TSchemaOptions = {}): TUnsafe<string | Buffer> =>
  Type.Unsafe<string | Buffer>({ type: 'string', ...options });

/** No body (204, 304): `type: 'null'` in the document, and `reply.send()` without a payload. */
export const NoBody = (options: TSchemaOptions = {}): TUnsafe<undefined> => Type.Unsafe<undefined>({ type: 'null', ...options });

/**
 * A property with a `default`: optional for the client (not in `required`), present for the
 * handler, since fastify's ajv fills defaults in (useDefaults) before the handler runs.
 */
export const Defaulted = <T extends TSchema>(schema: T): T => {
  if (!('default' in schema)) throw new TypeError('Defaulted needs a schema with a `default`');
  return Type.Optional(schema) as unknown as T;
};

/** `{$ref: '{$id}#'}` to a schema added with addSchema, typed as that schema. */
export const refTo = <T extends TSchema>(schema: T, options: TSchemaOptions = {}): TUnsafe<Static<T>> => {
  const { $id } = schema as { $id?: unknown };
  if (typeof $id !== 'string') throw new TypeError('refTo needs a schema with an `$id`');
  return Type.Unsafe<Static<T>>({ $ref: `${$id}#`, ...options });
};

export const Uuid = (options: TSchemaOptions = {}) => Type.String({ format: 'uuid', ...options });

/** `/…/:id` of a row addressed by its uuid. */
export const IdParams = Type.Object({ id: Uuid() });

/** The one error shape of every Kino service, referenced as `Error#` by every route's error responses. */
export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: StringEnum(Object.keys(ERROR_CODES) as ErrorCode[], {
        description: 'Stable UPPER_SNAKE identifier of the error; the README lists when each is answered.',
      }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
      request_id: Type.String(),
    }),
  },
  { $id: 'Error' },
);

/** Error responses for a route's `response`: 4xx, or 4xx and 5xx for routes that depend on another service. */
export const clientErrors = { '4xx': refTo(ErrorSchema) };
export const allErrors = { ...clientErrors, '5xx': refTo(ErrorSchema) };

/** The codes a status can carry, for the document's description of an error answer. */
const codesAt = (status: number) =>
  Object.entries(ERROR_CODES as Record<ErrorCode, { status: readonly number[] }>)
    .filter(([, d]) => d.status.includes(status))
    .map(([code]) => code);

/**
 * One error answer per status, each the `Error` schema: what a route declares so the
 * document (and the SDK built from it) names every status it can answer. `described`
 * says what a status means on this route; by default it lists the codes of that status.
 */
export function errorResponses(statuses: readonly number[], described: Readonly<Record<number, string>> = {}) {
  return Object.fromEntries(
    [...new Set(statuses)]
      .sort((a, b) => a - b)
      .map((s) => [s, refTo(ErrorSchema, { description: described[s] ?? `Error: ${codesAt(s).join(', ')}.` })]),
  );
}

/** A body that is not JSON, declared under its media type (text/html, text/event-stream…). */
export const TextBody = (mediaType: string, description: string) =>
  Type.Unsafe<string | Buffer>({ description, content: { [mediaType]: { schema: { type: 'string' } } } });

/** Cursor pagination: `limit` and the `next_cursor` of the previous page (opaque; see cursor.ts). */
export const PageQuery = {
  // Not defaulted: without it, a cursor's own page size holds (see cursor.ts).
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PAGE_SIZE,
      description: `Rows per page: ${DEFAULT_PAGE_SIZE} by default, or as many as the page the cursor came from.`,
    }),
  ),
  cursor: Type.Optional(
    Type.String({
      maxLength: 1024,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'next_cursor of the previous page. It keeps the filters of the first page: send it alone, or with the same filters.',
    }),
  ),
};

/** A page of `items`; `next_cursor` is null on the last one. */
export const Page = <T extends TSchema>(items: T) =>
  Type.Partial(
    Type.Object({
      data: Type.Array(items),
      next_cursor: Nullable(Type.String(), { description: 'Pass it back as `cursor` for the next page; null on the last one.' }),
    }),
  );

/**
 * The page answer from `limit + 1` rows read after the cursor: the extra row only tells
 * whether another page exists. `filters` are what the rows were read with; the next
 * page's cursor carries them.
 */
export function pageOf<R extends { id: string }, V>(
  rows: R[],
  limit: number,
  view: (row: R) => V,
  filters: PageFilters = {},
): { data: V[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  return { data: page.map(view), next_cursor: rows.length > limit ? pageCursor(page[page.length - 1]!.id, filters, limit) : null };
}
