import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, registerErrorHandling as register } from '@kino/http';
import { AnalyticsQueryError, isAnalyticsUnavailable } from '@kino/analytics';
import { PayloadTooLargeError } from '@kino/ingest';

export { ApiError } from '@kino/http';

export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `${what} not found.`);

/** The packages' own refusals (uploads, analytics), in the API's terms. An IngestError is an ApiError already. */
function fromPackages(err: Error): ApiError | undefined {
  if (err instanceof PayloadTooLargeError) return new ApiError(413, 'PAYLOAD_TOO_LARGE', err.message, { max_bytes: err.limit });
  // @fastify/multipart's limits (videos.ts): a form is a few text fields and one file.
  const code = (err as { code?: string }).code;
  if (code === 'FST_FILES_LIMIT')
    return new ApiError(400, 'VALIDATION_ERROR', 'A form takes one file; this one has more.', [
      { path: 'form', message: 'more than one file' },
    ]);
  if (code === 'FST_FIELDS_LIMIT')
    return new ApiError(
      400,
      'VALIDATION_ERROR',
      'The form has more fields than an upload takes: title, passthrough, playback_policy and one file.',
      [{ path: 'form', message: 'too many fields' }],
    );
  if (err instanceof AnalyticsQueryError) return new ApiError(400, err.code, err.message);
  if (isAnalyticsUnavailable(err))
    return new ApiError(503, 'ANALYTICS_UNAVAILABLE', 'Analytics are unavailable right now; try again shortly.');
  return undefined;
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
  register(app, { map: fromPackages, afterSend: discardRestOfBody });
}
