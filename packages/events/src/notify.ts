import { Redis } from 'ioredis';

// Redis only says "account X has new events"; readers then read Postgres from their last
// sequence. A lost message delays delivery until the readers' next poll; it never loses
// or reorders an event.
export const EVENTS_CHANNEL = 'kino:events';

export interface EventAnnouncer {
  announce(accountId: string): void;
  close(): void;
}

export function createEventAnnouncer(redisUrl: string): EventAnnouncer {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  return {
    announce(accountId) {
      redis.publish(EVENTS_CHANNEL, accountId).catch(() => {});
    },
    close() {
      redis.disconnect();
    },
  };
}

export interface EventFeed {
  /** Calls `fn` whenever `accountId` has new events; returns the unsubscribe. */
  subscribe(accountId: string, fn: () => void): () => void;
  close(): void;
}

/** One Redis subscription per process, fanned out to every local listener of an account. */
export function createEventFeed(redisUrl: string): EventFeed {
  const listeners = new Map<string, Set<() => void>>();
  const sub = new Redis(redisUrl, { maxRetriesPerRequest: null });
  sub.on('error', () => {});
  sub.on('message', (_channel: string, accountId: string) => {
    for (const fn of listeners.get(accountId) ?? []) fn();
  });
  void sub.subscribe(EVENTS_CHANNEL).catch(() => {});
  return {
    subscribe(accountId, fn) {
      let set = listeners.get(accountId);
      if (!set) listeners.set(accountId, (set = new Set()));
      set.add(fn);
      return () => {
        set!.delete(fn);
        if (set!.size === 0) listeners.delete(accountId);
      };
    },
    close() {
      sub.disconnect();
    },
  };
}
