import { beforeAll, expect, it } from 'vitest';
import type { Sql } from '@kino/db';
import { measuredSpeeds, recordEncodeSpeed, SAMPLES_KEPT } from '../src/index.ts';
import { useQueueDb } from './queue-db.ts';

const q = useQueueDb();
let sql: Sql;
beforeAll(() => {
  sql = q.sql;
});

it('keeps the last SAMPLES_KEPT samples per worker, codec and height, and averages them as total media over total wall', async () => {
  for (let i = 0; i < SAMPLES_KEPT + 5; i++) {
    // The first five are slow (1×); the kept ones are all 4×.
    await recordEncodeSpeed(sql, { workerId: 'w1', codec: 'h264', height: 720, mediaSeconds: i < 5 ? 10 : 40, wallSeconds: 10 });
  }
  await recordEncodeSpeed(sql, { workerId: 'w2', codec: 'h264', height: 720, mediaSeconds: 20, wallSeconds: 10 });
  await recordEncodeSpeed(sql, { workerId: 'w1', codec: 'aac', height: 0, mediaSeconds: 100, wallSeconds: 1 });
  // Nonsense is not recorded.
  await recordEncodeSpeed(sql, { workerId: 'w1', codec: 'av1', height: 360, mediaSeconds: 0, wallSeconds: 1 });
  const [{ n } = { n: 0 }] = await sql<
    { n: number }[]
  >`select count(*)::int as n from encode_speed_samples where worker_id = 'w1' and codec = 'h264'`;
  expect(n).toBe(SAMPLES_KEPT);
  expect(await measuredSpeeds(sql)).toEqual([
    { codec: 'aac', height: 0, speed: 100, samples: 1, workers: 1 },
    { codec: 'h264', height: 720, speed: (SAMPLES_KEPT * 40 + 20) / ((SAMPLES_KEPT + 1) * 10), samples: SAMPLES_KEPT + 1, workers: 2 },
  ]);
});
