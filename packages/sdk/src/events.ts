import { errorFromResponse, isAbort, KinoError } from './errors.ts';
import { type Transport, url } from './http.ts';
import { sleep } from './sleep.ts';
import { readSse } from './sse.ts';
import type { KinoEvent } from './types.ts';

export interface StreamOptions {
  /**
   * Resume after this event id (a sequence number); without it the stream starts now (and a
   * reconnection goes on from that "now", missing nothing).
   */
  lastEventId?: string;
  /** Only this asset's events. */
  assetId?: string;
  signal?: AbortSignal;
  /** A connection silent this long (the api pings every 15 s by default) is dropped and reopened. */
  idleTimeoutMs?: number;
}

const IDLE_MS = 60_000;
const BACKOFF_MS = [250, 500, 1000, 2000, 5000];
/** Answers worth reconnecting after: the api (or a proxy before it) restarting or overloaded. */
const RETRIED = new Set([429, 502, 503, 504]);
/** A Retry-After is honoured up to this: a stream is not left silent for longer on a proxy's word. */
const MAX_RETRY_AFTER_MS = 60_000;

/** The answer's Retry-After (seconds or an HTTP date) in ms, bounded; 0 without one. */
function retryAfterMs(response: Response): number {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return 0;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : 0;
}

/**
 * GET /v1/events as an async iterator. After a drop (network, api restart, an idle
 * connection) it reconnects with Last-Event-ID, so the api replays exactly what came after
 * the last event yielded: no gap, no duplicate. It ends when `signal` aborts or the loop
 * breaks; it throws a KinoError on a refusal (401, 404 …) and when the key is revoked mid-stream.
 */
export async function* streamEvents(t: Transport, opts: StreamOptions = {}): AsyncGenerator<KinoEvent> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();
  let last = opts.lastEventId;
  // Connections in a row that brought nothing new: the backoff grows with them, so an api
  // (or a proxy) answering 200 and closing at once is not hammered.
  let failures = 0;
  let retryAfter = 0;
  try {
    while (!stop.signal.aborted) {
      // One controller per connection: the idle watchdog drops this one, not the whole stream.
      const connection = new AbortController();
      const cut = () => connection.abort();
      stop.signal.addEventListener('abort', cut, { once: true });
      let idle: ReturnType<typeof setTimeout> | undefined;
      const activity = () => {
        clearTimeout(idle);
        idle = setTimeout(cut, opts.idleTimeoutMs ?? IDLE_MS);
      };
      try {
        activity();
        const response = await t.fetch(url(t, '/v1/events', { asset_id: opts.assetId }), {
          headers: { ...t.headers, accept: 'text/event-stream', ...(last ? { 'last-event-id': last } : {}) },
          signal: connection.signal,
        });
        if (!response.ok || !response.body) {
          const error = await errorFromResponse(response);
          if (!RETRIED.has(response.status)) throw error;
          retryAfter = retryAfterMs(response);
          failures++;
        } else {
          for await (const m of readSse(response.body, activity)) {
            // Messages already read stay unsent once the caller has stopped.
            if (stop.signal.aborted) return;
            if (m.event === 'error') throw errorFromEvent(m.data ?? '');
            if (m.id !== undefined && last !== undefined && Number(m.id) <= Number(last)) continue;
            if (m.id !== undefined) last = m.id;
            failures = 0;
            // A block of `id:` alone: where a stream that started "now" starts, kept for a reconnection.
            if (m.data === undefined) continue;
            yield JSON.parse(m.data) as KinoEvent;
          }
          // The api closed the stream (a restart, a slow reader let go): reopen after a breath.
          failures++;
        }
      } catch (err) {
        if (stop.signal.aborted) return;
        // A dropped connection (ours by the watchdog, or the network's) is reopened; anything else is the caller's.
        if (!(isAbort(err) || (err instanceof KinoError && err.code === 'NETWORK_ERROR') || err instanceof TypeError)) throw err;
        failures++;
      } finally {
        clearTimeout(idle);
        stop.signal.removeEventListener('abort', cut);
        connection.abort();
      }
      if (failures > 0) await sleep(Math.max(BACKOFF_MS[Math.min(failures, BACKOFF_MS.length) - 1]!, retryAfter), stop.signal);
      retryAfter = 0;
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}

/** The api ends a stream whose key was revoked with `event: error` carrying the usual error body. */
function errorFromEvent(data: string): KinoError {
  let e: { code?: string; message?: string; request_id?: string } = {};
  try {
    e = (JSON.parse(data) as { error?: typeof e }).error ?? {};
  } catch {}
  return new KinoError({
    code: e.code ?? 'STREAM_ERROR',
    message: e.message ?? 'The event stream ended with an error.',
    status: e.code === 'API_KEY_REVOKED' ? 401 : 0,
    requestId: e.request_id,
  });
}
