import type { Redis } from 'ioredis';
import type { AnalyticsStore } from '@kino/analytics';
import type { Config } from '@kino/config';
import type { Sql } from '@kino/db';
import type { EventFeed, RedisBus } from '@kino/events';
import type { AdmissionControl } from '@kino/jobs';
import type { Storage } from '@kino/storage';
import type { SharedLimiter } from '@kino/limits';
import type { KeyAuthenticator, KeyWatch } from '@kino/tenancy';
import type { PlaybackSigner } from '@kino/tokens';
import type { KeyGuard } from './auth.ts';

/** What the routes need, built once by createApi and passed to each route plugin. */
export interface ApiDeps {
  config: Config;
  sql: Sql;
  redis: Redis;
  /** The process's Redis connections, for subscriptions (just-in-time segment waits). */
  bus: RedisBus;
  storage: Storage;
  signer: PlaybackSigner;
  /** ClickHouse, connected in the background; analytics routes answer 503 until it is. */
  analytics: AnalyticsStore;
  announceJobs: () => void;
  /** The queue's estimate, read at most once per ADMISSION_CACHE_MS: uploads are refused on it, /v1/status shows it. */
  admission: AdmissionControl;
  /** Wakes event readers in every process after a commit that wrote events. */
  announceEvents: (accountId: string) => void;
  /** This process's subscription to those wake-ups. */
  eventFeed: EventFeed;
  /** API keys, looked up with a short cache that every key change clears in every process. */
  keys: KeyAuthenticator;
  /** The check every authenticated route runs: key, account, scope, rate (auth.ts). */
  keyGuard: KeyGuard;
  /** Bytes an account may still store (its stored_bytes quota less its usage): the doors that learn a size late check it. */
  storageLeft: (accountId: string) => Promise<number>;
  /** Ends event streams whose key stops being active, when a key change is announced. */
  keyWatch: KeyWatch;
  /** Token buckets per key and route class, in Redis (undefined with RATE_LIMITS=false). */
  limiter: SharedLimiter | undefined;
}
