import createClient, { type Client } from 'openapi-fetch';
import { assetsApi } from './assets.ts';
import { guardedFetch } from './errors.ts';
import { type StreamOptions, streamEvents } from './events.ts';
import { type Transport, unwrap } from './http.ts';
import type { paths } from './openapi.ts';
import type { PlaybackUrl } from './types.ts';
import { uploadsApi } from './uploads.ts';
import { verifyWebhook } from './verify.ts';
import { videosApi } from './videos.ts';

export interface KinoOptions {
  /** The api's URL, e.g. http://127.0.0.1:4000 (no /v1). */
  baseUrl: string;
  /** An API key (`kino_…`). */
  apiKey: string;
  /** A fetch to use instead of the global one (a proxy agent, a test double, …). */
  fetch?: typeof fetch;
  /** Sent as User-Agent (Node; browsers keep their own). */
  userAgent?: string;
}

type Body<P extends keyof paths, M extends 'post'> = paths[P][M] extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : never;
type Query<P extends keyof paths, M extends 'get'> = NonNullable<paths[P][M] extends { parameters: { query?: infer Q } } ? Q : never>;

export function createKino(options: KinoOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.apiKey}`,
    ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
  };
  // Looked up per call, so a fetch patched after createKino (tests, polyfills) is the one used.
  const fetchImpl = guardedFetch(options.fetch ?? ((input, init) => globalThis.fetch(input, init)), new URL(baseUrl).origin);
  const api: Client<paths> = createClient<paths>({ baseUrl, headers, fetch: (request) => fetchImpl(request) });
  const t: Transport = { baseUrl, fetch: fetchImpl, headers };
  const id = (id: string) => ({ params: { path: { id } } });

  const assets = assetsApi(api, t);

  return {
    /** The typed openapi-fetch client for any route: `kino.api.GET('/v1/assets/{id}', { params: { path: { id } } })`. */
    api,
    assets,
    uploads: uploadsApi(t),
    videos: videosApi(api, assets.waitUntil),
    events: {
      stream: (opts?: StreamOptions) => streamEvents(t, opts),
    },
    webhooks: {
      verify: verifyWebhook,
      list: async () => (await unwrap(api.GET('/v1/webhooks'))).data ?? [],
      get: (webhookId: string) => unwrap(api.GET('/v1/webhooks/{id}', id(webhookId))),
      /** `events` is the same as `event_types`: the event types to send (all when absent). */
      create: ({ events, ...body }: Body<'/v1/webhooks', 'post'> & { events?: Body<'/v1/webhooks', 'post'>['event_types'] }) =>
        unwrap(api.POST('/v1/webhooks', { body: { ...body, ...(events ? { event_types: events } : {}) } })),
      delete: async (webhookId: string): Promise<void> => {
        await unwrap(api.DELETE('/v1/webhooks/{id}', id(webhookId)));
      },
      deliveries: (webhookId: string, query?: Query<'/v1/webhooks/{id}/deliveries', 'get'>) =>
        unwrap(api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: webhookId }, query } })),
      redeliver: (webhookId: string, deliveryId: string) =>
        unwrap(
          api.POST('/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver', {
            params: { path: { id: webhookId, delivery_id: deliveryId } },
          }),
        ),
      /** The old secret keeps signing beside the new one for `overlap_seconds`. */
      rotateSecret: (webhookId: string, body: Body<'/v1/webhooks/{id}/rotate-secret', 'post'> = {}) =>
        unwrap(api.POST('/v1/webhooks/{id}/rotate-secret', { ...id(webhookId), body })),
      enable: (webhookId: string) => unwrap(api.POST('/v1/webhooks/{id}/enable', id(webhookId))),
    },
    keys: {
      list: async () => (await unwrap(api.GET('/v1/keys'))).data,
      /** The answer carries the key itself, shown only this once. */
      create: (body: Body<'/v1/keys', 'post'>) => unwrap(api.POST('/v1/keys', { body })),
      revoke: async (keyId: string): Promise<void> => {
        await unwrap(api.DELETE('/v1/keys/{id}', id(keyId)));
      },
    },
    playback: {
      /** Signed URLs on the best healthy edge; a 404 ASSET_NOT_PLAYABLE until the opener is ready. */
      async url(assetId: string, opts: { ttl?: number; region?: string } = {}): Promise<PlaybackUrl> {
        const playback = await unwrap(
          api.GET('/v1/assets/{id}/playback', {
            params: { path: { id: assetId }, query: { ttl_seconds: opts.ttl, region: opts.region } },
          }),
        );
        return { ...playback, url: playback.urls?.master ?? playback.urls?.opener ?? '' };
      },
    },
    analytics: {
      playback: (assetId: string, query?: Query<'/v1/assets/{id}/analytics/playback', 'get'>) =>
        unwrap(api.GET('/v1/assets/{id}/analytics/playback', { params: { path: { id: assetId }, query } })),
      qoe: (assetId: string, query?: Query<'/v1/assets/{id}/analytics/qoe', 'get'>) =>
        unwrap(api.GET('/v1/assets/{id}/analytics/qoe', { params: { path: { id: assetId }, query } })),
      account: (query?: Query<'/v1/analytics/playback', 'get'>) => unwrap(api.GET('/v1/analytics/playback', { params: { query } })),
    },
    account: {
      get: () => unwrap(api.GET('/v1/account')),
    },
  };
}

export type Kino = ReturnType<typeof createKino>;
