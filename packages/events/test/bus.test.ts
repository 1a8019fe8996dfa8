import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { createRedisBus } from '../src/bus.ts';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
// Two processes' worth: messages cross real Redis, not a local shortcut.
const here = createRedisBus(url);
const there = createRedisBus(url);
afterAll(() => {
  here.close();
  there.close();
});

/** Resolves with the next `n` messages `subscribe` delivers. */
function collect(n: number, subscribe: (fn: (m: string) => void) => void): Promise<string[]> {
  const got: string[] = [];
  return new Promise((resolve) => subscribe((m) => got.push(m) === n && resolve(got)));
}

const subscribers = async (channel: string) => ((await here.redis.pubsub('NUMSUB', channel)) as [string, number])[1];

it('fans one Redis subscription out to every listener of a channel in the process', async () => {
  const channel = `kino:test:${randomUUID()}`;
  let a!: ReturnType<typeof here.subscribe>;
  let b!: ReturnType<typeof here.subscribe>;
  const gotA = collect(2, (fn) => (a = here.subscribe(channel, fn)));
  const gotB = collect(1, (fn) => (b = here.subscribe(channel, fn)));
  expect(await a.ready).toBe(true);
  expect(await b.ready).toBe(true);
  expect(await subscribers(channel)).toBe(1);

  await there.redis.publish(channel, 'one');
  expect(await gotB).toEqual(['one']);
  b.close();
  await there.redis.publish(channel, 'two');
  expect(await gotA).toEqual(['one', 'two']);
  // The channel stays subscribed while a listener is left, and goes with the last one.
  expect(await subscribers(channel)).toBe(1);
  a.close();
  a.close(); // closing twice is harmless
  await expect.poll(() => subscribers(channel)).toBe(0);
});

it('subscribes again after the last listener left', async () => {
  const channel = `kino:test:${randomUUID()}`;
  here.subscribe(channel, () => {}).close();
  let s!: ReturnType<typeof here.subscribe>;
  const got = collect(1, (fn) => (s = here.subscribe(channel, fn)));
  await s.ready;
  await there.redis.publish(channel, 'back');
  expect(await got).toEqual(['back']);
  s.close();
});
