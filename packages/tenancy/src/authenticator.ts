import { authenticateApiKey, hashKey, touchApiKeys, type AuthenticatedKey, type Sql } from '@kino/db';
import type { Redis, RedisBus } from '@kino/events';

// Every authenticated request needs its key's account, scopes and limits. Looking them up in
// Postgres each time costs a query per request; trusting a looked-up key for a short while
// (keyCacheMs, under a second) costs revocations that much delay at most, and a message on
// KEYS_CHANNEL tells every api process to forget what it trusted at once.

/** A key was revoked or created, or an account disabled or enabled: forget cached verdicts. */
export const KEYS_CHANNEL = 'kino:api_keys';

export async function announceKeyChange(redis: Redis): Promise<void> {
  await redis.publish(KEYS_CHANNEL, '1');
}

export type KeyVerdict = { ok: true; key: AuthenticatedKey } | { ok: false; reason: 'unknown' | 'expired' | 'disabled' };

export interface KeyAuthenticatorOptions {
  sql: Sql;
  /** Revocations from other processes; without it, only keyCacheMs bounds their delay. */
  bus?: RedisBus | undefined;
  /** How long a found key is trusted without asking Postgres again. */
  keyCacheMs: number;
  /** How long an unknown key is refused without asking again (keys are random: one that was unknown stays so). */
  unknownCacheMs?: number;
  /** Verdicts remembered at most; the oldest go first. */
  maxEntries?: number;
  /** last_used_at is written at most this often per key. */
  touchEveryMs?: number;
  now?: () => number;
  log?: { warn(obj: object, msg?: string): void };
}

export interface KeyAuthenticator {
  /**
   * The verdict on a presented key. With `mayLookUp` false (a client throttled for guessing)
   * a key is looked up only if it passed recently; for any other, undefined. Guessing then
   * costs Postgres nothing, while a real key behind the same address still works.
   */
  authenticate(secret: string, mayLookUp?: boolean): Promise<KeyVerdict | undefined>;
  /** Forgets every verdict, as a message on KEYS_CHANNEL does (for the process that made the change, should Redis be away). */
  forget(): void;
  /** Where failures to record last_used_at are reported (set once the process has a logger). */
  log: { warn(obj: object, msg?: string): void } | undefined;
  close(): Promise<void>;
}

const RECENTLY_GOOD_MS = 15 * 60_000;

interface Entry {
  verdict: KeyVerdict;
  until: number;
}

export function createKeyAuthenticator(o: KeyAuthenticatorOptions): KeyAuthenticator {
  const now = o.now ?? Date.now;
  const unknownCacheMs = o.unknownCacheMs ?? 60_000;
  const maxEntries = o.maxEntries ?? 10_000;
  const touchEveryMs = o.touchEveryMs ?? 60_000;
  // By the key's hash, so the process holds no secrets; Map order is insertion order, so the
  // first entry is the oldest.
  const cache = new Map<string, Entry>();
  // One query for a key however many requests present it at once.
  const lookups = new Map<string, Promise<KeyVerdict>>();
  const lastTouched = new Map<string, number>();
  /** Hashes of keys that passed within RECENTLY_GOOD_MS, with when. */
  const recentlyGood = new Map<string, number>();
  const toTouch = new Set<string>();
  let touching: Promise<void> = Promise.resolve();
  // Bumped by every forgetting: a lookup that began before it may have read the key before
  // the change committed, so its verdict answers its own requests but is not remembered.
  let generation = 0;
  const forget = () => {
    generation++;
    cache.clear();
    lookups.clear();
  };
  const subscription = o.bus?.subscribe(KEYS_CHANNEL, forget);

  function remember(hash: string, verdict: KeyVerdict, ttl: number): void {
    if (ttl <= 0) return;
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(hash, { verdict, until: now() + ttl });
  }

  function judge(found: AuthenticatedKey | null): KeyVerdict {
    if (!found) return { ok: false, reason: 'unknown' };
    if (found.account.disabled_at) return { ok: false, reason: 'disabled' };
    if (found.expiresAt && found.expiresAt.getTime() <= now()) return { ok: false, reason: 'expired' };
    return { ok: true, key: found };
  }

  function used(keyId: string): void {
    const at = now();
    if (at - (lastTouched.get(keyId) ?? Number.NEGATIVE_INFINITY) < touchEveryMs) return;
    lastTouched.set(keyId, at);
    if (lastTouched.size > maxEntries) lastTouched.delete(lastTouched.keys().next().value!);
    toTouch.add(keyId);
    void flushTouches();
  }

  // One write at a time: keys first used while one is under way go together in the next.
  function flushTouches(): Promise<void> {
    if (toTouch.size === 0) return touching;
    touching = touching
      .then(() => {
        const ids = [...toTouch];
        toTouch.clear();
        return ids.length > 0 ? touchApiKeys(o.sql, ids) : undefined;
      })
      .catch((err) => authenticator.log?.warn({ err }, 'could not record when API keys were last used'));
    return touching;
  }

  async function lookUp(hash: string, secret: string): Promise<KeyVerdict> {
    const began = generation;
    const verdict = judge(await authenticateApiKey(o.sql, secret));
    if (began !== generation) return verdict;
    // An expiry must bite on time: a found key is trusted no longer than it lives.
    const ttl = verdict.ok
      ? Math.min(o.keyCacheMs, verdict.key.expiresAt ? verdict.key.expiresAt.getTime() - now() : o.keyCacheMs)
      : verdict.reason === 'unknown'
        ? unknownCacheMs
        : o.keyCacheMs;
    remember(hash, verdict, ttl);
    return verdict;
  }

  const authenticator: KeyAuthenticator = {
    log: o.log,
    async authenticate(secret, mayLookUp = true) {
      const hash = hashKey(secret).toString('base64');
      const hit = cache.get(hash);
      let verdict: KeyVerdict;
      if (hit && hit.until > now()) verdict = hit.verdict;
      else {
        if (hit) cache.delete(hash);
        if (!mayLookUp && !(now() - (recentlyGood.get(hash) ?? Number.NEGATIVE_INFINITY) < RECENTLY_GOOD_MS)) return undefined;
        let pending = lookups.get(hash);
        if (!pending) {
          const lookup: Promise<KeyVerdict> = lookUp(hash, secret).finally(() => {
            if (lookups.get(hash) === lookup) lookups.delete(hash);
          });
          pending = lookup;
          lookups.set(hash, lookup);
        }
        verdict = await pending;
      }
      if (verdict.ok) {
        used(verdict.key.keyId);
        recentlyGood.delete(hash);
        recentlyGood.set(hash, now());
        if (recentlyGood.size > maxEntries) recentlyGood.delete(recentlyGood.keys().next().value!);
      }
      return verdict;
    },
    forget,
    async close() {
      subscription?.close();
      await flushTouches();
    },
  };
  return authenticator;
}
