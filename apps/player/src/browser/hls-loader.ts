import {
  FetchLoader,
  type HlsConfig,
  type Loader,
  type LoaderCallbacks,
  type LoaderConfiguration,
  type LoaderContext,
  type LoaderStats,
} from 'hls.js';
import { errorCodeOf } from './error-code.ts';
import type { Prefetched } from './prefetch.ts';
import type { Session } from './session.ts';

/**
 * hls.js's `fetchSetup`: every request goes out under the current token. A prefetched URL
 * waits for its prefetch (the cache would not join the two requests) and then reads the
 * HTTP cache whatever the age of the entry: the edge marks playlists fresh for seconds
 * only, while a token's playlists never change.
 */
export function fetchSetup(session: Session, prefetched: Prefetched) {
  return async (context: LoaderContext, init: RequestInit): Promise<Request> => {
    const url = session.rewrite(context.url);
    const pending = prefetched.settled(url);
    if (pending) await pending;
    return new Request(url, { ...init, cache: pending ? 'force-cache' : 'default' });
  };
}

type LoaderClass = new (config: HlsConfig) => Loader<LoaderContext>;

/**
 * A FetchLoader that meets an expired token by asking the page for a fresh bootstrap and
 * loading again, so hls.js never sees the refusal and playback goes on where it was. Each
 * load refreshes at most once: a fresh token refused again is a real error.
 */
export function tokenRefreshingLoader(session: Session): LoaderClass {
  return class TokenRefreshingLoader implements Loader<LoaderContext> {
    private inner: Loader<LoaderContext>;
    private aborted = false;

    constructor(private readonly hlsConfig: HlsConfig) {
      this.inner = new FetchLoader(hlsConfig);
    }

    get context(): LoaderContext | null {
      return this.inner.context;
    }

    get stats(): LoaderStats {
      return this.inner.stats;
    }

    load(context: LoaderContext, config: LoaderConfiguration, callbacks: LoaderCallbacks<LoaderContext>): void {
      this.inner.load(context, config, {
        ...callbacks,
        onError: (error, ctx, details, stats) => {
          const refuse = () => callbacks.onError(error, ctx, details, stats);
          if (error.code !== 401 || !session.canRefresh) return refuse();
          void errorCodeOf(details as Response | null)
            .then((code) => (code === 'TOKEN_EXPIRED' ? session.refresh() : Promise.reject(new Error(code))))
            .then(() => {
              if (this.aborted) return;
              // A loader serves one request; the retry gets its own, with the same hooks.
              this.inner.destroy();
              this.inner = new FetchLoader(this.hlsConfig);
              this.inner.load(context, config, callbacks);
            }, refuse);
        },
      });
    }

    abort(): void {
      this.aborted = true;
      this.inner.abort();
    }

    destroy(): void {
      this.aborted = true;
      this.inner.destroy();
    }
  };
}
