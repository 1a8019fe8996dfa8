import { errorFromResponse, isAbort, KinoError } from './errors.ts';
import { type Transport, url } from './http.ts';
import { readSse } from './sse.ts';
import type { KinoEvent } from './types.ts';

export interface StreamOptions {
  /** Resume after this event id (a sequence number); without it the stream starts now. */
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
const RETRIED = new Set([502, 503, 504]);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
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
  let failures = 0;
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
          failures++;
        } else {
          failures = 0;
          for await (const m of readSse(response.body, activity)) {
            // Messages already read stay unsent once the caller has stopped.
            if (stop.signal.aborted) return;
            if (m.event === 'error') throw errorFromEvent(m.data);
            if (m.id !== undefined && last !== undefined && Number(m.id) <= Number(last)) continue;
            if (m.id !== undefined) last = m.id;
            yield JSON.parse(m.data) as KinoEvent;
          }
          // The api closed the stream (a restart, a slow reader let go): reopen after a breath.
          failures = 1;
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
      if (failures > 0) await sleep(BACKOFF_MS[Math.min(failures, BACKOFF_MS.length) - 1]!, stop.signal);
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
