import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount, type Sql } from '@kino/db';
import { createTestDatabase, type TestDatabase } from '@kino/testkit';
import { BUILTIN_PRESETS, createPreset, deletePreset, getPreset, listPresets, updatePreset } from '../src/index.ts';

let db: TestDatabase;
let sql: Sql;
let a: string;
let b: string;
beforeAll(async () => {
  db = await createTestDatabase();
  sql = db.sql;
  a = (await createAccount(sql, 'a')).id;
  b = (await createAccount(sql, 'b')).id;
});
afterAll(() => db?.drop());

it('has the seven built-ins, found by any account', async () => {
  expect(BUILTIN_PRESETS.map((p) => p.name)).toEqual(['default', 'high_quality', 'h265', 'av1', 'audio_only', 'social_9x16', 'social_1x1']);
  expect(BUILTIN_PRESETS.every((p) => p.builtin)).toBe(true);
  expect((await getPreset(sql, a, 'social_1x1'))?.video).toEqual({ codec: 'h264', max_height: 1080, quality: 'standard', crop: '1:1' });
  expect((await getPreset(sql, a, 'audio_only'))?.video).toBeNull();
  expect(await getPreset(sql, a, 'nope')).toBeUndefined();
});

it("creates, changes and deletes an account's own preset, seen by that account only", async () => {
  const made = await createPreset(sql, a, { name: 'small', video: { codec: 'h264', max_height: 480, quality: 'high', crop: null } });
  expect(made).toEqual({
    name: 'small',
    description: '',
    builtin: false,
    video: { codec: 'h264', max_height: 480, quality: 'high', crop: null },
    audio: { codec: 'aac', bitrate_kbps: 128 },
  });
  expect(await getPreset(sql, a, 'small')).toEqual(made);
  expect(await getPreset(sql, b, 'small')).toBeUndefined();
  await expect(createPreset(sql, a, { name: 'small' })).rejects.toMatchObject({ status: 409, code: 'PRESET_EXISTS' });

  const changed = await updatePreset(sql, a, 'small', { description: 'phones', video: { max_height: 360 } });
  expect(changed?.video).toEqual({ codec: 'h264', max_height: 360, quality: 'high', crop: null });
  expect(await getPreset(sql, a, 'small')).toEqual(changed);
  expect((await updatePreset(sql, a, 'small', { video: null }))?.video).toBeNull();
  expect(await updatePreset(sql, b, 'small', { description: 'x' })).toBeUndefined();

  expect((await listPresets(sql, a)).map((p) => p.name)).toEqual([...BUILTIN_PRESETS.map((p) => p.name), 'small']);
  expect(await deletePreset(sql, b, 'small')).toBe(false);
  expect(await deletePreset(sql, a, 'small')).toBe(true);
  expect(await getPreset(sql, a, 'small')).toBeUndefined();
});

it('refuses built-in names for every write', async () => {
  await expect(createPreset(sql, a, { name: 'default' })).rejects.toMatchObject({ status: 409, code: 'PRESET_BUILTIN' });
  await expect(updatePreset(sql, a, 'h265', { description: 'x' })).rejects.toMatchObject({ status: 409, code: 'PRESET_BUILTIN' });
  await expect(deletePreset(sql, a, 'audio_only')).rejects.toMatchObject({ status: 409, code: 'PRESET_BUILTIN' });
});

it('bounds the presets an account holds, also against concurrent creates', async () => {
  const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => createPreset(sql, b, { name: `p${i}` }, 4)));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(refused.map((r) => r.reason.code)).toEqual(['TOO_MANY_PRESETS', 'TOO_MANY_PRESETS']);
  expect(refused[0]!.reason.details).toEqual({ limit: 4, usage: 4 });
});
