import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IngestError, PayloadTooLargeError } from '@kino/ingest';

/** An error the API means to return: a stable UPPER_SNAKE code, a status and a sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `${what} not found.`);

/** The one error shape, referenced by every route's error responses in the OpenAPI document. */
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

function toApiError(err: FastifyError | Error): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof IngestError) return new ApiError(err.status, err.code, err.message);
  if (err instanceof PayloadTooLargeError) return new ApiError(413, 'PAYLOAD_TOO_LARGE', err.message, { max_bytes: err.limit });
  const fe = err as FastifyError;
  if (fe.validation) {
    return new ApiError(400, 'VALIDATION_ERROR', `Invalid request: ${fe.message}`,
      fe.validation.map((v) => ({ path: v.instancePath || fe.validationContext, message: v.message })));
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'UNSUPPORTED_CONTENT_TYPE', 'This content type is not accepted here.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new ApiError(fe.statusCode, 'BAD_REQUEST', fe.message);
  }
  return new ApiError(500, 'INTERNAL_ERROR', 'Something went wrong on our side; the request id helps us find it.');
}

export function sendError(request: FastifyRequest, reply: FastifyReply, e: ApiError): FastifyReply {
  return reply.code(e.status).type('application/json').send({
    error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }), request_id: request.id },
  });
}

const LINGER_MS = 5000;

/**
 * A refused upload may still be streaming in. Closing the socket at once would reset the
 * connection, and a client still sending often loses our answer with it; reading and
 * discarding for a few seconds (nginx's lingering close) lets it see the error, stop
 * sending, and keep the connection.
 */
function discardRestOfBody(request: FastifyRequest): void {
  const raw = request.raw;
  if (raw.complete) return;
  raw.unpipe();
  raw.resume();
  const timer = setTimeout(() => raw.socket?.destroy(), LINGER_MS).unref();
  raw.once('end', () => clearTimeout(timer));
  raw.once('close', () => clearTimeout(timer));
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.addSchema(errorSchema);
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const e = toApiError(err);
    if (e.code === 'INTERNAL_ERROR') request.log.error({ err }, 'request failed');
    sendError(request, reply, e);
    discardRestOfBody(request);
    return reply;
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new ApiError(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
