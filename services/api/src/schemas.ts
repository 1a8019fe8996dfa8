import { errorResponses, refTo } from '@kino/http';
import { playbackBlockSchema } from '@kino/playback';
import { Type, type TSchemaOptions } from 'typebox';

// Schema parts that several of the api's route files share. The shared ones of every
// service (ids, errors, pages) are in @kino/http; the asset's own is beside its view.

/** `?region=`: the edge a playback block points at. */
export const regionQuery = {
  region: Type.Optional(Type.String({ maxLength: 64, description: 'Prefer an edge in this region (also the x-kino-region header).' })),
};

/** How a caller with an API key shapes a playback block (also on uploads with wait=playable). */
export const playbackQuery = {
  ...regionQuery,
  ttl_seconds: Type.Optional(Type.Integer({ minimum: 10, description: 'Lifetime of the signed URLs; capped by configuration.' })),
};

/** A playback block in a response, typed as the `Playback` schema. */
export const PlaybackRef = (options: TSchemaOptions = {}) => refTo(playbackBlockSchema, options);

/**
 * What any route behind an API key may answer besides its own refusals (`statuses`): a
 * malformed request (400), no or a bad key (401), a scope, quota or disabled account
 * (403), the rate limit (429) and a fault of ours (500).
 */
export const KEYED_ERRORS = [400, 401, 403, 429, 500] as const;
export const keyedErrors = (...statuses: number[]) => errorResponses([...KEYED_ERRORS, ...statuses]);

/** A JSON body's own refusals: too large (413), not JSON (415). */
export const BODY = [413, 415] as const;
