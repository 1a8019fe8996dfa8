import { ApiError } from '@kino/http';
import { ERRORS } from '@tus/utils';
import { uploadExpiredRefusal } from './sweep.ts';

// @tus/server refuses requests with its own statuses and plain-text bodies. Each is said
// here in the API's terms, so a tus client gets the one error shape like every caller.

/** @tus/server's refusals, by the error object it throws. */
const REFUSALS = new Map<unknown, (maxBytes: number) => ApiError>([
  [
    ERRORS.INVALID_OFFSET,
    () => new ApiError(409, 'UPLOAD_OFFSET_MISMATCH', 'Upload-Offset is not where the upload stands: ask with HEAD, then send from there.'),
  ],
  [
    ERRORS.ABORTED,
    () =>
      new ApiError(
        409,
        'UPLOAD_INTERRUPTED',
        'The request was cut short (the connection broke, or a newer request for this upload took over): ask with HEAD, then resume.',
      ),
  ],
  [ERRORS.FILE_NOT_FOUND, () => new ApiError(404, 'NOT_FOUND', 'Upload not found.')],
  [ERRORS.FILE_NO_LONGER_EXISTS, uploadExpiredRefusal],
  [
    ERRORS.ERR_MAX_SIZE_EXCEEDED,
    (max) => new ApiError(413, 'PAYLOAD_TOO_LARGE', `The upload is larger than the limit of ${max} bytes.`, { max_bytes: max }),
  ],
  [
    ERRORS.ERR_SIZE_EXCEEDED,
    () => new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The request sends more bytes than the upload has left (Upload-Length).'),
  ],
  [
    ERRORS.INVALID_LENGTH,
    () =>
      new ApiError(400, 'VALIDATION_ERROR', 'Send the size of the whole file as Upload-Length (deferred lengths are not taken).', [
        { path: 'headers.upload-length', message: 'required' },
      ]),
  ],
  [
    ERRORS.INVALID_METADATA,
    () =>
      new ApiError(400, 'VALIDATION_ERROR', 'Upload-Metadata must be comma-separated `key base64value` pairs with unique keys.', [
        { path: 'headers.upload-metadata', message: 'malformed' },
      ]),
  ],
  [
    ERRORS.MISSING_OFFSET,
    () => new ApiError(400, 'VALIDATION_ERROR', 'Send Upload-Offset.', [{ path: 'headers.upload-offset', message: 'required' }]),
  ],
  [ERRORS.INVALID_CONTENT_TYPE, () => unsupportedContentType()],
  [
    ERRORS.UNSUPPORTED_CONCATENATION_EXTENSION,
    () => new ApiError(501, 'TUS_EXTENSION_UNSUPPORTED', 'Concatenation is not offered: upload in one sequence (no parallel uploads).'),
  ],
  [
    ERRORS.UNSUPPORTED_CREATION_DEFER_LENGTH_EXTENSION,
    () => new ApiError(501, 'TUS_EXTENSION_UNSUPPORTED', 'Deferred lengths are not offered: send Upload-Length when creating the upload.'),
  ],
]);

const unsupportedContentType = () =>
  new ApiError(415, 'UNSUPPORTED_CONTENT_TYPE', 'A tus PATCH sends its bytes as application/offset+octet-stream.', {
    accepted: ['application/offset+octet-stream'],
  });

/**
 * `error` (what @tus/server threw, if it threw) and its answer in the API's terms; an error
 * of ours is returned as it is, and anything unknown (a fault of S3, say) is passed on for
 * the service to answer as its own fault.
 */
export function tusRefusal(error: unknown, answer: { status: number; body: string }, maxBytes: number): unknown {
  if (error instanceof ApiError) return error;
  const known = REFUSALS.get(error);
  if (known) return known(maxBytes);
  // Answered without throwing: its header check, whose text is `Invalid {header names}`.
  const invalid = error === undefined && answer.status === 400 ? /^Invalid (.+)$/.exec(answer.body.trim())?.[1]?.split(' ') : undefined;
  if (invalid?.includes('content-type')) return unsupportedContentType();
  if (invalid) {
    return new ApiError(
      400,
      'VALIDATION_ERROR',
      `Invalid tus header${invalid.length > 1 ? 's' : ''}: ${invalid.join(', ')}.`,
      invalid.map((name) => ({ path: `headers.${name}`, message: 'invalid' })),
    );
  }
  return error ?? new Error(`tus answered ${answer.status}: ${answer.body.trim()}`);
}
