import type { Client } from 'openapi-fetch';
import type { WaitOptions, WaitState } from './assets.ts';
import { unwrap } from './http.ts';
import type { paths } from './openapi.ts';
import type { Asset } from './types.ts';

export interface ImportOptions extends WaitOptions {
  title?: string;
  passthrough?: string;
  playbackPolicy?: 'signed' | 'public';
  /** Sent as Idempotency-Key: the same key imports once and answers with the same asset. */
  idempotencyKey?: string;
  /** Resolve only once the asset is in this state (assets.waitUntil), within `timeoutMs` when given. */
  wait?: WaitState;
}

export function videosApi(api: Client<paths>, waitUntil: (id: string, state: WaitState, opts: WaitOptions) => Promise<Asset>) {
  return {
    /**
     * Imports a video from an http(s) URL (a public or presigned link): the asset comes back
     * at once, `importing`, while a worker fetches and processes it; with `wait` the call
     * resolves once it is playable that far. The URL is never shown again.
     */
    async import(url: string, opts: ImportOptions = {}): Promise<Asset> {
      const asset = await unwrap(
        api.POST('/v1/videos', {
          body: {
            url,
            ...(opts.title !== undefined && { title: opts.title }),
            ...(opts.passthrough !== undefined && { passthrough: opts.passthrough }),
            ...(opts.playbackPolicy !== undefined && { playback_policy: opts.playbackPolicy }),
          },
          params: { header: opts.idempotencyKey === undefined ? {} : { 'idempotency-key': opts.idempotencyKey } },
          signal: opts.signal,
        }),
      );
      if (opts.wait === undefined) return asset;
      return waitUntil(asset.id, opts.wait, { timeoutMs: opts.timeoutMs, signal: opts.signal });
    },
  };
}
