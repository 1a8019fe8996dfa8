import { KinoError } from '@kino/sdk';

// The SDK has helpers for most routes; the two the CLI calls through the raw client
// (an asset's event log, a URL import) need a refusal turned into a KinoError as the
// helpers do. The SDK keeps its own such function internal.

type ErrorBody = { error?: { code?: string; message?: string; request_id?: string; details?: unknown } };

/** The data of a 2xx answer of kino.api; any other answer as a KinoError in the one error shape. */
export async function unwrap<D>(call: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  const { data, error, response } = await call;
  if (response.ok) return data as D;
  const e = (error as ErrorBody | undefined)?.error ?? {};
  throw new KinoError({
    code: e.code ?? `HTTP_${response.status}`,
    message: e.message ?? `The API answered ${response.status}.`,
    status: response.status,
    requestId: e.request_id ?? response.headers.get('x-request-id') ?? undefined,
    details: e.details,
  });
}
