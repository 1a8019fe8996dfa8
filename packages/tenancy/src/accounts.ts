import { checkLimits, ConfigError, type PlanLimits } from '@kino/config';
import {
  createAccount,
  issueApiKey,
  setAccountDisabled,
  setAccountPlan,
  type Account,
  type IssuedKey,
  type NewKey,
  type Sql,
} from '@kino/db';
import type { Redis } from '@kino/events';
import { announceKeyChange } from './authenticator.ts';
import { ApiError } from '@kino/http';
import { accountUsage, lockQuotas, quotaExceeded } from './usage.ts';

// What operators and accounts do with accounts and keys, shared by the internal routes, the
// /v1/keys routes and `kino accounts`.

type Plans = Readonly<Record<string, PlanLimits>>;

function checkPlan(plans: Plans, plan: string): void {
  if (plans[plan]) return;
  throw new ApiError(400, 'VALIDATION_ERROR', `There is no plan "${plan}": the configured plans are ${Object.keys(plans).join(', ')}.`, [
    { path: 'plan', message: 'unknown plan' },
  ]);
}

/** A new account on `plan` and its first key (full scope), whose secret is returned this once. */
export async function openAccount(
  sql: Sql,
  plans: Plans,
  o: { name: string; plan?: string | undefined },
): Promise<{ account: Account; key: IssuedKey }> {
  const plan = o.plan ?? 'default';
  checkPlan(plans, plan);
  return sql.begin(async (tx) => {
    const account = await createAccount(tx, o.name, { plan });
    return { account, key: await issueApiKey(tx, account.id, { name: 'first key' }) };
  });
}

/** Issues a key unless the account holds `limit` live keys already (then QUOTA_EXCEEDED). */
export async function issueKeyWithinQuota(sql: Sql, accountId: string, limit: number, key: NewKey): Promise<IssuedKey> {
  return sql.begin(async (tx) => {
    await lockQuotas(tx, accountId);
    const { api_keys: used } = await accountUsage(tx, accountId);
    if (used >= limit) throw quotaExceeded('api_keys', limit, used);
    return issueApiKey(tx, accountId, key);
  });
}

export interface AccountChange {
  plan?: string | undefined;
  /** Replaces the account's own overrides ({} drops them all). */
  limits?: Record<string, unknown> | undefined;
  disabled?: boolean | undefined;
}

/**
 * Changes an account as an operator asks; every api process forgets the keys it trusted, so
 * a disabled account is refused everywhere within a second (at once while Redis carries
 * the news). Null when there is no such account.
 */
export async function changeAccount(
  sql: Sql,
  redis: Redis | undefined,
  plans: Plans,
  id: string,
  c: AccountChange,
): Promise<Account | null> {
  if (c.plan !== undefined) checkPlan(plans, c.plan);
  let limits: Record<string, number> | undefined;
  try {
    limits = c.limits && (checkLimits('limits', c.limits) as Record<string, number>);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ApiError(400, 'VALIDATION_ERROR', `${err.message}.`, [{ path: 'limits', message: err.message }]);
  }
  let account = await setAccountPlan(sql, id, { plan: c.plan, limits });
  if (account && c.disabled !== undefined) account = await setAccountDisabled(sql, id, c.disabled);
  // A lost message leaves other processes trusting the account for KEY_CACHE_MS at most, so
  // an unreachable Redis is waited for a second, not for its reconnect attempts.
  if (account && redis) {
    await Promise.race([announceKeyChange(redis).catch(() => {}), new Promise((r) => setTimeout(r, 1000).unref())]);
  }
  return account;
}
