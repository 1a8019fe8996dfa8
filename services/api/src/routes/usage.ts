import type { FastifyInstance } from 'fastify';
import { accountPlayback, INTERVAL_MS, MAX_WINDOW_FOR, parseWindow } from '@kino/analytics';
import { accountUsage } from '@kino/db';
import { Defaulted, Dictionary, StringEnum, typed } from '@kino/http';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { keyedErrors } from '../schemas.ts';

const USAGE_INTERVALS = ['hour', 'day'] as const;

const Numbers = {
  minutes_ingested: Type.Number({ description: 'Source durations (minutes) of the assets created in the bucket.' }),
  minutes_encoded: Dictionary(Type.Number(), {
    description:
      'Minutes encoded per codec family (h264, aac, …): each ladder rendition made counts its asset’s duration, each static rendition ' +
      'and each output a job (POST /v1/jobs) keeps its own duration (by its video codec, else its audio codec).',
  }),
  minutes_encoded_by_preset: Dictionary(Type.Number(), {
    description: 'The same minutes per preset: the asset’s preset for its renditions, a convert job’s preset; `none` without one.',
  }),
  storage_byte_hours: Type.Number({
    description:
      'Σ bytes × hours stored in the bucket: sources and artifacts, from when they were stored until their asset was deleted, and the ' +
      'outputs jobs keep, from when the job finished.',
  }),
  delivered_bytes: Type.Integer({ description: 'Bytes the edges served (as GET /v1/analytics/playback counts them).' }),
  delivered_requests: Type.Integer({ description: 'Requests the edges answered, refusals included (as GET /v1/analytics/playback).' }),
};

const UsageSchema = Type.Object({
  window: Type.Object({ from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) }),
  interval: StringEnum(USAGE_INTERVALS),
  totals: Type.Object(Numbers),
  series: Type.Array(Type.Object({ t: Type.String({ format: 'date-time' }), ...Numbers }), {
    description: 'Every bucket of the window, oldest first.',
  }),
});

/**
 * GET /v1/usage: what a bill would be made from, for the caller's account. Ingest, encoding
 * and storage from Postgres (packages/db account-usage.ts); delivery from the same hourly
 * rollups and filters as GET /v1/analytics/playback, so the two agree for the same window.
 */
export async function usageRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  typed(scope).get(
    '/v1/usage',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getUsage',
        summary: 'Minutes ingested and encoded, storage byte-hours and delivery of the account, per bucket',
        description:
          'The window is widened to whole buckets of `interval` (UTC days or hours); at most 92 days with interval=day, 31 with hour. ' +
          'Without `from`: a day before `to`. Delivery needs ClickHouse (503 ANALYTICS_UNAVAILABLE while it is away).',
        tags: ['usage'],
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ description: 'RFC 3339, inclusive. Default: a day before `to`.' })),
            to: Type.Optional(Type.String({ description: 'RFC 3339, exclusive. Default: now.' })),
            interval: Defaulted(StringEnum(USAGE_INTERVALS, { default: 'day' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: UsageSchema, ...keyedErrors(503) },
      },
    },
    async (request) => {
      const interval = request.query.interval ?? 'day';
      const step = INTERVAL_MS[interval];
      const window = parseWindow(request.query, { alignTo: step, maxMs: MAX_WINDOW_FOR[interval] });
      const [stored, delivered] = await Promise.all([
        accountUsage(deps.sql, request.account.id, window.from, window.to, step),
        accountPlayback(deps.analytics.client(), request.account.id, { window, interval, limit: 1 }),
      ]);
      const served = new Map((delivered.series ?? []).map((p) => [Date.parse(p.t), p]));
      const series = stored.map((b) => ({
        t: new Date(b.t).toISOString(),
        minutes_ingested: round(b.minutesIngested),
        minutes_encoded: rounded(b.minutesEncoded),
        minutes_encoded_by_preset: rounded(b.minutesEncodedByPreset),
        storage_byte_hours: round(b.storageByteHours),
        delivered_bytes: served.get(b.t)?.bytes ?? 0,
        delivered_requests: served.get(b.t)?.requests ?? 0,
      }));
      const summed = (of: (b: (typeof series)[number]) => Record<string, number>) => {
        const sums: Record<string, number> = {};
        for (const b of series) for (const [k, v] of Object.entries(of(b))) sums[k] = round((sums[k] ?? 0) + v);
        return sums;
      };
      const total = (k: 'minutes_ingested' | 'storage_byte_hours') => round(series.reduce((n, b) => n + b[k], 0));
      return {
        window: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() },
        interval,
        totals: {
          minutes_ingested: total('minutes_ingested'),
          minutes_encoded: summed((b) => b.minutes_encoded),
          minutes_encoded_by_preset: summed((b) => b.minutes_encoded_by_preset),
          storage_byte_hours: total('storage_byte_hours'),
          delivered_bytes: delivered.totals.bytes,
          delivered_requests: delivered.totals.requests,
        },
        series,
      };
    },
  );
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const rounded = (m: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v)]));
