import { isLimitName, RATE_CLASSES, type LimitName, type PlanLimits, type RateClass } from '@kino/config';
import type { Policy } from '@kino/limits';
import type { Account } from '@kino/db';

/**
 * An account's limits: its plan's, with the account's own overrides on top. An account whose
 * plan is no longer configured gets `default` rather than no limits at all.
 */
export function accountLimits(plans: Readonly<Record<string, PlanLimits>>, account: Pick<Account, 'plan' | 'limits'>): PlanLimits {
  // The account row is the authenticator's, reused for every request while it trusts the
  // key: resolved once per row, not per request.
  let resolved = resolvedLimits.get(account);
  if (!resolved) {
    const plan = plans[account.plan] ?? plans['default']!;
    const own = Object.entries(account.limits).filter((e): e is [LimitName, number] => isLimitName(e[0]) && Number.isSafeInteger(e[1]));
    resolved = own.length === 0 ? plan : { ...plan, ...Object.fromEntries(own) };
    resolvedLimits.set(account, resolved);
  }
  return resolved;
}

const resolvedLimits = new WeakMap<object, PlanLimits>();

const policies = new WeakMap<PlanLimits, Record<RateClass, Policy>>();

/**
 * The token bucket of a route class under these limits: `*_per_minute` tokens, refilled
 * over a minute. Made once per limits object (a plan's is shared by all its accounts), so a
 * request allocates none.
 */
export function ratePolicy(limits: PlanLimits, rateClass: RateClass): Policy {
  let byClass = policies.get(limits);
  if (!byClass) {
    byClass = Object.fromEntries(RATE_CLASSES.map((c) => [c, { name: c, limit: limits[`${c}_per_minute`], windowSeconds: 60 }])) as Record<
      RateClass,
      Policy
    >;
    policies.set(limits, byClass);
  }
  return byClass[rateClass];
}
