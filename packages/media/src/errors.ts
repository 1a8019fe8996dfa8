export type MediaErrorCode =
  | 'NO_MEDIA_STREAMS'
  | 'ZERO_DURATION'
  | 'CORRUPT_SOURCE'
  | 'FFMPEG_FAILED'
  | 'FFMPEG_TIMEOUT'
  | 'UNSAFE_COMMAND'
  | 'UNSUPPORTED_METRIC'
  | 'ABORTED';

/**
 * The one error type this package throws. `message` is shown to the uploader as is, so it
 * names what is wrong with their file, not which tool complained; the tool's own words go
 * to `stderrTail` for operators.
 */
export class MediaError extends Error {
  override name = 'MediaError';
  readonly code: MediaErrorCode;
  readonly stderrTail?: string;

  constructor(code: MediaErrorCode, message: string, opts: { stderrTail?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    if (opts.stderrTail !== undefined) this.stderrTail = opts.stderrTail;
  }
}

export const CORRUPT_SOURCE_MESSAGE = 'The file could not be read as video: it may be truncated or corrupt.';
