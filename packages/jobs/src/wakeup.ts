import { Redis } from 'ioredis';

// Redis only says "look again"; the job rows in Postgres are the truth. A lost message
// delays a job until the next poll, it never loses one.
export const JOBS_CHANNEL = 'kino:media_jobs';

export async function announceJobs(redis: Redis): Promise<void> {
  await redis.publish(JOBS_CHANNEL, '1');
}

/** Calls `onWake` whenever someone announces jobs; returns a function that stops listening. */
export async function listenForJobs(redisUrl: string, onWake: () => void): Promise<() => Promise<void>> {
  const sub = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // A subscriber that is down must not take the worker down: polling covers the gap, and
  // ioredis queues the SUBSCRIBE until it connects and re-subscribes after reconnecting.
  sub.on('error', () => {});
  sub.on('message', onWake);
  void sub.subscribe(JOBS_CHANNEL).catch(() => {});
  return async () => {
    sub.disconnect();
  };
}
