import type { Redis, RedisBus } from './bus.ts';

// Redis only says "account X has new events"; readers then read Postgres from their last
// sequence. A lost message delays delivery until the readers' next poll; it never loses
// or reorders an event.
export const EVENTS_CHANNEL = 'kino:events';

/** Wakes the event readers of every process; a failed publish is a lost wake-up, no more. */
export function announceEvents(redis: Redis, accountId: string): void {
  redis.publish(EVENTS_CHANNEL, accountId).catch(() => {});
}

export interface EventFeed {
  /** Calls `fn` whenever `accountId` has new events; returns the unsubscribe. */
  subscribe(accountId: string, fn: () => void): () => void;
  close(): void;
}

/** One subscription per process, fanned out to every local listener of an account. */
export function createEventFeed(bus: RedisBus): EventFeed {
  const listeners = new Map<string, Set<() => void>>();
  const subscription = bus.subscribe(EVENTS_CHANNEL, (accountId) => {
    for (const fn of listeners.get(accountId) ?? []) fn();
  });
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
      subscription.close();
    },
  };
}
