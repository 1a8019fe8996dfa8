import { ConfigError } from './errors.ts';

// Plan tiers: what an account may do per minute (token buckets, counted in Redis by the api)
// and may hold at once (quotas, counted in Postgres). An account names its plan; its own
// row may override single limits (accounts.limits). Rendiff's tiers are 10/100/1000
// requests a minute; ours are per route class, so reading a list does not eat uploads.

export const RATE_CLASSES = ['uploads', 'reads', 'writes', 'playback', 'events'] as const;
/** Which bucket a route takes from: each /v1 route names one (services/api access.ts). */
export type RateClass = (typeof RATE_CLASSES)[number];

export const QUOTAS = ['stored_bytes', 'concurrent_uploads', 'active_jobs', 'user_jobs', 'webhooks', 'api_keys'] as const;
export type Quota = (typeof QUOTAS)[number];

export type RateLimitName = `${RateClass}_per_minute`;
export type LimitName = RateLimitName | Quota;
export type PlanLimits = Record<LimitName, number>;

export const LIMIT_NAMES: readonly LimitName[] = [...RATE_CLASSES.map((c) => `${c}_per_minute` as const), ...QUOTAS];

const GiB = 1024 ** 3;

const DEFAULT_PLAN: PlanLimits = {
  uploads_per_minute: 60,
  reads_per_minute: 1200,
  writes_per_minute: 300,
  playback_per_minute: 1200,
  // Opening an event stream; a client that reconnects after every drop opens a few a minute.
  events_per_minute: 60,
  stored_bytes: 1024 * GiB,
  concurrent_uploads: 20,
  // Queued and running media jobs (an upload makes two or three).
  active_jobs: 200,
  // Jobs of the jobs API (POST /v1/jobs, /v1/analyze) queued or running.
  user_jobs: 20,
  webhooks: 50,
  // Live (unrevoked) keys.
  api_keys: 100,
};

/** The tiers every deployment has; TENANT_PLANS changes them or adds others. */
export const BUILT_IN_PLANS: Readonly<Record<string, PlanLimits>> = {
  free: {
    uploads_per_minute: 10,
    reads_per_minute: 100,
    writes_per_minute: 30,
    playback_per_minute: 100,
    events_per_minute: 10,
    stored_bytes: 10 * GiB,
    concurrent_uploads: 2,
    active_jobs: 10,
    user_jobs: 2,
    webhooks: 5,
    api_keys: 10,
  },
  default: DEFAULT_PLAN,
  pro: {
    uploads_per_minute: 600,
    reads_per_minute: 12_000,
    writes_per_minute: 3000,
    playback_per_minute: 12_000,
    events_per_minute: 600,
    stored_bytes: 100 * 1024 * GiB,
    concurrent_uploads: 200,
    active_jobs: 2000,
    user_jobs: 200,
    webhooks: 50,
    api_keys: 1000,
  },
};

export function isLimitName(name: string): name is LimitName {
  return (LIMIT_NAMES as readonly string[]).includes(name);
}

/**
 * Checks one set of limits by name (a plan in TENANT_PLANS, or an account's overrides):
 * known names, whole numbers from 0. `what` names it in the message.
 */
export function checkLimits(what: string, value: unknown): Partial<PlanLimits> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${what} must be an object of limits, e.g. {"uploads_per_minute": 30}`);
  }
  for (const [name, n] of Object.entries(value)) {
    if (!isLimitName(name)) throw new ConfigError(`${what}: "${name}" is not a limit (one of ${LIMIT_NAMES.join(', ')})`);
    if (!Number.isSafeInteger(n) || (n as number) < 0)
      throw new ConfigError(`${what}.${name} must be a whole number from 0, got ${JSON.stringify(n)}`);
  }
  return value as Partial<PlanLimits>;
}

/**
 * TENANT_PLANS: a JSON object of plan name → limits. A named built-in plan keeps the limits
 * it does not mention; a new plan takes the rest from `default`.
 */
export function parsePlans(raw: string | undefined): Record<string, PlanLimits> {
  const plans: Record<string, PlanLimits> = { ...BUILT_IN_PLANS };
  if (raw === undefined || raw.trim() === '') return plans;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('TENANT_PLANS must be JSON: {"plan": {"uploads_per_minute": 30, …}, …}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('TENANT_PLANS must be a JSON object of plan name → limits');
  }
  for (const [name, limits] of Object.entries(parsed)) {
    if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(name))
      throw new ConfigError(`TENANT_PLANS: "${name}" is not a plan name (a-z, 0-9, _ and -, up to 32)`);
    plans[name] = { ...(plans[name] ?? plans['default']!), ...checkLimits(`TENANT_PLANS.${name}`, limits) };
  }
  return plans;
}
