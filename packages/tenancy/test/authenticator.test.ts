import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, issueApiKey, revokeApiKey, setAccountDisabled } from '@kino/db';
import { createRedisBus, type RedisBus } from '@kino/events';
import { createTestDatabase, type TestDatabase } from '@kino/testkit';
import { announceKeyChange, createKeyAuthenticator } from '../src/index.ts';

let db: TestDatabase;
let bus: RedisBus;
beforeAll(async () => {
  db = await createTestDatabase();
  bus = createRedisBus(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  bus?.close();
  await db?.drop();
});

/** Holds api_keys locked in a transaction until released: a lookup of a key waits on it, a remembered verdict does not. */
async function lockKeys(): Promise<() => Promise<void>> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const tx = db.sql.begin(async (t) => {
    await t`lock table api_keys in access exclusive mode`;
    locked();
    await held;
  });
  await isLocked;
  return async () => {
    release();
    await tx;
  };
}

const settled = async (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('the key authenticator', () => {
  it('finds a key with its account and scopes, and refuses an unknown one', async () => {
    const account = await createAccount(db.sql, 'scoped');
    const issued = await issueApiKey(db.sql, account.id, { scopes: ['read', 'playback'] });
    const auth = createKeyAuthenticator({ sql: db.sql, keyCacheMs: 500 });
    const found = await auth.authenticate(issued.key);
    expect(found).toMatchObject({
      ok: true,
      key: { keyId: issued.id, scopes: ['read', 'playback'], account: { id: account.id, plan: 'default' } },
    });
    expect(await auth.authenticate(`${issued.key}x`)).toEqual({ ok: false, reason: 'unknown' });
    await auth.close();
  });

  it('answers a key it has seen unknown, and a flood of one key, without asking Postgres again', async () => {
    const auth = createKeyAuthenticator({ sql: db.sql, keyCacheMs: 500 });
    expect(await auth.authenticate('kino_never_issued')).toEqual({ ok: false, reason: 'unknown' });
    const release = await lockKeys();
    try {
      // Remembered: answered while the table is locked.
      expect(await settled(auth.authenticate('kino_never_issued'), 2000)).toBe(true);
      // Not remembered: the lookup waits on the lock, which proves it is one.
      const fresh = Promise.all(Array.from({ length: 20 }, () => auth.authenticate('kino_also_never_issued')));
      expect(await settled(fresh, 300)).toBe(false);
      // Twenty requests for one key wait on one lookup between them.
      const waiting =
        await db.sql`select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'api_keys' and not l.granted`;
      expect(waiting[0]!.n).toBe(1);
      await release();
      expect(new Set((await fresh).map((v) => JSON.stringify(v)))).toEqual(new Set([JSON.stringify({ ok: false, reason: 'unknown' })]));
    } finally {
      await release();
    }
    await auth.close();
  });

  it('with mayLookUp false looks up only a key that passed recently', async () => {
    const account = await createAccount(db.sql, 'throttled');
    const issued = await issueApiKey(db.sql, account.id);
    let clock = 0;
    const auth = createKeyAuthenticator({ sql: db.sql, keyCacheMs: 500, now: () => clock });
    expect(await auth.authenticate(issued.key, false)).toBeUndefined();
    expect((await auth.authenticate(issued.key))?.ok).toBe(true);
    clock += 10_000; // past the cache: a lookup, allowed for a key that passed
    expect((await auth.authenticate(issued.key, false))?.ok).toBe(true);
    await revokeApiKey(db.sql, account.id, issued.id);
    clock += 10_000;
    expect(await auth.authenticate(issued.key, false)).toEqual({ ok: false, reason: 'unknown' });
    await auth.close();
  });

  it('refuses a revoked key once its cache time is over, and at once when the change is announced', async () => {
    const account = await createAccount(db.sql, 'revoker');
    const a = await issueApiKey(db.sql, account.id);
    const b = await issueApiKey(db.sql, account.id);
    let clock = 0;
    const auth = createKeyAuthenticator({ sql: db.sql, keyCacheMs: 500, bus, now: () => clock });
    expect((await auth.authenticate(a.key))?.ok).toBe(true);
    expect((await auth.authenticate(b.key))?.ok).toBe(true);

    await revokeApiKey(db.sql, account.id, a.id);
    expect((await auth.authenticate(a.key))?.ok).toBe(true); // trusted for keyCacheMs
    clock += 501;
    expect(await auth.authenticate(a.key)).toEqual({ ok: false, reason: 'unknown' });

    // Announced: forgotten before the cache time is over. Wait for the subscription first.
    await revokeApiKey(db.sql, account.id, b.id);
    for (let i = 0; i < 100 && (await auth.authenticate(b.key))?.ok; i++) {
      await announceKeyChange(bus.redis);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await auth.authenticate(b.key)).toEqual({ ok: false, reason: 'unknown' });
    await auth.close();
  });

  it('says when a key expired or its account is disabled, and trusts a key no longer than it lives', async () => {
    const account = await createAccount(db.sql, 'expiring');
    let clock = Date.now();
    const expiring = await issueApiKey(db.sql, account.id, { expiresAt: new Date(clock + 100) });
    const auth = createKeyAuthenticator({ sql: db.sql, keyCacheMs: 1000, now: () => clock });
    expect((await auth.authenticate(expiring.key))?.ok).toBe(true);
    clock += 101;
    expect(await auth.authenticate(expiring.key)).toEqual({ ok: false, reason: 'expired' });

    const other = await issueApiKey(db.sql, account.id);
    await setAccountDisabled(db.sql, account.id, true);
    auth.forget();
    expect(await auth.authenticate(other.key)).toEqual({ ok: false, reason: 'disabled' });
    await auth.close();
  });

  it('records when a key was last used', async () => {
    const account = await createAccount(db.sql, 'user');
    const issued = await issueApiKey(db.sql, account.id);
    const auth = createKeyAuthenticator({ sql: db.sql, keyCacheMs: 0, touchEveryMs: 60_000 });
    await auth.authenticate(issued.key);
    await auth.close(); // waits for the write
    const [first] = await db.sql<{ last_used_at: Date }[]>`select last_used_at from api_keys where id = ${issued.id}`;
    expect(first!.last_used_at).toBeInstanceOf(Date);
  });
});
