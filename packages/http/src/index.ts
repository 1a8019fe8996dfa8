import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorSchema } from './schemas.ts';

// The one error shape of every Kino service: {"error": {"code", "message", "details"?,
// "request_id"}}, with stable UPPER_SNAKE codes and the right status.

/** An error a service means to return. */
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

export const newRequestId = (): string => `req_${randomUUID().replaceAll('-', '')}`;

export const errorBody = (e: ApiError, requestId: string): string =>
  JSON.stringify({
    error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }), request_id: requestId },
  });

/** fastify's own errors (validation, body parsing, unknown content type) in our terms. */
export function fromFastifyError(err: FastifyError | Error): ApiError {
  if (err instanceof ApiError) return err;
  const fe = err as FastifyError;
  if (fe.validation) {
    return new ApiError(
      400,
      'VALIDATION_ERROR',
      `Invalid request: ${fe.message}`,
      fe.validation.map((v) => ({ path: v.instancePath || fe.validationContext, message: v.message })),
    );
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
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new ApiError(fe.statusCode, 'BAD_REQUEST', fe.message);
  return new ApiError(500, 'INTERNAL_ERROR', 'Something went wrong on our side; the request id helps us find it.');
}

export function sendError(request: FastifyRequest, reply: FastifyReply, e: ApiError): FastifyReply {
  return reply.code(e.status).type('application/json; charset=utf-8').send(errorBody(e, request.id));
}

export interface ErrorHandlingOptions {
  /** Maps a service's own error types before the generic mapping. */
  map?: (err: Error) => ApiError | undefined;
  /** Runs after an error answer was sent (the api drains refused uploads here). */
  afterSend?: (request: FastifyRequest) => void;
}

/** Every error and unknown route of `app` answers in the one shape. */
export function registerErrorHandling(app: FastifyInstance, o: ErrorHandlingOptions = {}): void {
  app.addSchema(ErrorSchema);
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const e = o.map?.(err) ?? fromFastifyError(err);
    if (e.code === 'INTERNAL_ERROR') request.log.error({ err }, 'request failed');
    sendError(request, reply, e);
    o.afterSend?.(request);
    return reply;
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new ApiError(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}

export * from './rate-limit.ts';
export * from './readiness.ts';
export * from './schemas.ts';
