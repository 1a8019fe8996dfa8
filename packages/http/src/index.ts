import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.ts';
import { ErrorSchema } from './schemas.ts';
import { describeValidation } from './strict.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The request content types a route takes, named when it refuses another (default: JSON). */
    accepts?: readonly string[];
  }
}

export { ApiError } from './api-error.ts';

export const newRequestId = (): string => `req_${randomUUID().replaceAll('-', '')}`;

export const errorBody = (e: ApiError, requestId: string): string =>
  JSON.stringify({
    error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }), request_id: requestId },
  });

/** What `curl -d` sends; people mean `--data-binary` when they send a file with it. */
export const FORM_ENCODED_HINT =
  "curl -d sends a form (application/x-www-form-urlencoded): send a file with --data-binary @file and a media content type, e.g. -H 'content-type: video/mp4'.";

function unsupportedContentType(request: FastifyRequest | undefined): ApiError {
  const received = request?.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  const accepts = request?.routeOptions.config.accepts ?? ['application/json'];
  const json = accepts.includes('application/json');
  const files = accepts.some((type) => type !== 'application/json');
  // What `curl -d` was likely meant to send: JSON to a JSON route; a file (or, where the
  // route also takes JSON, a JSON body) to a route that takes files.
  const hint =
    received !== 'application/x-www-form-urlencoded'
      ? ''
      : !files
        ? " curl -d sends a form (application/x-www-form-urlencoded): add -H 'content-type: application/json'."
        : ` ${FORM_ENCODED_HINT}${json ? " For a JSON body, add -H 'content-type: application/json'." : ''}`;
  return new ApiError(
    415,
    'UNSUPPORTED_CONTENT_TYPE',
    `${received ? `The content type ${received} is` : 'A body without a content type is'} not accepted here; send ${accepts.join(', ')}.${hint}`,
    { received: received ?? null, accepted: accepts },
  );
}

/** fastify's own errors (validation, body parsing, unknown content type) in our terms. */
export function fromFastifyError(err: FastifyError | Error, request?: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err;
  const fe = err as FastifyError;
  if (fe.validation) return describeValidation(fe, request);
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedContentType(request);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
  }
  // Any other refusal of a plugin's: its status stays in the family the table documents.
  if (fe.statusCode === 413) return new ApiError(413, 'PAYLOAD_TOO_LARGE', `The request is too large: ${fe.message}.`);
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new ApiError(400, 'BAD_REQUEST', fe.message);
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
    const e = o.map?.(err) ?? fromFastifyError(err, request);
    if (e.code === 'INTERNAL_ERROR') request.log.error({ err }, 'request failed');
    sendError(request, reply, e);
    o.afterSend?.(request);
    return reply;
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new ApiError(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}

export * from './cursor.ts';
export * from './error-codes.ts';
export * from './rate-limit.ts';
export * from './readiness.ts';
export * from './schemas.ts';
export * from './strict.ts';
export * from './response-check.ts';
