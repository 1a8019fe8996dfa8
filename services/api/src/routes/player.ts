import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getPublicAsset, type AssetRow } from '@kino/db';
import { clientAddressKey, Defaulted, enforceRateLimit, errorResponses, IdParams, NoBody, RateLimiter, TextBody, typed } from '@kino/http';
import { playerBundle, playerPage } from '@kino/player';
import type { PlaybackBlock } from '@kino/playback';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { issuePlayback, waitUntilPlayable } from '../playback.ts';
import { PlaybackRef, regionQuery } from '../schemas.ts';
import { openToEveryOrigin } from './public.ts';

const BUNDLE_PATH = '/player/kino-player.js';
// Client addresses remembered by the rate limit at most (each a few dozen bytes).
const MAX_LIMITED_ADDRESSES = 100_000;
/** How long a player's `wait=playable` bootstrap request is held at most: well under proxies' idle timeouts. */
const PLAYER_WAIT_SECONDS = 15;
/** A public asset's refusals: a bad parameter, no such public asset (or not playable yet), the per-address rate, no edge. */
const PLAYER_ERRORS = errorResponses([400, 404, 429, 500, 503]);

/**
 * The drop-in player, without an API key: its module, and a page plus fresh bootstraps for
 * assets whose playback_policy is `public` (Mux's public playback policy). Anyone who knows
 * such an asset's id can watch it here; the page is signed server-side, so no key ever
 * reaches a browser. Any other id — unknown, deleted, or a `signed` asset — gets the same
 * 404, so the routes tell nobody which ids exist. The tokens minted here are short-lived
 * (the player fetches fresh ones as they expire) and each client address has a rate, so
 * the routes are no token mint for whoever learns an id.
 */
export async function playerRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  // <kino-player> runs on any site: it must read our refusals (404, 429, 400) as well as the
  // bootstrap and the module, or it can only say "network error".
  openToEveryOrigin(scope);
  const app = typed(scope);
  // Built once per process at start, served from memory.
  const bundle = playerBundle();
  bundle.catch((err) => app.log.error({ err }, 'the player bundle could not be built'));
  const perMinute = deps.config.api.playerRatePerMinute;
  const perAddress = new RateLimiter({ burst: perMinute, perSecond: perMinute / 60, maxKeys: MAX_LIMITED_ADDRESSES });

  async function publicAsset(request: FastifyRequest, reply: FastifyReply, id: string): Promise<AssetRow> {
    if (!deps.config.api.playerPages) throw new ApiError(404, 'NOT_FOUND', 'Player pages are turned off here (PLAYER_PAGES=false).');
    // Before the lookup, and for known and unknown ids alike: the limit reveals nothing.
    enforceRateLimit(perAddress, clientAddressKey(request.ip), reply, 'from this address');
    const asset = await getPublicAsset(deps.sql, id);
    if (!asset) throw notFound('Asset');
    return asset;
  }
  const sign = (
    request: Pick<FastifyRequest, 'headers'> & { query: { region?: string | undefined } },
    asset: AssetRow,
  ): Promise<PlaybackBlock> =>
    issuePlayback(deps, asset, {
      region: request.query.region ?? (request.headers['x-kino-region'] as string | undefined),
      ttlSeconds: deps.config.api.playerTokenTtlSeconds,
    });

  app.get(
    BUNDLE_PATH,
    {
      schema: {
        operationId: 'getPlayerModule',
        summary: 'The <kino-player> module (hls.js included)',
        description: 'One ES module. With `?v={hash}` (as the player page links it) it is immutable; without, it is revalidated hourly.',
        tags: ['player'],
        security: [],
        // Open: sites append their own (WordPress's ?ver=) to script URLs.
        querystring: Type.Object({ v: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: true }),
        response: {
          200: TextBody('text/javascript', 'The module.'),
          304: NoBody({ description: 'Not modified' }),
          ...errorResponses([400, 500]),
        },
      },
    },
    async (request, reply) => {
      const b = await bundle;
      const etag = `"${b.hash}"`;
      reply
        .header('etag', etag)
        .header('vary', 'accept-encoding')
        .header(
          'cache-control',
          request.query.v === b.hash ? 'public, max-age=31536000, immutable' : 'public, max-age=3600, stale-while-revalidate=86400',
        );
      if (request.headers['if-none-match']?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
      reply.type('text/javascript; charset=utf-8');
      if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return reply.header('content-encoding', 'gzip').send(b.gzip);
      return reply.send(b.js);
    },
  );

  app.get(
    '/player/:id',
    {
      schema: {
        operationId: 'getPlayerPage',
        summary: 'A page that plays the asset',
        description:
          'For assets whose playback_policy is `public` (any other id is a 404). Embeds <kino-player> with a bootstrap signed here, ' +
          'with short-lived tokens the player renews; before the opener is ready the player waits and starts by itself. ' +
          'Rate-limited per client address (429 RATE_LIMITED with Retry-After).',
        tags: ['player'],
        security: [],
        params: IdParams,
        // Open: a shared page link picks up trackers (fbclid, utm_*) a viewer must not see as an error.
        querystring: Type.Object(
          {
            ...regionQuery,
            autoplay: Type.Optional(Type.Boolean({ description: 'Start at once (browsers allow it muted).' })),
            muted: Type.Optional(Type.Boolean()),
            controls: Defaulted(Type.Boolean({ default: true })),
            start_time: Type.Optional(Type.Number({ minimum: 0, description: 'Seconds into the video to start at.' })),
          },
          { additionalProperties: true },
        ),
        response: { 200: TextBody('text/html', 'The page.'), ...PLAYER_ERRORS },
      },
    },
    async (request, reply) => {
      const asset = await publicAsset(request, reply, request.params.id);
      let bootstrap: PlaybackBlock | undefined;
      try {
        bootstrap = await sign(request, asset);
      } catch (err) {
        // Still processing: the page polls for its bootstrap. A failed asset will never play.
        if (!(err instanceof ApiError && err.code === 'ASSET_NOT_PLAYABLE' && !asset.error)) throw err;
      }
      const q = request.query;
      const b = await bundle;
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      return playerPage({
        bootstrap,
        playbackUrl: `/player/${asset.id}/playback`,
        bundleUrl: `${BUNDLE_PATH}?v=${b.hash}`,
        autoplay: q.autoplay,
        muted: q.muted,
        controls: q.controls,
        startTime: q.start_time,
      });
    },
  );

  app.get(
    '/player/:id/playback',
    {
      schema: {
        operationId: 'getPlayerPlayback',
        summary: 'A fresh bootstrap for the player',
        description:
          'For assets whose playback_policy is `public`, like the player page: what its player asks for when signed URLs expire ' +
          'or while only the opener is ready. Rate-limited per client address, together with the page. With `wait=playable`, ' +
          `an asset not playable yet is waited for, up to ${PLAYER_WAIT_SECONDS} s (and PLAYBACK_WAIT_MAX_SECONDS), before the 404 ` +
          'ASSET_NOT_PLAYABLE: a player learns of its opener the moment it is out, in one request rather than many polls.',
        tags: ['player'],
        security: [],
        params: IdParams,
        querystring: Type.Object({
          ...regionQuery,
          wait: Type.Optional(Type.Literal('playable', { description: 'Hold the answer until the asset is playable (bounded).' })),
        }),
        response: { 200: PlaybackRef(), ...PLAYER_ERRORS },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      let asset = await publicAsset(request, reply, request.params.id);
      if (request.query.wait === 'playable' && asset.playable_state === 'not_playable' && !asset.error) {
        const gone = new AbortController();
        reply.raw.once('close', () => gone.abort());
        const ms = Math.min(PLAYER_WAIT_SECONDS, deps.config.playback.waitMaxSeconds) * 1000;
        asset = await waitUntilPlayable(deps, asset.account_id, asset.id, ms, gone.signal);
      }
      return sign(request, asset);
    },
  );
}
