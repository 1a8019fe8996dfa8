import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, checkResponsesAgainstDocument, registerErrorHandling, takeResponseViolations } from '../src/index.ts';

// The document an SDK is typed from must describe every answer: the check records what it
// does not (route, status and why), and the testkit fails the test that caused it.
const doc = {
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          200: {
            description: 'OK',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          404: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: { type: 'object', properties: { id: { type: 'string' }, size: { type: 'integer' } }, required: ['id', 'size'] },
      Error: { type: 'object', properties: { error: { type: 'object', required: ['code'] } }, required: ['error'] },
    },
  },
};

const app = Fastify();
registerErrorHandling(app);
checkResponsesAgainstDocument(app, () => doc);
// The route's own schema lets a missing `size` through: the check holds the answer to the
// document, as the handler returned it.
app.get(
  '/things/:id',
  {
    schema: {
      response: {
        200: { type: 'object', properties: { id: { type: 'string' }, size: { type: 'integer' } } },
      },
    },
  },
  async (request) => {
    const { id } = request.params as { id: string };
    if (id === 'gone') throw new ApiError(410, 'ASSET_DELETED', 'Gone.');
    if (id === 'missing') throw new ApiError(404, 'NOT_FOUND', 'Thing not found.');
    return id === 'good' ? { id, size: 1 } : { id };
  },
);
afterAll(() => app.close());

describe('response checks', () => {
  it('pass answers the document describes, errors included', async () => {
    expect((await app.inject('/things/good')).statusCode).toBe(200);
    expect((await app.inject('/things/missing')).statusCode).toBe(404);
    expect(takeResponseViolations()).toEqual([]);
  });

  it("record a body that is not its schema's, as the handler returned it, naming the route and status", async () => {
    const res = await app.inject('/things/bad');
    expect(res.statusCode).toBe(200);
    const [violation, ...more] = takeResponseViolations();
    expect(more).toEqual([]);
    expect(violation).toContain('GET /things/{id} answered 200 with a body its schema does not describe');
    expect(violation).toContain("must have required property 'size'");
  });

  it('record a status the document does not declare for the route', async () => {
    expect((await app.inject('/things/gone')).statusCode).toBe(410);
    expect(takeResponseViolations()).toEqual(['GET /things/{id} answered 410: the document declares no 410 answer for GET /things/{id}']);
  });
});
