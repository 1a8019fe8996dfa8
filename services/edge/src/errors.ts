import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import { CORS_HEADERS } from '@kino/edge-cache';

// The one error shape, {"error": {"code", "message", "details"?, "request_id"}}, for the
// raw playback handler and for the fastify control routes alike.

export class EdgeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const newRequestId = (): string => `req_${randomUUID().replaceAll('-', '')}`;

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'request_id'],
      properties: {
        code: { type: 'string', description: 'Stable UPPER_SNAKE identifier of the error.' },
        message: { type: 'string' },
        details: {},
        request_id: { type: 'string' },
      },
    },
  },
} as const;

const errorBody = (e: EdgeError, requestId: string): string =>
  JSON.stringify({ error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }), request_id: requestId } });

/** An error answer from the playback handler; CORS included, so a player can read it. */
export function writeError(res: ServerResponse, e: EdgeError, extraHeaders: string[] = []): void {
  const requestId = newRequestId();
  const body = errorBody(e, requestId);
  res.writeHead(e.status, [
    'content-type', 'application/json; charset=utf-8',
    'content-length', String(Buffer.byteLength(body)),
    'cache-control', 'no-store',
    'x-request-id', requestId,
    ...CORS_HEADERS,
    ...extraHeaders,
  ]);
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.addSchema(errorSchema);
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let e: EdgeError;
    if (err instanceof EdgeError) e = err;
    else if (err.validation) {
      e = new EdgeError(400, 'VALIDATION_ERROR', `Invalid request: ${err.message}`,
        err.validation.map((v) => ({ path: v.instancePath || err.validationContext, message: v.message })));
    }
    else if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      e = new EdgeError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) e = new EdgeError(err.statusCode, 'BAD_REQUEST', err.message);
    else e = new EdgeError(500, 'INTERNAL_ERROR', 'Something went wrong on the edge; the request id helps find it.');
    if (e.status >= 500) request.log.error({ err }, 'request failed');
    return reply.code(e.status).type('application/json; charset=utf-8').send(errorBody(e, request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    const e = new EdgeError(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`);
    return reply.code(404).type('application/json; charset=utf-8').send(errorBody(e, request.id));
  });
}
