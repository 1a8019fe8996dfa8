import type { FastifyInstance } from 'fastify';
import {
  accountPlayback,
  assetPlayback,
  assetQoe,
  GROUP_BYS,
  INTERVAL_MS,
  INTERVALS,
  MAX_WINDOW_FOR,
  MAX_WINDOW_MS,
  parseWindow,
  type ClickHouseClient,
  type Window,
} from '@kino/analytics';
import { getAsset } from '@kino/db';
import { Defaulted, Dictionary, IdParams, Nullable, StringEnum, typed } from '@kino/http';
import { Type, type TProperties, type TSchema } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { keyedErrors } from '../schemas.ts';

const windowQuery = {
  from: Type.Optional(Type.String({ description: 'RFC 3339, inclusive. Default: a day before `to`.' })),
  to: Type.Optional(Type.String({ description: 'RFC 3339, exclusive. Default: now.' })),
};

const WindowSchema = Type.Partial(
  Type.Object({
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
  }),
  { description: 'The window answered.' },
);

const counts = {
  requests: Type.Integer(),
  bytes: Type.Integer(),
  hit_ratio: Nullable(Type.Number(), { description: 'HIT / (HIT + MISS + COALESCED); null when nothing reached the cache.' }),
};

const tally = (description: string) => Dictionary(Type.Integer(), { description });

const series = Type.Array(
  Type.Partial(
    Type.Object({
      t: Type.String({ format: 'date-time' }),
      requests: Type.Integer(),
      bytes: Type.Integer(),
    }),
  ),
  { description: 'Every bucket of the window, oldest first, zero where nothing was served.' },
);

const windowOut = (w: Window) => ({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() });

/**
 * Playback analytics from ClickHouse, always scoped to the caller's account. The per-asset
 * answers read raw rows (any window up to 92 days, to the millisecond); the account-wide
 * one reads hourly rollups, so its window is widened to whole hours (whole minutes for
 * interval=minute, which reads raw rows and spans a day at most). The limits apply to the
 * window as asked; the widening adds at most one bucket, and the default window is chosen
 * to fit with it (parseWindow).
 */
export async function analyticsRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  // One asset's numbers over a window: the asset must be the caller's, raw rows answer.
  // The answer's type is the query's own (@kino/analytics), so its schema is only checked
  // as a schema here.
  const perAsset = <T extends object>(
    url: string,
    doc: { operationId: string; summary: string; description: string; properties: TProperties },
    query: (client: ClickHouseClient, accountId: string, assetId: string, window: Window) => Promise<T>,
  ) =>
    app.get(
      url,
      {
        config: { access: 'read' },
        schema: {
          operationId: doc.operationId,
          summary: doc.summary,
          description: doc.description,
          tags: ['analytics'],
          params: IdParams,
          querystring: Type.Object(windowQuery, { additionalProperties: false }),
          response: {
            200: Type.Partial(Type.Object({ asset_id: Type.String(), window: WindowSchema, ...doc.properties })) as TSchema,
            ...keyedErrors(404, 503),
          },
        },
      },
      async (request) => {
        const window = parseWindow(request.query);
        const asset = await getAsset(deps.sql, request.account.id, request.params.id);
        if (!asset) throw notFound('Asset');
        // The stored, lowercase spelling: Postgres matches any case, ClickHouse strings do not.
        return {
          asset_id: asset.id,
          window: windowOut(window),
          ...(await query(deps.analytics.client(), request.account.id, asset.id, window)),
        };
      },
    );

  perAsset(
    '/v1/assets/:id/analytics/playback',
    {
      operationId: 'getAssetPlaybackAnalytics',
      summary: 'Requests, bytes and cache behaviour of one asset',
      description: 'Counted from every request the edges answered for the asset, refusals included.',
      properties: {
        ...counts,
        cache_status: tally('Requests by cache outcome: HIT, MISS, COALESCED, NONE (refused before the cache).'),
        status_codes: tally('Requests by HTTP status.'),
        artifact_kinds: tally('Requests by artifact: opener, thumbnail, storyboard, image, playlist, init, segment.'),
        first_seen: Nullable(Type.String({ format: 'date-time' })),
        last_seen: Nullable(Type.String({ format: 'date-time' })),
      },
    },
    assetPlayback,
  );

  app.get(
    '/v1/analytics/playback',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getPlaybackAnalytics',
        summary: 'Account-wide playback totals, breakdowns and time series',
        description:
          'With `group_by`, the busiest `limit` groups; with `interval`, a series per group (or for the total). ' +
          'Windows: at most 1 day with interval=minute, 31 days with hour, 92 days otherwise. ' +
          'The window is widened to whole hours (whole minutes with interval=minute) and the limit applies to the window as asked, ' +
          'so a day that does not start on a whole minute, such as 12:00:30 to 12:00:30, is accepted with interval=minute ' +
          'and answered as 12:00 to 12:01 the next day (1 day 1 minute). ' +
          'Without `from`: a day before `to`, widened; with interval=minute, the 1,440 whole minutes up to `to`.',
        tags: ['analytics'],
        querystring: Type.Object(
          {
            ...windowQuery,
            from: Type.Optional(
              Type.String({
                description: 'RFC 3339, inclusive. Default: a day before `to`; with interval=minute, the 1,440 whole minutes up to `to`.',
              }),
            ),
            group_by: Type.Optional(StringEnum(GROUP_BYS)),
            interval: Type.Optional(StringEnum(INTERVALS)),
            limit: Defaulted(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Partial(
            Type.Object({
              window: WindowSchema,
              group_by: Nullable(Type.String()),
              interval: Nullable(Type.String()),
              totals: Type.Partial(Type.Object({ ...counts, hits: Type.Integer(), misses: Type.Integer(), coalesced: Type.Integer() })),
              series,
              groups: Type.Array(Type.Partial(Type.Object({ key: Type.String(), ...counts, series })), { description: 'Busiest first.' }),
            }),
          ),
          ...keyedErrors(503),
        },
      },
    },
    async (request) => {
      const { group_by: groupBy, interval, limit } = request.query;
      const window = parseWindow(request.query, {
        alignTo: INTERVAL_MS[interval === 'minute' ? 'minute' : 'hour'],
        maxMs: interval ? MAX_WINDOW_FOR[interval] : MAX_WINDOW_MS,
      });
      const result = await accountPlayback(deps.analytics.client(), request.account.id, { window, groupBy, interval, limit });
      return { window: windowOut(window), group_by: groupBy ?? null, interval: interval ?? null, ...result };
    },
  );

  perAsset(
    '/v1/assets/:id/analytics/qoe',
    {
      operationId: 'getAssetQoe',
      summary: "Quality of experience from the players' beacons",
      description: "From the beacons of Kino players (or any player posting to the edge's /beacon).",
      properties: {
        views: Type.Integer({ description: 'Distinct views that sent a beacon.' }),
        startup_ms: Type.Partial(Type.Object({ p50: Nullable(Type.Number()), p95: Nullable(Type.Number()) }), {
          description: 'Time from the play request to the first frame.',
        }),
        rebuffer_ratio: Nullable(Type.Number(), { description: 'Stalled time over stalled plus played time.' }),
        error_rate: Nullable(Type.Number(), { description: 'Views that reported an error, over views.' }),
        rebuffer_ms: Type.Integer(),
        watched_ms: Type.Integer(),
      },
    },
    assetQoe,
  );
}
