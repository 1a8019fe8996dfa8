import type { Client } from 'openapi-fetch';
import { KinoError } from './errors.ts';
import { streamEvents } from './events.ts';
import { type Transport, unwrap } from './http.ts';
import type { paths } from './openapi.ts';
import type { Asset, KinoEvent, PlayableState } from './types.ts';

type Query = NonNullable<paths['/v1/assets']['get']['parameters']['query']>;

export interface ListOptions extends Query {
  /** A source_state or playable_state value (the one it belongs to is picked). */
  state?: string;
}

export interface WaitOptions {
  /** Gives up with KinoError TIMEOUT (status 0) after this long; no limit by default. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type WaitState = 'opener_ready' | 'hls_ready';

/** The largest page GET /v1/assets/{id}/events gives. */
const EVENT_PAGE = 500;

const PLAYABLE: readonly string[] = ['not_playable', 'opener_ready', 'hls_ready', 'deleted'] satisfies PlayableState[];
/** Each state satisfies a wait for itself and for those before it. */
const REACHES: Record<WaitState, readonly PlayableState[]> = {
  opener_ready: ['opener_ready', 'hls_ready'],
  hls_ready: ['hls_ready'],
};

function listQuery({ state, ...query }: ListOptions): Query {
  if (state === undefined) return query;
  return PLAYABLE.includes(state)
    ? { ...query, playable_state: state as Query['playable_state'] }
    : { ...query, source_state: state as Query['source_state'] };
}

/** Why an asset will never get to the state waited for, if it will not. */
function failure(asset: Asset, id: string): KinoError | undefined {
  if (asset.playable_state === 'deleted') return new KinoError({ code: 'ASSET_DELETED', status: 0, message: `Asset ${id} was deleted.` });
  const finalFailure =
    asset.source_state === 'failed' || asset.progress?.job_state === 'failed' || asset.progress?.job_state === 'cancelled';
  if (!finalFailure) return undefined;
  return new KinoError({
    code: asset.error?.code ?? 'ASSET_FAILED',
    status: 0,
    message: `Asset ${id} failed${asset.error?.message ? `: ${asset.error.message}` : '.'}`,
    details: asset.error ?? undefined,
  });
}

export function assetsApi(api: Client<paths>, t: Transport) {
  const get = (id: string): Promise<Asset> => unwrap(api.GET('/v1/assets/{id}', { params: { path: { id } } }));
  const list = async (opts: ListOptions = {}): Promise<{ data: Asset[]; next_cursor: string | null }> => {
    const page = await unwrap(api.GET('/v1/assets', { params: { query: listQuery(opts) } }));
    return { data: page.data ?? [], next_cursor: page.next_cursor ?? null };
  };

  /** The asset's log a page at a time from `after`: `next_after_sequence` carried into the next ask. */
  async function* eventPages(id: string, after: number, signal: AbortSignal | undefined) {
    for (;;) {
      const page = await unwrap(
        api.GET('/v1/assets/{id}/events', { params: { path: { id }, query: { after_sequence: after, limit: EVENT_PAGE } }, signal }),
      );
      yield page;
      after = page.next_after_sequence ?? after;
      if ((page.data?.length ?? 0) < EVENT_PAGE) return;
    }
  }

  /** The sequence of the asset's latest event: a stream from there misses nothing that happens next. */
  const lastSequence = async (id: string, signal?: AbortSignal): Promise<number> => {
    let last = 0;
    for await (const page of eventPages(id, 0, signal)) last = page.next_after_sequence ?? last;
    return last;
  };

  return {
    get,
    list,
    /**
     * The asset's events so far, oldest first (GET /v1/assets/{id}/events, every page), from
     * after the sequence `after` when given. For what happens next, see events.stream.
     */
    async *events(id: string, opts: { after?: number; signal?: AbortSignal } = {}): AsyncGenerator<KinoEvent> {
      for await (const page of eventPages(id, opts.after ?? 0, opts.signal)) // openapi-fetch's reading of the union drops `asset_id: null`; the JSON is the Event all the same.
        yield* (page.data ?? []) as KinoEvent[];
    },
    async *iterate(opts: ListOptions = {}): AsyncGenerator<Asset> {
      let cursor = opts.cursor;
      do {
        // A cursor keeps its first page's filters: later pages send it alone.
        const page = await list(cursor === undefined ? opts : { cursor, ...(opts.limit ? { limit: opts.limit } : {}) });
        yield* page.data;
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
    },
    async delete(id: string): Promise<void> {
      await unwrap(api.DELETE('/v1/assets/{id}', { params: { path: { id } } }));
    },
    /**
     * Resolves with the asset once it is `state` (or further along), watching its events on
     * the SSE stream rather than polling; rejects if it fails or is deleted first.
     */
    async waitUntil(id: string, state: WaitState, opts: WaitOptions = {}): Promise<Asset> {
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      let timedOut = false;
      const timer =
        opts.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              stop.abort();
            }, opts.timeoutMs);
      const check = (asset: Asset): Asset | undefined => {
        if (asset.playable_state && REACHES[state].includes(asset.playable_state)) return asset;
        const failed = failure(asset, id);
        if (failed) throw failed;
        return undefined;
      };
      try {
        // The cursor first, then the asset: whatever changes after this read has a later event.
        const after = await lastSequence(id);
        const now = check(await get(id));
        if (now) return now;
        for await (const e of streamEvents(t, { assetId: id, lastEventId: String(after), signal: stop.signal })) {
          if (e.type === 'job.progress' || e.type === 'job.started') continue;
          const asset = check(await get(id));
          if (asset) return asset;
        }
        if (timedOut)
          throw new KinoError({ code: 'TIMEOUT', status: 0, message: `Asset ${id} was not ${state} within ${opts.timeoutMs} ms.` });
        throw opts.signal?.reason ?? new DOMException('The wait was aborted.', 'AbortError');
      } finally {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        stop.abort();
      }
    },
  };
}
