import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@kino/config';
import { createApi } from '../src/index.ts';

// Nothing listens at these addresses: the api must refuse before it connects anywhere.
const production = (extra: Record<string, string> = {}) =>
  loadConfig({
    NODE_ENV: 'production',
    INTERNAL_TOKEN: 'a-production-internal-token',
    S3_ENDPOINT: 'http://127.0.0.1:9',
    DATABASE_URL: 'postgres://nobody@127.0.0.1:9/kino',
    REDIS_URL: 'redis://127.0.0.1:9',
    ...extra,
  });

describe('the api in production', () => {
  it('refuses to start without PLAYBACK_SIGNING_KEYS rather than make a key of its own', async () => {
    const err = await createApi(production()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^PLAYBACK_SIGNING_KEYS must be set in production/);
  });

  it('names PLAYBACK_SIGNING_KEYS when its value is not a key', async () => {
    for (const bad of ['not json', '[]', '[{"kty":"OKP","crv":"Ed25519","x":"AAAA"}]']) {
      const err = await createApi(production({ PLAYBACK_SIGNING_KEYS: bad })).catch((e: unknown) => e);
      expect(err, bad).toBeInstanceOf(ConfigError);
      expect((err as Error).message, bad).toMatch(/^PLAYBACK_SIGNING_KEYS: /);
    }
  });
});
