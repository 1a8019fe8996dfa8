import { isAbort, KinoError } from '@kino/sdk';
import { EXIT, type ExitCode } from './exit-codes.ts';

// Every failure ends as one printed error — the API's code and message, its request id when
// there is one — and an exit code from exit-codes.ts. The SDK keeps API keys out of its
// messages and the CLI's own never name one; anything else is printed scrubbed of secrets.

/** A failure the CLI itself detects, with the exit code it means. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export const notLoggedIn = () =>
  new CliError('NOT_LOGGED_IN', 'Not logged in: run `kino login`, or set KINO_API_URL and KINO_API_KEY.', EXIT.AUTH);

export const usageError = (message: string) => new CliError('USAGE', message, EXIT.USAGE);

export interface PrintedError {
  code: string;
  message: string;
  request_id?: string;
}

export function describeError(err: unknown): PrintedError {
  if (err instanceof KinoError) return { code: err.code, message: err.message, ...(err.requestId && { request_id: err.requestId }) };
  if (err instanceof CliError) return { code: err.code, message: err.message };
  if (isAbort(err)) return { code: 'INTERRUPTED', message: 'Interrupted.' };
  // JSON.parse quotes the text around its fault, which may be a file holding a key.
  if (err instanceof SyntaxError) return { code: 'INTERNAL', message: 'Something the CLI read is not valid JSON.' };
  return { code: 'INTERNAL', message: scrubSecrets(err instanceof Error ? err.message : String(err)) };
}

/** API keys (`kino_…`) and webhook secrets (`whsec_…`), whole or cut short. */
const SECRET = /(kino|whsec)_[A-Za-z0-9+/=_-]*/g;

/** `text` with every API key or webhook secret in it reduced to its `kino_`/`whsec_` prefix. */
const scrubSecrets = (text: string) => text.replace(SECRET, '$1_…');

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof CliError) return err.exitCode;
  if (isAbort(err)) return EXIT.INTERRUPTED;
  if (err instanceof KinoError) {
    if (err.code === 'NETWORK_ERROR') return EXIT.NETWORK;
    if (err.status === 401) return EXIT.AUTH;
  }
  return EXIT.FAILED;
}
