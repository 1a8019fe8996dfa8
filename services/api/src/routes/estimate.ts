import type { FastifyInstance } from 'fastify';
import { getAsset } from '@kino/db';
import { measuredSpeeds } from '@kino/jobs';
import type { ProbeResult } from '@kino/media';
import { DEFAULT_PRESET, estimate, knownPreset, type EstimateSource } from '@kino/presets';
import { StringEnum, typed, Uuid } from '@kino/http';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { BODY, keyedErrors } from '../schemas.ts';

const ProbeSummary = Type.Object(
  {
    duration: Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'Seconds.' }),
    width: Type.Integer({ minimum: 2, maximum: 8192, description: 'Display width.' }),
    height: Type.Integer({ minimum: 2, maximum: 8192, description: 'Display height.' }),
    fps: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 240 })),
    codec: Type.Optional(Type.String({ maxLength: 32, description: "The source's video codec (informational)." })),
  },
  { additionalProperties: false },
);

const Speed = Type.Object({
  codec: StringEnum(['h264', 'h265', 'av1', 'aac']),
  height: Type.Integer({ description: 'The output short side; 0 for audio.' }),
  speed: Type.Number({ description: 'Media seconds encoded per wall second.' }),
  measured: Type.Boolean(),
  samples: Type.Integer(),
});

export async function estimateRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  app.post(
    '/v1/estimate',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'createEstimate',
        summary: 'Expected processing time and output sizes of a source under a preset',
        description:
          'The source is a probe summary `{duration, width, height, fps?, codec?}` or `{asset_id}` (its recorded probe). ' +
          '`{url}` is refused with 422 ESTIMATE_SOURCE_UNSUPPORTED for now: probing a URL is not done yet. Time comes from ' +
          "the workers' measured encode speeds per codec and output height (`basis.measured: false` when a default was used); " +
          "sizes are the preset's target bitrates × duration.",
        tags: ['presets'],
        body: Type.Object(
          {
            source: Type.Union([
              ProbeSummary,
              Type.Object({ asset_id: Uuid() }, { additionalProperties: false }),
              Type.Object({ url: Type.String({ maxLength: 4096 }) }, { additionalProperties: false }),
            ]),
            preset: Type.Optional(Type.String({ maxLength: 64, description: 'Default: `default`.' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            processing_seconds: Type.Number(),
            outputs: Type.Array(Type.Object({ name: Type.String(), bytes: Type.Integer() })),
            basis: Type.Object({
              measured: Type.Boolean(),
              preset: Type.String(),
              duration_seconds: Type.Number(),
              speeds: Type.Array(Speed),
            }),
          }),
          ...keyedErrors(404, 422, ...BODY),
        },
      },
    },
    async (request) => {
      const accountId = request.account.id;
      const name = request.body.preset;
      const preset = name === undefined ? DEFAULT_PRESET : await knownPreset(deps.sql, accountId, name);
      const source = request.body.source;
      let summary: EstimateSource;
      if ('url' in source) {
        throw new ApiError(
          422,
          'ESTIMATE_SOURCE_UNSUPPORTED',
          'A URL is not probed for estimates yet: send the probe summary or an asset id.',
        );
      } else if ('asset_id' in source) {
        const asset = await getAsset(deps.sql, accountId, source.asset_id);
        if (!asset || asset.deleted_at) throw notFound('Asset');
        const p = asset.media_probe as ProbeResult | null;
        if (!p?.video && !p?.audio) {
          throw new ApiError(422, 'ESTIMATE_SOURCE_UNSUPPORTED', 'The asset has not been probed yet: ask again once its source is in.');
        }
        summary = {
          durationSec: p.durationSec,
          width: p.video?.displayWidth ?? 0,
          height: p.video?.displayHeight ?? 0,
          fps: p.video?.fps,
          hasAudio: Boolean(p.audio),
        };
        if (!p.video) return estimate(summary, { ...preset, video: null }, await measuredSpeeds(deps.sql));
      } else {
        summary = { durationSec: source.duration, width: source.width, height: source.height, fps: source.fps };
      }
      return estimate(summary, preset, await measuredSpeeds(deps.sql));
    },
  );
}
