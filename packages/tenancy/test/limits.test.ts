import { describe, expect, it } from 'vitest';
import { BUILT_IN_PLANS, ConfigError, loadConfig, parsePlans } from '@kino/config';
import { accountLimits, scopesAllow } from '../src/index.ts';

describe('plans', () => {
  it('take TENANT_PLANS over the built-in tiers, a new plan filling in from default', () => {
    const plans = parsePlans(JSON.stringify({ free: { uploads_per_minute: 3 }, tiny: { concurrent_uploads: 1 } }));
    expect(plans['free']).toEqual({ ...BUILT_IN_PLANS['free'], uploads_per_minute: 3 });
    expect(plans['tiny']).toEqual({ ...BUILT_IN_PLANS['default'], concurrent_uploads: 1 });
    expect(plans['pro']).toEqual(BUILT_IN_PLANS['pro']);
  });

  it('refuse a wrong TENANT_PLANS with a message naming what is wrong', () => {
    const bad = (raw: string) => () => loadConfig({ TENANT_PLANS: raw });
    expect(bad('{')).toThrow(ConfigError);
    expect(bad('{"free": {"uploads_per_hour": 3}}')).toThrow(/TENANT_PLANS.free: "uploads_per_hour" is not a limit/);
    expect(bad('{"free": {"uploads_per_minute": -1}}')).toThrow(/TENANT_PLANS.free.uploads_per_minute must be a whole number/);
    expect(bad('{"Free Plan": {}}')).toThrow(/not a plan name/);
  });

  it("give an account its plan's limits with its own exceptions, and default for a plan no longer configured", () => {
    const plans = parsePlans(undefined);
    expect(accountLimits(plans, { plan: 'free', limits: {} })).toBe(plans['free']);
    expect(accountLimits(plans, { plan: 'free', limits: { webhooks: 9, bogus: 3 } })).toEqual({ ...plans['free'], webhooks: 9 });
    expect(accountLimits(plans, { plan: 'gone', limits: {} })).toBe(plans['default']);
  });
});

describe('scopes', () => {
  it('let full do everything and every other scope only its own routes', () => {
    expect(scopesAllow(['full'], 'manage')).toBe(true);
    expect(scopesAllow(['playback'], 'playback')).toBe(true);
    for (const access of ['upload', 'read', 'stream', 'manage'] as const) expect(scopesAllow(['playback'], access)).toBe(false);
    expect(scopesAllow(['read'], 'stream')).toBe(true);
    expect(scopesAllow(['upload', 'read'], 'manage')).toBe(false);
  });
});
