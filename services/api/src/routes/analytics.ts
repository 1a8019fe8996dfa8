import type { FastifyInstance } from 'fastify';
import {
  accountPlayback, assetPlayback, assetQoe, GROUP_BYS, INTERVAL_MS, INTERVALS, MAX_WINDOW_FOR, MAX_WINDOW_MS, parseWindow,
  type ClickHouseClient, type GroupBy, type Interval, type Window,
} from '@kino/analytics';
import { getAsset } from '@kino/db';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;

const windowQuery = {
  from: { type: 'string', description: 'RFC 3339, inclusive. Default: a day before `to`.' },
  to: { type: 'string', description: 'RFC 3339, exclusive. Default: now.' },
} as const;

const windowSchema = {
  type: 'object',
  description: 'The window answered.',
  properties: { from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } },
} as const;

const counts = {
  requests: { type: 'integer' },
  bytes: { type: 'integer' },
  hit_ratio: { type: ['number', 'null'], description: 'HIT / (HIT + MISS + COALESCED); null when nothing reached the cache.' },
} as const;

const tally = { type: 'object', additionalProperties: { type: 'integer' } } as const;

const series = {
  type: 'array',
  description: 'Every bucket of the window, oldest first, zero where nothing was served.',
  items: { type: 'object', properties: { t: { type: 'string', format: 'date-time' }, requests: { type: 'integer' }, bytes: { type: 'integer' } } },
} as const;

const errors = { '4xx': { $ref: 'Error#' }, '5xx': { $ref: 'Error#' } } as const;

interface WindowQuery {
  from?: string;
  to?: string;
}

const windowOut = (w: Window) => ({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() });

/**
 * Playback analytics from ClickHouse, always scoped to the caller's account. The per-asset
 * answers read raw rows (any window up to 92 days, to the millisecond); the account-wide
 * one reads hourly rollups, so its window is widened to whole hours (whole minutes for
 * interval=minute, which reads raw rows and spans a day at most).
 */
export async function analyticsRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  // One asset's numbers over a window: the asset must be the caller's, raw rows answer.
  const perAsset = <T extends object>(
    url: string,
    doc: { operationId: string; summary: string; description: string; properties: Record<string, unknown> },
    query: (client: ClickHouseClient, accountId: string, assetId: string, window: Window) => Promise<T>,
  ) => app.get<{ Params: { id: string }; Querystring: WindowQuery }>(url, {
    schema: {
      operationId: doc.operationId,
      summary: doc.summary,
      description: doc.description,
      tags: ['analytics'],
      params: idParams,
      querystring: { type: 'object', additionalProperties: false, properties: windowQuery },
      response: {
        200: { type: 'object', properties: { asset_id: { type: 'string' }, window: windowSchema, ...doc.properties } },
        ...errors,
      },
    },
  }, async (request) => {
    const window = parseWindow(request.query);
    const asset = await getAsset(deps.sql, request.account.id, request.params.id);
    if (!asset) throw notFound('Asset');
    // The stored, lowercase spelling: Postgres matches any case, ClickHouse strings do not.
    return { asset_id: asset.id, window: windowOut(window), ...(await query(deps.analytics.client(), request.account.id, asset.id, window)) };
  });

  perAsset('/v1/assets/:id/analytics/playback', {
    operationId: 'getAssetPlaybackAnalytics',
    summary: 'Requests, bytes and cache behaviour of one asset',
    description: 'Counted from every request the edges answered for the asset, refusals included.',
    properties: {
      ...counts,
      cache_status: { ...tally, description: 'Requests by cache outcome: HIT, MISS, COALESCED, NONE (refused before the cache).' },
      status_codes: { ...tally, description: 'Requests by HTTP status.' },
      artifact_kinds: { ...tally, description: 'Requests by artifact: opener, thumbnail, playlist, init, segment.' },
      first_seen: { type: ['string', 'null'], format: 'date-time' },
      last_seen: { type: ['string', 'null'], format: 'date-time' },
    },
  }, assetPlayback);

  app.get<{ Querystring: WindowQuery & { group_by?: GroupBy; interval?: Interval; limit: number } }>('/v1/analytics/playback', {
    schema: {
      operationId: 'getPlaybackAnalytics',
      summary: 'Account-wide playback totals, breakdowns and time series',
      description: 'With `group_by`, the busiest `limit` groups; with `interval`, a series per group (or for the total). '
        + 'Windows: at most 1 day with interval=minute, 31 days with hour, 92 days otherwise.',
      tags: ['analytics'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ...windowQuery,
          group_by: { type: 'string', enum: GROUP_BYS },
          interval: { type: 'string', enum: INTERVALS },
          limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            window: windowSchema,
            group_by: { type: ['string', 'null'] },
            interval: { type: ['string', 'null'] },
            totals: {
              type: 'object',
              properties: { ...counts, hits: { type: 'integer' }, misses: { type: 'integer' }, coalesced: { type: 'integer' } },
            },
            series,
            groups: {
              type: 'array',
              description: 'Busiest first.',
              items: { type: 'object', properties: { key: { type: 'string' }, ...counts, series } },
            },
          },
        },
        ...errors,
      },
    },
  }, async (request) => {
    const { group_by: groupBy, interval, limit } = request.query;
    const window = parseWindow(request.query, {
      alignTo: INTERVAL_MS[interval === 'minute' ? 'minute' : 'hour'],
      maxMs: interval ? MAX_WINDOW_FOR[interval] : MAX_WINDOW_MS,
    });
    const result = await accountPlayback(deps.analytics.client(), request.account.id, { window, groupBy, interval, limit });
    return { window: windowOut(window), group_by: groupBy ?? null, interval: interval ?? null, ...result };
  });

  perAsset('/v1/assets/:id/analytics/qoe', {
    operationId: 'getAssetQoe',
    summary: "Quality of experience from the players' beacons",
    description: 'From the beacons of Kino players (or any player posting to the edge\'s /beacon).',
    properties: {
      views: { type: 'integer', description: 'Distinct views that sent a beacon.' },
      startup_ms: {
        type: 'object',
        description: 'Time from the play request to the first frame.',
        properties: { p50: { type: ['number', 'null'] }, p95: { type: ['number', 'null'] } },
      },
      rebuffer_ratio: { type: ['number', 'null'], description: 'Stalled time over stalled plus played time.' },
      error_rate: { type: ['number', 'null'], description: 'Views that reported an error, over views.' },
      rebuffer_ms: { type: 'integer' },
      watched_ms: { type: 'integer' },
    },
  }, assetQoe);
}
