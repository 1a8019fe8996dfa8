import type { FailureReport } from '@kino/jobs';
import { MediaError, scrub } from '@kino/media';

/** Failures that no retry can fix: the file itself is not something we can play. */
export const SOURCE_ERRORS: ReadonlySet<string> = new Set(['NO_MEDIA_STREAMS', 'ZERO_DURATION', 'CORRUPT_SOURCE']);
/**
 * How a failure reads on the asset and whether another attempt could succeed. `detail`
 * goes to the job record and the logs: like the asset's error, it is scrubbed of URLs,
 * paths and hosts (ffmpeg's words already are, by the runner; an S3 or database error's
 * are here), so a presigned URL or a scratch path never reaches either.
 */
export function describeFailure(err: unknown): FailureReport {
  if (err instanceof MediaError) {
    const detail = scrub([err.message, err.stderrTail].filter(Boolean).join('\n'));
    if (SOURCE_ERRORS.has(err.code)) return { detail, retryable: false, error: { code: err.code, message: err.message } };
    if (err.code === 'FFMPEG_TIMEOUT') {
      return {
        detail,
        retryable: false,
        error: { code: 'PROCESSING_TIMEOUT', message: 'Processing took longer than the configured limit.' },
      };
    }
    if (err.code === 'UNSAFE_COMMAND') {
      return { detail, retryable: false, error: { code: 'PROCESSING_FAILED', message: 'Processing failed: the command was refused.' } };
    }
    const last = err.stderrTail?.trim().split('\n').pop();
    return {
      detail,
      retryable: true,
      error: { code: 'ENCODING_FAILED', message: scrub(`The video could not be encoded${last ? `: ${last}` : '.'}`) },
    };
  }
  return {
    detail: scrub(err instanceof Error ? `${err.name}: ${err.message}` : String(err)),
    retryable: true,
    error: { code: 'PROCESSING_FAILED', message: 'Processing failed after several attempts.' },
  };
}
