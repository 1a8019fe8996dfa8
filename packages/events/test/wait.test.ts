import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { createRedisBus } from '../src/bus.ts';
import { announceEvents, createEventFeed, EVENTS_CHANNEL } from '../src/notify.ts';
import { waitWoken } from '../src/wait.ts';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
// The waiter's process and the announcer's: the notification crosses real Redis.
const here = createRedisBus(url);
const there = createRedisBus(url);
const feed = createEventFeed(here);
afterAll(() => {
  feed.close();
  here.close();
  there.close();
});

/** A wait on a flag, counting its reads. */
function flagWait(o: { recheckMs: number; timeoutMs: number; accountId?: string; signal?: AbortSignal }) {
  const state = { reads: 0, set: false };
  const done = waitWoken({
    read: async () => {
      state.reads++;
      return state.set;
    },
    done: (set) => set,
    subscribe: (wake) => (o.accountId ? feed.subscribe(o.accountId, wake) : () => {}),
    timeoutMs: o.timeoutMs,
    recheckMs: o.recheckMs,
    signal: o.signal ?? new AbortController().signal,
  });
  return { state, done };
}

it("reads again when the account's events are announced, with no recheck due before its timeout", async () => {
  const listening = here.subscribe(EVENTS_CHANNEL, () => {});
  expect(await listening.ready).toBe(true);
  listening.close();
  const accountId = randomUUID();
  // The recheck is past the timeout: only the announcement can end this wait with the flag set.
  const w = flagWait({ accountId, recheckMs: 120_000, timeoutMs: 60_000 });
  await expect.poll(() => w.state.reads).toBe(1);
  w.state.set = true;
  announceEvents(there.redis, accountId);
  expect(await w.done).toBe(true);
  expect(w.state.reads).toBe(2);
});

it('rechecks when no notification comes, and ends at the abort or the timeout with what it read last', async () => {
  const lost = flagWait({ recheckMs: 20, timeoutMs: 60_000 });
  await expect.poll(() => lost.state.reads).toBe(1);
  lost.state.set = true;
  expect(await lost.done).toBe(true);

  const aborted = new AbortController();
  const gone = flagWait({ recheckMs: 120_000, timeoutMs: 60_000, signal: aborted.signal });
  await expect.poll(() => gone.state.reads).toBe(1);
  aborted.abort();
  expect(await gone.done).toBe(false);

  const timedOut = flagWait({ recheckMs: 120_000, timeoutMs: 50 });
  expect(await timedOut.done).toBe(false);
  // The first read, and the last at the timeout.
  expect(timedOut.state.reads).toBe(2);
});
