import { Redis } from 'ioredis';

// Redis only says "look again"; the job rows in Postgres are the truth. A lost message
// delays a job until the next poll, it never loses one.
export const JOBS_CHANNEL = 'kino:media_jobs';

// An asset's jobs were cancelled: workers running one abort it now rather than at their
// next lease renewal.
export const CANCEL_CHANNEL = 'kino:media_jobs:cancel';

export async function announceJobs(redis: Redis): Promise<void> {
  await redis.publish(JOBS_CHANNEL, '1');
}

export async function announceCancel(redis: Redis, assetId: string): Promise<void> {
  await redis.publish(CANCEL_CHANNEL, assetId);
}

/**
 * Calls `onWake` whenever someone announces jobs and `onCancel` with an asset id whose
 * jobs were cancelled; returns a function that stops listening.
 */
export async function listenForJobs(redisUrl: string, onWake: () => void, onCancel: (assetId: string) => void): Promise<() => Promise<void>> {
  const sub = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // A subscriber that is down must not take the worker down: polling covers the gap, and
  // ioredis queues the SUBSCRIBE until it connects and re-subscribes after reconnecting.
  sub.on('error', () => {});
  sub.on('message', (channel: string, message: string) => (channel === CANCEL_CHANNEL ? onCancel(message) : onWake()));
  void sub.subscribe(JOBS_CHANNEL, CANCEL_CHANNEL).catch(() => {});
  return async () => {
    sub.disconnect();
  };
}
