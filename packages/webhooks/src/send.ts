import { request, type Agent, type Dispatcher } from 'undici';
import { blockedCause, checkLiteralHost, createGuardedAgent, type Resolver } from '@kino/egress';
import { parseRetryAfter } from './retry.ts';

export const USER_AGENT = 'Kino-Webhooks/0.1 (+https://www.standardwebhooks.com)';

/** Responses are kept for the deliveries page only as far as their first kilobyte. */
const SNIPPET_BYTES = 1024;

export interface SendResult {
  /** The receiver's status, or null when no response came. */
  status: number | null;
  error: string | null;
  responseBody: string | null;
  durationMs: number;
  /** The address guard refused the target: retrying will not help. */
  blocked: boolean;
  /** The send was cut short because the dispatcher is stopping: not the receiver's fault. */
  aborted: boolean;
  /** From a Retry-After header, when the receiver sent one. */
  retryAfterMs: number | null;
}

/**
 * The HTTP agent of webhook deliveries: every connection goes through the address guard
 * (@kino/egress), and no redirect is followed (undici's `request` never follows one; a
 * 3xx is a failed attempt, as the Standard Webhooks spec asks).
 */
export function createWebhookAgent(opts: { allowPrivate: boolean; timeoutMs: number; resolve?: Resolver }): Agent {
  return createGuardedAgent({
    allowPrivate: opts.allowPrivate,
    resolve: opts.resolve,
    connectTimeoutMs: opts.timeoutMs,
    headersTimeoutMs: opts.timeoutMs,
    bodyTimeoutMs: opts.timeoutMs,
    keepAliveTimeoutMs: 4_000,
    connections: 16,
  });
}

export interface SendOptions {
  dispatcher: Dispatcher;
  allowPrivate: boolean;
  timeoutMs: number;
  /** Aborts the send when the dispatcher is forced to stop. */
  stopSignal?: AbortSignal;
}

/** POSTs one signed payload and reports what happened; never throws. */
export async function sendWebhook(url: string, headers: Record<string, string>, body: string, o: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const result = (r: Partial<SendResult>): SendResult => ({
    status: null,
    error: null,
    responseBody: null,
    blocked: false,
    aborted: false,
    retryAfterMs: null,
    durationMs: Math.round(performance.now() - started),
    ...r,
  });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return result({ error: 'invalid URL', blocked: true });
  }
  const refused = checkLiteralHost(target.hostname, { allowPrivate: o.allowPrivate });
  if (refused) return result({ error: refused.message, blocked: true });

  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = o.stopSignal ? AbortSignal.any([timeout, o.stopSignal]) : timeout;
  try {
    const res = await request(target, {
      method: 'POST',
      headers: { ...headers, 'user-agent': USER_AGENT },
      body,
      dispatcher: o.dispatcher,
      signal,
    });
    const snippet = await readSnippet(res.body);
    return result({
      status: res.statusCode,
      error: res.statusCode >= 200 && res.statusCode < 300 ? null : `HTTP ${res.statusCode}`,
      responseBody: snippet,
      retryAfterMs: parseRetryAfter(res.headers['retry-after']),
    });
  } catch (err) {
    if (o.stopSignal?.aborted && !timeout.aborted) return result({ error: 'dispatcher stopped', aborted: true });
    if (timeout.aborted) return result({ error: `timeout: no complete response within ${o.timeoutMs} ms` });
    const blocked = blockedCause(err);
    if (blocked) return result({ error: blocked.message, blocked: true });
    return result({ error: describe(err) });
  }
}

async function readSnippet(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= SNIPPET_BYTES) break; // leaving the loop destroys the rest of the body
    }
  } catch {
    // A body cut off after the status line still leaves the status as the answer.
  }
  if (size === 0) return null;
  // Postgres text holds no NUL; a multi-byte character cut at the end decodes to U+FFFD.
  return Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8').replaceAll('\u0000', '');
}

/** One line for the deliveries page: the error code and message, no stack. */
function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code && e.code !== 'UND_ERR_SOCKET' ? e.code : (e.cause?.code ?? e.code);
  const message = e.message || e.cause?.message || String(err);
  return (code ? `${code}: ${message}` : message).slice(0, 500);
}
