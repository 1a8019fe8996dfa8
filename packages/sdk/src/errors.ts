/**
 * Every failure the SDK reports: an API refusal (the one error shape
 * `{ error: { code, message, details?, request_id } }`), or a client-side one with status 0
 * (NETWORK_ERROR, WEBHOOK_SIGNATURE_INVALID, TIMEOUT, …). Messages never carry the API key.
 */
export class KinoError extends Error {
  override readonly name = 'KinoError';
  readonly code: string;
  /** The HTTP status, or 0 when no answer came (or the failure is the client's own). */
  readonly status: number;
  /** The api's request id (quote it when reporting a problem). */
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor(o: { code: string; message: string; status: number; requestId?: string | undefined; details?: unknown; cause?: unknown }) {
    super(o.message, o.cause === undefined ? undefined : { cause: o.cause });
    this.code = o.code;
    this.status = o.status;
    this.requestId = o.requestId;
    this.details = o.details;
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown; request_id?: unknown };
}

/** The KinoError for a non-2xx answer, from its body (already read, or still to read). */
export function errorFromAnswer(response: Response, body: unknown): KinoError {
  const e = (typeof body === 'object' && body !== null ? (body as ErrorBody).error : undefined) ?? {};
  const requestId = typeof e.request_id === 'string' ? e.request_id : (response.headers.get('x-request-id') ?? undefined);
  return new KinoError({
    code: typeof e.code === 'string' ? e.code : `HTTP_${response.status}`,
    message: typeof e.message === 'string' ? e.message : `The api answered ${response.status} ${response.statusText}`.trim(),
    status: response.status,
    requestId,
    details: e.details,
  });
}

/** Reads a refusal's body (JSON when it is, nothing otherwise) and makes its KinoError. */
export async function errorFromResponse(response: Response): Promise<KinoError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return errorFromAnswer(response, body);
}

export function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

/** A fetch that turns a failure to get any answer into a KinoError NETWORK_ERROR (aborts stay aborts). */
export function guardedFetch(fetchImpl: typeof fetch, origin: string): typeof fetch {
  return async (input, init) => {
    try {
      return await fetchImpl(input, init);
    } catch (err) {
      if (isAbort(err) || err instanceof KinoError) throw err;
      // undici puts the reason (ECONNREFUSED, a reset…) in `cause`; the URL is the origin only,
      // so no query string (and no key) can leak through the message.
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new KinoError({ code: 'NETWORK_ERROR', status: 0, message: `Could not reach ${origin}: ${why}`, cause: err });
    }
  };
}
