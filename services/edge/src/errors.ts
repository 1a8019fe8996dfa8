import type { ServerResponse } from 'node:http';
import { CORS_HEADERS } from '@kino/edge-cache';
import { type ApiError, errorBody, newRequestId } from '@kino/http';

// The one error shape (packages/http) for the fastify control routes, and here for the raw
// playback handler, which answers without fastify.
export { ApiError, newRequestId, registerErrorHandling } from '@kino/http';

/** An error answer from the playback handler; CORS included, so a player can read it. */
export function writeError(res: ServerResponse, e: ApiError, extraHeaders: string[] = []): void {
  const requestId = newRequestId();
  const body = errorBody(e, requestId);
  res.writeHead(e.status, [
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    String(Buffer.byteLength(body)),
    'cache-control',
    'no-store',
    'x-request-id',
    requestId,
    ...CORS_HEADERS,
    ...extraHeaders,
  ]);
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
