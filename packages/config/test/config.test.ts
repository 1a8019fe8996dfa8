import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseBytes, signingKeysSource } from '../src/index.ts';

// A production environment with only what production insists on; every test starts here.
const SIGNING_KEYS = '[{"kty":"OKP","crv":"Ed25519","x":"x","d":"d","kid":"k1"}]';
const production = (extra: Record<string, string | undefined> = {}) => ({
  NODE_ENV: 'production',
  INTERNAL_TOKEN: 'a-production-internal-token',
  PLAYBACK_SIGNING_KEYS: SIGNING_KEYS,
  ...extra,
});

/** The ConfigError message `fn` throws; fails the test when it throws something else or nothing. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('production defaults', () => {
  it('are the closed choices', () => {
    const c = loadConfig(production());
    expect(c.env).toBe('production');
    // No private webhook targets, no public player pages unless asked for.
    expect(c.webhooks.allowPrivate).toBe(false);
    expect(c.api.playerPages).toBe(false);
    expect(c.internalToken).toBe('a-production-internal-token');
    expect(c.playback.signingKeys).toBe(SIGNING_KEYS);
    expect(signingKeysSource(c)).toEqual({ json: SIGNING_KEYS });
    expect(c.logLevel).toBe('info');
    // A revoked key's event stream ends within 30 s: the heartbeat re-checks it.
    expect(c.events.heartbeatSeconds).toBe(15);
    expect(c.playback.maxTtlSeconds).toBe(86_400);
    expect(c.playback.ttlSeconds).toBeLessThanOrEqual(c.playback.maxTtlSeconds);
  });

  it('log JSON when stdout is no terminal, unless LOG_FORMAT says otherwise', () => {
    // Under vitest stdout is a pipe, as under systemd or a container runtime.
    expect(loadConfig(production()).logFormat).toBe('json');
    expect(loadConfig(production({ LOG_FORMAT: 'pretty' })).logFormat).toBe('pretty');
    expect(() => loadConfig(production({ LOG_FORMAT: 'text' }))).toThrow(/LOG_FORMAT must be json or pretty/);
  });

  it('keep private webhook targets closed even on a loopback api', () => {
    expect(loadConfig(production({ API_HOST: '127.0.0.1' })).webhooks.allowPrivate).toBe(false);
    // …and development opens them only on loopback.
    expect(loadConfig({ NODE_ENV: 'development' }).webhooks.allowPrivate).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', API_HOST: '0.0.0.0', INTERNAL_TOKEN: 'long-enough-token!' }).webhooks.allowPrivate).toBe(
      false,
    );
  });
});

describe('PLAYBACK_SIGNING_KEYS', () => {
  it('missing in production is a configuration error naming the variable', () => {
    const c = loadConfig(production({ PLAYBACK_SIGNING_KEYS: undefined }));
    expect(refusal(() => signingKeysSource(c))).toMatch(/^PLAYBACK_SIGNING_KEYS must be set in production/);
    // An empty value is missing too, not a key.
    expect(refusal(() => signingKeysSource(loadConfig(production({ PLAYBACK_SIGNING_KEYS: '' }))))).toMatch(/PLAYBACK_SIGNING_KEYS/);
  });

  it('falls back to the kept key file outside production only', () => {
    for (const env of ['development', 'test']) {
      const c = loadConfig({ NODE_ENV: env, KINO_DATA_DIR: '/srv/kino' });
      expect(signingKeysSource(c)).toEqual({ file: '/srv/kino/signing-keys.json' });
    }
  });

  it('is not asked of an edge, which holds public keys only', () => {
    // loadConfig itself does not insist: the edge and the worker load the same config.
    const c = loadConfig(production({ PLAYBACK_SIGNING_KEYS: undefined, PLAYBACK_PUBLIC_KEYS: '{"keys":[]}' }));
    expect(c.edge.publicKeys).toBe('{"keys":[]}');
  });
});

describe('refusals name the variable at fault', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ['NODE_ENV', { NODE_ENV: 'staging' }, /^NODE_ENV must be development, production or test, got "staging"/],
    ['INTERNAL_TOKEN missing', { INTERNAL_TOKEN: '' }, /^INTERNAL_TOKEN must be set in production/],
    ['INTERNAL_TOKEN short', { INTERNAL_TOKEN: 'short' }, /^INTERNAL_TOKEN must be at least 16 characters/],
    ['API_PORT', { API_PORT: '70000' }, /^API_PORT must be an integer between 0 and 65535, got "70000"/],
    ['EDGE_PORT', { EDGE_PORT: '12.5' }, /^EDGE_PORT must be an integer/],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://db/kino' }, /^DATABASE_URL must use postgres: or postgresql:/],
    ['REDIS_URL', { REDIS_URL: 'not a url' }, /^REDIS_URL is not a valid URL/],
    ['S3_ENDPOINT', { S3_ENDPOINT: 'ftp://s3' }, /^S3_ENDPOINT must use http: or https:/],
    ['MAX_UPLOAD_BYTES', { MAX_UPLOAD_BYTES: 'lots' }, /^MAX_UPLOAD_BYTES must be a size/],
    ['S3_FORCE_PATH_STYLE', { S3_FORCE_PATH_STYLE: 'maybe' }, /^S3_FORCE_PATH_STYLE must be true or false/],
    ['WEBHOOK_RETRY_SCHEDULE_MS', { WEBHOOK_RETRY_SCHEDULE_MS: '5000,soon' }, /^WEBHOOK_RETRY_SCHEDULE_MS must be/],
    ['CLICKHOUSE_DATABASE', { CLICKHOUSE_DATABASE: 'kino; drop table x' }, /^CLICKHOUSE_DATABASE must be letters, digits and underscores/],
    ['EVENTS_HEARTBEAT_SECONDS zero', { EVENTS_HEARTBEAT_SECONDS: '0' }, /^EVENTS_HEARTBEAT_SECONDS must be an integer between 1 and 30/],
    [
      'EVENTS_HEARTBEAT_SECONDS past 30',
      { EVENTS_HEARTBEAT_SECONDS: '31' },
      /^EVENTS_HEARTBEAT_SECONDS must be an integer between 1 and 30/,
    ],
    ['PLAYBACK_TOKEN_MAX_TTL_SECONDS', { PLAYBACK_TOKEN_MAX_TTL_SECONDS: '-1' }, /^PLAYBACK_TOKEN_MAX_TTL_SECONDS must be an integer/],
    ['TRUST_PROXY', { TRUST_PROXY: 'the balancer' }, /^TRUST_PROXY must be true, false or comma-separated proxy addresses/],
  ])('%s', (_name, bad, message) => {
    expect(refusal(() => loadConfig(production(bad)))).toMatch(message);
  });

  it('TRUST_PROXY takes a switch or proxy addresses', () => {
    expect(loadConfig(production()).api.trustProxy).toBe(false);
    expect(loadConfig(production({ TRUST_PROXY: 'true' })).api.trustProxy).toBe(true);
    expect(loadConfig(production({ TRUST_PROXY: '10.0.0.0/8, ::1' })).api.trustProxy).toBe('10.0.0.0/8, ::1');
  });

  it('a public api host needs a real INTERNAL_TOKEN even in development', () => {
    for (const name of ['API_HOST', 'EDGE_HOST', 'WORKER_HOST']) {
      expect(refusal(() => loadConfig({ NODE_ENV: 'development', [name]: '0.0.0.0' }))).toMatch(
        new RegExp(`^INTERNAL_TOKEN must be set when ${name}`),
      );
    }
  });

  it('sizes parse with units and nothing else', () => {
    expect(parseBytes('X', '5GiB')).toBe(5 * 1024 ** 3);
    expect(parseBytes('X', '500MB')).toBe(500e6);
    expect(parseBytes('X', '1048576')).toBe(1048576);
    expect(refusal(() => parseBytes('EDGE_CACHE_BYTES', '-5GiB'))).toMatch(/^EDGE_CACHE_BYTES must be a size/);
  });
});

describe('.env.example', () => {
  it('documents every variable the config reads', () => {
    const source = readFileSync(new URL('../src/config.ts', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const names = [...new Set([...source.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|NODE_ENV)'/g)].map((m) => m[1]!))];
    expect(names).toContain('PLAYBACK_SIGNING_KEYS');
    expect(names).toContain('EVENTS_HEARTBEAT_SECONDS');
    expect(names.filter((n) => !new RegExp(`\\b${n}\\b`).test(example))).toEqual([]);
  });
});
