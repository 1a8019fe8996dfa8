import { Redis } from 'ioredis';

export type { Redis };

/**
 * A process's Redis: one connection for commands (publish, ping) and one subscriber, made
 * once by whoever runs the process and handed to every package that announces or listens.
 * Redis only ever says "look again" (events, jobs, cancellations); Postgres is the truth,
 * so a lost message delays a reader until its next poll and loses nothing.
 */
export interface RedisBus {
  readonly redis: Redis;
  /** Calls `fn` with every message on `channel` until the subscription is closed. */
  subscribe(channel: string, fn: (message: string) => void): Subscription;
  close(): void;
}

export interface Subscription {
  /**
   * True once Redis confirmed the channel, false if it refused; pending while Redis is away
   * (the SUBSCRIBE is queued, and renewed on every reconnect).
   */
  ready: Promise<boolean>;
  close(): void;
}

export function createRedisBus(url: string): RedisBus {
  // A publish gives up after two reconnect attempts (its caller logs a lost wake-up); the
  // subscriber waits for Redis as long as it takes.
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  // No CLIENT SETINFO at connect: a SUBSCRIBE sent while the connection was still starting
  // made that check fail in subscriber mode, and the connection came back without the
  // channel while `ready` said true (redis/ioredis#2037).
  const sub = new Redis(url, { maxRetriesPerRequest: null, disableClientInfo: true });
  // Redis being away must not take the process down; readiness checks and failed
  // publishes report it, and both clients reconnect by themselves.
  redis.on('error', () => {});
  sub.on('error', () => {});
  // Several packages may listen on one channel (the event feed and the webhook
  // dispatcher): Redis subscribes once per channel, and the bus fans messages out.
  const channels = new Map<string, { fns: Set<(message: string) => void>; ready: Promise<boolean> }>();
  sub.on('message', (channel: string, message: string) => {
    for (const fn of channels.get(channel)?.fns ?? []) fn(message);
  });
  return {
    redis,
    subscribe(channel, fn) {
      let c = channels.get(channel);
      if (!c)
        channels.set(
          channel,
          (c = {
            fns: new Set(),
            ready: sub.subscribe(channel).then(
              () => true,
              () => false,
            ),
          }),
        );
      const { fns, ready } = c;
      fns.add(fn);
      return {
        ready,
        close() {
          if (!fns.delete(fn) || fns.size > 0) return;
          channels.delete(channel);
          sub.unsubscribe(channel).catch(() => {});
        },
      };
    },
    close() {
      redis.disconnect();
      sub.disconnect();
    },
  };
}
