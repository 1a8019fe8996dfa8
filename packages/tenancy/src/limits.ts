import { isLimitName, type LimitName, type PlanLimits } from '@kino/config';
import type { Account } from '@kino/db';

/**
 * An account's limits: its plan's, with the account's own overrides on top. An account whose
 * plan is no longer configured gets `default` rather than no limits at all.
 */
export function accountLimits(plans: Readonly<Record<string, PlanLimits>>, account: Pick<Account, 'plan' | 'limits'>): PlanLimits {
  const plan = plans[account.plan] ?? plans['default']!;
  const own = Object.entries(account.limits).filter((e): e is [LimitName, number] => isLimitName(e[0]) && Number.isSafeInteger(e[1]));
  return own.length === 0 ? plan : { ...plan, ...Object.fromEntries(own) };
}
