import type { Queryable, Sql } from '@kino/db';
import { ApiError } from '@kino/http';
import { BUILTIN_PRESETS, builtinPreset, DEFAULT_PRESET, isBuiltinName, type Preset, type PresetVideo } from './preset.ts';

// An account's own presets: rows of account_presets (migration 018), bounded per account.
// Shapes are validated by the route schemas; what needs the database (names taken, the
// bound, built-in names) is checked here.

/** How many presets of its own an account may hold. */
export const MAX_ACCOUNT_PRESETS = 50;

interface PresetRow {
  name: string;
  description: string;
  video: PresetVideo | null;
  audio: Preset['audio'];
}

export interface PresetInput {
  name: string;
  description?: string;
  video?: PresetVideo | null;
  audio?: Preset['audio'];
}

export interface PresetChange {
  description?: string;
  /** null: audio only; an object: merged over the preset's video (or the default's, if it had none). */
  video?: Partial<PresetVideo> | null;
  audio?: Preset['audio'];
}

const toPreset = (r: PresetRow): Preset => ({ name: r.name, description: r.description, builtin: false, video: r.video, audio: r.audio });

/** A built-in by that name, else the account's own, else undefined. */
export async function getPreset(sql: Queryable, accountId: string, name: string): Promise<Preset | undefined> {
  const builtin = builtinPreset(name);
  if (builtin) return builtin;
  const [row] = await sql<PresetRow[]>`
    select name, description, video, audio from account_presets where account_id = ${accountId} and name = ${name}`;
  return row && toPreset(row);
}

/** The built-ins, then the account's own by name. */
export async function listPresets(sql: Queryable, accountId: string): Promise<Preset[]> {
  const rows = await sql<PresetRow[]>`
    select name, description, video, audio from account_presets where account_id = ${accountId} order by name`;
  return [...BUILTIN_PRESETS, ...rows.map(toPreset)];
}

function refuseBuiltin(name: string): void {
  if (isBuiltinName(name)) throw new ApiError(409, 'PRESET_BUILTIN', `The preset ${name} is built in and cannot be changed.`);
}

/**
 * Creates an account preset. Missing parts are the default ladder's. The count and the
 * insert are one transaction under the account row's lock, so two creates at the bound
 * cannot both pass.
 */
export async function createPreset(sql: Sql, accountId: string, p: PresetInput, limit = MAX_ACCOUNT_PRESETS): Promise<Preset> {
  refuseBuiltin(p.name);
  const preset: Preset = {
    name: p.name,
    description: p.description ?? '',
    builtin: false,
    video: p.video === undefined ? DEFAULT_PRESET.video : p.video,
    audio: p.audio ?? DEFAULT_PRESET.audio,
  };
  return sql.begin(async (tx) => {
    await tx`select 1 from accounts where id = ${accountId} for update`;
    const [{ n } = { n: 0 }] = await tx<{ n: number }[]>`select count(*)::int as n from account_presets where account_id = ${accountId}`;
    const [taken] = await tx`select 1 from account_presets where account_id = ${accountId} and name = ${p.name}`;
    if (taken) throw new ApiError(409, 'PRESET_EXISTS', `The account already has a preset named ${p.name}; change it with PATCH.`);
    if (n >= limit) {
      throw new ApiError(409, 'TOO_MANY_PRESETS', `The account holds ${n} presets, the most it may; delete one first.`, {
        limit,
        usage: n,
      });
    }
    await tx`
      insert into account_presets (account_id, name, description, video, audio)
      values (${accountId}, ${preset.name}, ${preset.description}, ${tx.json(preset.video as never)}, ${tx.json(preset.audio)})`;
    return preset;
  });
}

/** Changes an account preset; undefined when it has none by that name. */
export async function updatePreset(sql: Sql, accountId: string, name: string, c: PresetChange): Promise<Preset | undefined> {
  refuseBuiltin(name);
  return sql.begin(async (tx) => {
    const [row] = await tx<PresetRow[]>`
      select name, description, video, audio from account_presets
      where account_id = ${accountId} and name = ${name} for update`;
    if (!row) return undefined;
    const was = toPreset(row);
    const video =
      c.video === undefined
        ? was.video
        : c.video === null
          ? null
          : ({ ...(was.video ?? DEFAULT_PRESET.video!), ...c.video } as PresetVideo);
    const next: Preset = { ...was, description: c.description ?? was.description, video, audio: c.audio ?? was.audio };
    await tx`
      update account_presets
      set description = ${next.description}, video = ${tx.json(next.video as never)}, audio = ${tx.json(next.audio)}, updated_at = now()
      where account_id = ${accountId} and name = ${name}`;
    return next;
  });
}

/** Deletes an account preset; false when it had none by that name. Assets keep their snapshot. */
export async function deletePreset(sql: Queryable, accountId: string, name: string): Promise<boolean> {
  refuseBuiltin(name);
  const rows = await sql`delete from account_presets where account_id = ${accountId} and name = ${name} returning 1`;
  return rows.length > 0;
}

/** The preset by that name, or 400 UNKNOWN_PRESET (an upload's or an estimate's `preset`). */
export async function knownPreset(sql: Queryable, accountId: string, name: string): Promise<Preset> {
  const preset = await getPreset(sql, accountId, name);
  if (!preset) {
    throw new ApiError(400, 'UNKNOWN_PRESET', `No preset is named ${JSON.stringify(name)}; GET /v1/presets lists them.`, [
      { path: 'preset', message: 'unknown preset' },
    ]);
  }
  return preset;
}

/** Video codecs the upload pipeline encodes today (its ladder, opener and just-in-time segments agree on them). */
const UPLOAD_CODECS = new Set(['h264']);

/**
 * The preset an upload names, checked before a byte of its body is read: unknown is 400
 * UNKNOWN_PRESET; one whose output the pipeline does not make yet is 422, never accepted and
 * ignored. Undefined name: the default ladder (undefined).
 */
export async function uploadPreset(sql: Queryable, accountId: string, name: string | undefined): Promise<Preset | undefined> {
  if (name === undefined) return undefined;
  const preset = await knownPreset(sql, accountId, name);
  if (!preset.video) {
    throw new ApiError(422, 'PRESET_NOT_SUPPORTED_FOR_UPLOADS', `The preset ${name} is audio only; uploads always publish video for now.`);
  }
  if (!UPLOAD_CODECS.has(preset.video.codec)) {
    throw new ApiError(
      422,
      'PRESET_NOT_SUPPORTED_FOR_UPLOADS',
      `The preset ${name} encodes ${preset.video.codec}; uploads are encoded to H.264 only for now.`,
    );
  }
  return preset;
}
