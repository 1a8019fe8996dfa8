import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@kino/testkit';
import { authenticateKey, createAccount, createDb, ensureAccountWithKey, issueApiKey, migrate } from '../src/index.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe('migrations', () => {
  it('apply once even when several processes start together', async () => {
    // createTestDatabase migrated already; wipe the record and race five runners.
    await db.sql`drop schema public cascade`;
    await db.sql`create schema public`;
    const pools = Array.from({ length: 5 }, () => createDb(db.url, { max: 1 }));
    const results = await Promise.all(pools.map((p) => migrate(p)));
    await Promise.all(pools.map((p) => p.end()));
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    expect(results.flatMap((r) => r.applied)).toContain('001_init.sql');
  });
});

describe('api keys', () => {
  it('are stored as a hash and authenticate their account only', async () => {
    const a = await createAccount(db.sql, 'a');
    const issued = await issueApiKey(db.sql, a.id);
    expect(issued.key).toMatch(/^kino_/);
    const [row] = await db.sql`select prefix, key_hash from api_keys where id = ${issued.id}`;
    expect(row!.prefix).toBe(issued.key.slice(0, 13));
    expect(Buffer.from(row!.key_hash).toString('hex')).not.toContain(Buffer.from(issued.key).toString('hex'));
    expect(await authenticateKey(db.sql, issued.key)).toEqual(a);
    expect(await authenticateKey(db.sql, `${issued.key}x`)).toBeNull();
    await db.sql`update api_keys set revoked_at = now() where id = ${issued.id}`;
    expect(await authenticateKey(db.sql, issued.key)).toBeNull();
  });

  it('give the dev key one account however often it is ensured', async () => {
    const first = await ensureAccountWithKey(db.sql, 'dev', 'kino_fixed_dev_key');
    const again = await ensureAccountWithKey(db.sql, 'dev', 'kino_fixed_dev_key');
    expect(again.id).toBe(first.id);
  });
});
