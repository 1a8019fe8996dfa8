import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '@kino/db';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

// Operators manage accounts without a database shell: `kino accounts` (run here as a real
// subprocess, as an operator would) and the internal routes behind the internal token.

const KINO = fileURLToPath(new URL('../../../bin/kino.mjs', import.meta.url));
const INTERNAL_TOKEN = 'accounts-test-internal-token';
let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness({ INTERNAL_TOKEN });
});
afterAll(() => h?.close());

async function kino(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: h.config.databaseUrl, REDIS_URL: h.config.redisUrl, LOG_LEVEL: 'error' };
  return promisify(execFile)(process.execPath, [KINO, 'accounts', ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

const me = async (key: string) => {
  const res = await fetch(`${h.api.url}/v1/account`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as any };
};

describe('kino accounts', () => {
  it('creates an account whose first key works, lists it, re-plans, disables and enables it', async () => {
    const created = await kino('create', 'Acme Films', '--plan', 'free', '--json');
    expect(created.code).toBe(0);
    const { account, key } = JSON.parse(created.stdout);
    expect(account).toMatchObject({ name: 'Acme Films', plan: 'free', disabled_at: null });
    expect((await me(key.key)).body).toMatchObject({ id: account.id, plan: 'free' });

    const listed = await kino('list', '--json');
    expect(JSON.parse(listed.stdout).map((a: any) => a.id)).toContain(account.id);
    expect((await kino('list')).stdout).toContain(`${account.id}  Acme Films  plan=free  enabled`);

    expect((await kino('set', account.id, '--plan', 'pro', '--limit', 'webhooks=7')).code).toBe(0);
    // A second --limit adds to the account's own limits rather than replacing them.
    expect((await kino('set', account.id, '--limit', 'api_keys=9')).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await me(key.key)).body).toMatchObject({ plan: 'pro', limits: { webhooks: 7, api_keys: 9 } });

    expect((await kino('disable', account.id)).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    const refused = await me(key.key);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ACCOUNT_DISABLED');
    expect((await kino('enable', account.id)).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await me(key.key)).status).toBe(200);
  });

  it('says what is wrong, with exit codes that mean something', async () => {
    const plan = await kino('create', 'x', '--plan', 'platinum');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('There is no plan "platinum"');
    const { id } = await createAccount(h.db.sql, 'limited');
    const limit = await kino('set', id, '--limit', 'uploads_per_hour=3');
    expect(limit.code).toBe(1);
    expect(limit.stderr).toContain('"uploads_per_hour" is not a limit');
    const missing = await kino('disable', '00000000-0000-4000-8000-000000000000');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No account');
    const usage = await kino('frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: kino accounts');
    expect((await kino('--help')).stdout).toContain('create NAME');
  });
});

describe('internal account routes', () => {
  const internal = (method: string, path: string, body?: unknown, token = INTERNAL_TOKEN) =>
    fetch(`${h.api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('create an account with its first key and change it, behind the internal token only', async () => {
    expect((await internal('POST', '/internal/accounts', { name: 'nope' }, 'not-the-token')).status).toBe(401);
    const made = await internal('POST', '/internal/accounts', { name: 'Routed' });
    expect(made.status).toBe(201);
    expect((await me(made.body.key.key)).body.plan).toBe('default');
    const changed = await internal('PATCH', `/internal/accounts/${made.body.account.id}`, { disabled: true });
    expect(changed.body.disabled_at).not.toBeNull();
    // The process that made the change forgets at once.
    expect((await me(made.body.key.key)).status).toBe(403);
    const wrong = await internal('PATCH', `/internal/accounts/${made.body.account.id}`, { limits: { bogus: 1 } });
    expect(wrong.status).toBe(400);
    expect((await internal('GET', '/internal/accounts')).body.data.map((a: any) => a.name)).toContain('Routed');
  });
});
