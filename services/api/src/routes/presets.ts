import type { FastifyInstance } from 'fastify';
import {
  CROPS,
  createPreset,
  deletePreset,
  getPreset,
  listPresets,
  MAX_AUDIO_KBPS,
  MAX_MAX_HEIGHT,
  MIN_AUDIO_KBPS,
  MIN_MAX_HEIGHT,
  PRESET_NAME_PATTERN,
  updatePreset,
  VIDEO_CODECS,
} from '@kino/presets';
import { NoBody, Nullable, refTo, StringEnum, typed } from '@kino/http';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { BODY, keyedErrors } from '../schemas.ts';

const videoProperties = {
  codec: StringEnum(VIDEO_CODECS, { description: 'The video codec of every rung: H.264, H.265 (hvc1) or AV1 (SVT-AV1).' }),
  max_height: Type.Integer({
    minimum: MIN_MAX_HEIGHT,
    maximum: MAX_MAX_HEIGHT,
    description: "The top rung's short side (never upscaled: a smaller source tops out at its own).",
  }),
  quality: StringEnum(['standard', 'high'], { description: '`high`: bitrates × 1.5 and a slower encoder preset.' }),
  crop: Nullable(StringEnum(CROPS), { description: 'A centre crop to this aspect before scaling; null for none.' }),
};
const PresetVideo = Type.Object(videoProperties, { additionalProperties: false });
const PresetAudio = Type.Object(
  {
    codec: StringEnum(['aac']),
    bitrate_kbps: Type.Integer({ minimum: MIN_AUDIO_KBPS, maximum: MAX_AUDIO_KBPS }),
  },
  { additionalProperties: false },
);
const PresetName = Type.String({ pattern: PRESET_NAME_PATTERN, description: 'Lower case letters, digits, `_` and `-`; up to 40.' });
const Description = Type.String({ maxLength: 500 });

export const PresetSchema = Type.Object(
  {
    name: Type.String(),
    description: Type.String(),
    builtin: Type.Boolean({ description: 'Built-ins are the same for every account and cannot be changed.' }),
    video: Nullable(PresetVideo, { description: 'null: audio only.' }),
    audio: PresetAudio,
  },
  { $id: 'Preset' },
);
const NameParams = Type.Object({ name: PresetName });

export async function presetRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  app.get(
    '/v1/presets',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listPresets',
        summary: "Presets: the built-ins, then the account's own by name",
        tags: ['presets'],
        response: { 200: Type.Object({ data: Type.Array(refTo(PresetSchema)) }), ...keyedErrors() },
      },
    },
    async (request) => ({ data: await listPresets(deps.sql, request.account.id) }),
  );

  app.get(
    '/v1/presets/:name',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getPreset',
        summary: "One preset, built in or the account's",
        tags: ['presets'],
        params: NameParams,
        response: { 200: refTo(PresetSchema), ...keyedErrors(404) },
      },
    },
    async (request) => {
      const p = await getPreset(deps.sql, request.account.id, request.params.name);
      if (!p) throw notFound('Preset');
      return p;
    },
  );

  app.post(
    '/v1/presets/:name',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'createPreset',
        summary: 'Create a preset of the account; parts left out are the default ladder’s',
        description: 'Built-in names are refused (409 PRESET_BUILTIN); an account holds at most 50 presets (409 TOO_MANY_PRESETS).',
        tags: ['presets'],
        params: NameParams,
        body: Type.Object(
          { description: Type.Optional(Description), video: Type.Optional(Nullable(PresetVideo)), audio: Type.Optional(PresetAudio) },
          { additionalProperties: false },
        ),
        response: { 201: refTo(PresetSchema), ...keyedErrors(409, ...BODY) },
      },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const p = await createPreset(deps.sql, request.account.id, { name: request.params.name, ...request.body });
      return reply.code(201).send(p);
    },
  );

  app.patch(
    '/v1/presets/:name',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'updatePreset',
        summary: 'Change a preset of the account',
        description:
          '`video` is merged over the preset’s (`null` makes it audio only). Assets already uploaded with it keep the preset as it was.',
        tags: ['presets'],
        params: NameParams,
        body: Type.Object(
          {
            description: Type.Optional(Description),
            video: Type.Optional(Nullable(Type.Partial(PresetVideo))),
            audio: Type.Optional(PresetAudio),
          },
          { additionalProperties: false },
        ),
        response: { 200: refTo(PresetSchema), ...keyedErrors(404, 409, ...BODY) },
      },
    },
    async (request) => {
      const p = await updatePreset(deps.sql, request.account.id, request.params.name, request.body);
      if (!p) throw notFound('Preset');
      return p;
    },
  );

  app.delete(
    '/v1/presets/:name',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'deletePreset',
        summary: 'Delete a preset of the account',
        description: 'Assets already uploaded with it keep it.',
        tags: ['presets'],
        params: NameParams,
        response: { 204: NoBody({ description: 'Deleted.' }), ...keyedErrors(404, 409) },
      },
    },
    async (request, reply) => {
      if (!(await deletePreset(deps.sql, request.account.id, request.params.name))) throw notFound('Preset');
      return reply.code(204).send();
    },
  );
}
