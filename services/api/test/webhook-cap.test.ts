import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, issueApiKey } from '@kino/db';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(() => h?.close());

const create = async (key: string, n: number) => {
  const res = await fetch(`${h.api.url}/v1/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: `https://hooks.example.com/${n}` }),
  });
  return { status: res.status, body: (await res.json()) as any };
};

const live = async (accountId: string) =>
  (await h.db.sql<{ n: number }[]>`select count(*)::int as n from webhooks where account_id = ${accountId} and deleted_at is null`)[0]!.n;

// The plan's quota (default 50): each endpoint multiplies every event.
const MAX_WEBHOOKS_PER_ACCOUNT = 50;

describe('the per-account webhook cap', () => {
  it('holds when creates arrive at once', async () => {
    const account = await createAccount(h.db.sql, 'racer');
    const { key } = await issueApiKey(h.db.sql, account.id);
    // Room for exactly five more, then twenty creates at the same moment.
    const room = 5;
    await h.db.sql`
      insert into webhooks (account_id, url, secret)
      select ${account.id}, 'https://hooks.example.com/pre/' || i, 'whsec_x'
      from generate_series(1, ${MAX_WEBHOOKS_PER_ACCOUNT - room}) i`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => create(key, i)));

    expect(results.filter((r) => r.status === 201)).toHaveLength(room);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(20 - room);
    for (const r of refused) {
      expect(r.status).toBe(403);
      expect(r.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { quota: 'webhooks', limit: 50, used: 50 } });
    }
    expect(await live(account.id)).toBe(MAX_WEBHOOKS_PER_ACCOUNT);

    // Deleting one makes room for one again, and only one.
    const [first] = await h.db.sql<{ id: string }[]>`select id from webhooks where account_id = ${account.id} limit 1`;
    const del = await fetch(`${h.api.url}/v1/webhooks/${first!.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
    expect(del.status).toBe(204);
    const again = await Promise.all(Array.from({ length: 20 }, (_, i) => create(key, 100 + i)));
    expect(again.filter((r) => r.status === 201)).toHaveLength(1);
    expect(await live(account.id)).toBe(MAX_WEBHOOKS_PER_ACCOUNT);
  });

  it('does not hold one account up behind another', async () => {
    // The lock is the account's row: another account creates while this one is full.
    const res = await create(h.keyB, 1);
    expect(res.status).toBe(201);
  });
});
