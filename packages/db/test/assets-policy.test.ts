import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@kino/testkit';
import { createAccount, getAsset, getPublicAsset, insertAsset, listAssets, markAssetDeleted, updateAsset } from '../src/index.ts';

// Playback policy and deleted assets at the row level: what the public player may find,
// what a PATCH changes, and which deleted assets a list includes.

let db: TestDatabase;
let account: string;
let other: string;
beforeAll(async () => {
  db = await createTestDatabase();
  account = (await createAccount(db.sql, 'a')).id;
  other = (await createAccount(db.sql, 'b')).id;
});
afterAll(() => db?.drop());

const insert = async (accountId = account, playbackPolicy?: 'signed' | 'public') =>
  (await insertAsset(db.sql, { id: randomUUID(), accountId, contentType: 'video/mp4', playbackPolicy }))!;

describe('playback_policy', () => {
  it('is signed unless the insert says public', async () => {
    expect((await insert()).playback_policy).toBe('signed');
    expect((await insert(account, 'public')).playback_policy).toBe('public');
    await expect(db.sql`update assets set playback_policy = 'open'`).rejects.toThrow(/check constraint/);
  });

  it('lets the public player find public assets that are not deleted, and nothing else', async () => {
    const open = await insert(account, 'public');
    const closed = await insert();
    const gone = await insert(account, 'public');
    await markAssetDeleted(db.sql, account, gone.id);
    expect((await getPublicAsset(db.sql, open.id))?.id).toBe(open.id);
    expect(await getPublicAsset(db.sql, closed.id)).toBeNull();
    expect(await getPublicAsset(db.sql, gone.id)).toBeNull();
    expect(await getPublicAsset(db.sql, randomUUID())).toBeNull();
  });
});

describe('updateAsset', () => {
  it('changes only the fields given, for the owner, while the asset is not deleted', async () => {
    const a = await insertAsset(db.sql, {
      id: randomUUID(),
      accountId: account,
      contentType: 'video/mp4',
      title: 't',
      passthrough: 'p',
    });
    expect(await updateAsset(db.sql, account, a!.id, { playbackPolicy: 'public' })).toMatchObject({
      playback_policy: 'public',
      title: 't',
      passthrough: 'p',
    });
    expect(await updateAsset(db.sql, account, a!.id, { title: null })).toMatchObject({
      playback_policy: 'public',
      title: null,
      passthrough: 'p',
    });
    expect(await updateAsset(db.sql, account, a!.id, { passthrough: 'q', playbackPolicy: 'signed' })).toMatchObject({
      playback_policy: 'signed',
      title: null,
      passthrough: 'q',
    });
    expect(await updateAsset(db.sql, other, a!.id, { playbackPolicy: 'public' })).toBeNull();
    await markAssetDeleted(db.sql, account, a!.id);
    expect(await updateAsset(db.sql, account, a!.id, { playbackPolicy: 'public' })).toBeNull();
    expect((await getAsset(db.sql, account, a!.id))!.playback_policy).toBe('signed');
  });
});

describe('listAssets', () => {
  it('leaves deleted assets out, lists them too, or lists only them', async () => {
    const acc = (await createAccount(db.sql, 'lists')).id;
    const kept = await insert(acc);
    const gone = await insert(acc);
    await markAssetDeleted(db.sql, acc, gone.id);
    const ids = async (deleted?: 'exclude' | 'include' | 'only') =>
      (await listAssets(db.sql, acc, { limit: 10, deleted })).map((r) => r.id);
    expect(await ids()).toEqual([kept.id]);
    expect(await ids('exclude')).toEqual([kept.id]);
    expect(await ids('include')).toEqual([gone.id, kept.id]);
    expect(await ids('only')).toEqual([gone.id]);
  });
});
