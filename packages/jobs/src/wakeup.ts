import type { Redis, RedisBus } from '@kino/events';

// Redis only says "look again"; the job rows in Postgres are the truth. A lost message
// delays a job until the next poll, it never loses one.
export const JOBS_CHANNEL = 'kino:media_jobs';

// An asset's jobs, or a user job (jobs API), were cancelled: workers running one abort it
// now rather than at their next lease renewal. The message is the asset's or the job's id.
export const CANCEL_CHANNEL = 'kino:media_jobs:cancel';

export async function announceJobs(redis: Redis): Promise<void> {
  await redis.publish(JOBS_CHANNEL, '1');
}

export async function announceCancel(redis: Redis, assetOrJobId: string): Promise<void> {
  await redis.publish(CANCEL_CHANNEL, assetOrJobId);
}

/**
 * Calls `onWake` whenever someone announces jobs and `onCancel` with an asset id whose
 * jobs were cancelled; returns a function that stops listening. A subscriber that is down
 * does not take the worker down: polling covers the gap.
 */
export function listenForJobs(bus: RedisBus, onWake: () => void, onCancel: (assetOrJobId: string) => void): () => void {
  const subscriptions = [bus.subscribe(JOBS_CHANNEL, () => onWake()), bus.subscribe(CANCEL_CHANNEL, onCancel)];
  return () => {
    for (const s of subscriptions) s.close();
  };
}
