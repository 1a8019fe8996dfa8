import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { randomUUID } from 'node:crypto';
import {
  Defaulted,
  Dictionary,
  ErrorSchema,
  NoBody,
  Nullable,
  Page,
  pageCursor,
  pageOf,
  RawBody,
  readCursor,
  refTo,
  StringEnum,
} from '../src/index.ts';

// What the helpers write is what the OpenAPI document (and the SDK built from it) says, so
// their spellings are pinned here. JSON round trips drop TypeBox's non-enumerable markers,
// as fastify and @fastify/swagger see the schemas.
const json = (schema: unknown) => JSON.parse(JSON.stringify(schema));

describe('schema helpers', () => {
  it('spell enums, nullables and dictionaries the JSON Schema way', () => {
    expect(json(StringEnum(['a', 'b'], { description: 'd' }))).toEqual({ type: 'string', enum: ['a', 'b'], description: 'd' });
    expect(json(Nullable(Type.String({ format: 'date-time' }), { description: 'd' }))).toEqual({
      type: ['string', 'null'],
      format: 'date-time',
      description: 'd',
    });
    expect(json(Nullable(Type.Array(Type.Integer())))).toEqual({ type: ['array', 'null'], items: { type: 'integer' } });
    // An enum that allows null lists it, or the enum refuses what the type admits.
    expect(json(Nullable(StringEnum(['a'])))).toEqual({ type: ['string', 'null'], enum: ['a', null] });
    expect(json(Dictionary(Type.Integer()))).toEqual({ type: 'object', additionalProperties: { type: 'integer' } });
    expect(json(RawBody({ description: 'HTML' }))).toEqual({ type: 'string', description: 'HTML' });
    expect(json(NoBody())).toEqual({ type: 'null' });
    expect(() => Nullable(Type.Unknown())).toThrow(TypeError);
  });

  it('leave a defaulted property out of `required`', () => {
    const q = Type.Object({ limit: Defaulted(Type.Integer({ default: 25 })), id: Type.String() });
    expect(json(q)).toEqual({
      type: 'object',
      required: ['id'],
      properties: { limit: { type: 'integer', default: 25 }, id: { type: 'string' } },
    });
    expect(() => Defaulted(Type.Integer())).toThrow(TypeError);
  });

  it('refer to a schema by its $id', () => {
    expect(json(refTo(ErrorSchema, { description: 'd' }))).toEqual({ $ref: 'Error#', description: 'd' });
    expect(() => refTo(Type.String())).toThrow(TypeError);
    expect(json(ErrorSchema).required).toEqual(['error']);
    expect(json(ErrorSchema).properties.error.required).toEqual(['code', 'message', 'request_id']);
  });

  it('page with both fields required (every page carries them), and pageOf reads one row past the page', () => {
    expect(json(Page(Type.String()))).toEqual({
      type: 'object',
      required: ['data', 'next_cursor'],
      properties: {
        data: { type: 'array', items: { type: 'string' } },
        next_cursor: { type: ['string', 'null'], description: 'Pass it back as `cursor` for the next page; null on the last one.' },
      },
    });
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const rows = [{ id: a }, { id: b }, { id: c }];
    const page = pageOf(rows, 2, (r) => r.id, { state: 'ready' });
    expect(page.data).toEqual([a, b]);
    expect(readCursor(page.next_cursor!, {}, { state: ['ready'] })).toEqual({ after: b, filters: { state: 'ready' }, limit: 2 });
    expect(pageOf(rows, 3, (r) => r.id)).toEqual({ data: [a, b, c], next_cursor: null });
    expect(pageOf([], 3, (r: { id: string }) => r.id)).toEqual({ data: [], next_cursor: null });
  });

  it('cursors keep their filters: repeated ones pass, others and forged ones are refused', () => {
    const allowed = { state: ['ready', 'failed'], deleted: [true, false] };
    const cursor = pageCursor(randomUUID(), { state: 'ready', deleted: false });
    expect(readCursor(cursor, { state: 'ready', deleted: undefined }, allowed).filters).toEqual({ state: 'ready', deleted: false });
    const refused = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ status: 400, code: 'INVALID_CURSOR' }));
    refused(() => readCursor(cursor, { state: 'failed' }, allowed));
    refused(() => readCursor(cursor, { deleted: true }, allowed));
    // Not made by pageCursor, or naming a filter value no query could have.
    refused(() => readCursor('not-a-cursor', {}, allowed));
    refused(() => readCursor(pageCursor('x', {}), {}, allowed));
    refused(() => readCursor(pageCursor(randomUUID(), { state: "'; drop table assets" }), {}, allowed));
    refused(() => readCursor(pageCursor(randomUUID(), { other: 'ready' }), {}, allowed));
    refused(() => readCursor(pageCursor(randomUUID(), { constructor: 'x' }), {}, allowed));
    // A bare row id (a cursor from before they carried filters) pages with the filters sent.
    const id = randomUUID();
    expect(readCursor(id, { state: 'failed', deleted: undefined }, allowed)).toEqual({
      after: id,
      filters: { state: 'failed' },
      limit: undefined,
    });
  });
});
