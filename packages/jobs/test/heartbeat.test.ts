import { beforeAll, beforeEach, expect, it } from 'vitest';
import type { Sql } from '@kino/db';
import { readQueueLoad, startHeartbeat } from '../src/index.ts';
import { useQueueDb } from './queue-db.ts';

const q = useQueueDb();
let sql: Sql;
beforeAll(() => {
  sql = q.sql;
});
beforeEach(async () => {
  await sql`delete from workers`;
});

const quiet = { info() {}, warn() {}, error() {} };

it('registers a worker with its slots at once, and removes it on stop', async () => {
  const heartbeat = await startHeartbeat(sql, 'host:1:abc', { processSource: 3, encodeLadder: 2 }, quiet);
  expect(await sql`select id, concurrency, ladder_concurrency from workers`).toEqual([
    { id: 'host:1:abc', concurrency: 3, ladder_concurrency: 2 },
  ]);
  expect((await readQueueLoad(sql)).workers).toEqual({ alive: 1, slots: { processSource: 3, encodeLadder: 2 } });
  await heartbeat.stop();
  expect(await sql`select id from workers`).toEqual([]);
  expect((await readQueueLoad(sql)).workers.alive).toBe(0);
});

it('forgets, as a worker starts, the workers silent for over an hour; a lately silent one stays until then', async () => {
  await sql`
    insert into workers (id, concurrency, ladder_concurrency, seen_at)
    values ('killed-long-ago', 2, 1, now() - interval '2 hours'), ('killed-lately', 2, 1, now() - interval '5 minutes')`;
  const heartbeat = await startHeartbeat(sql, 'new', { processSource: 2, encodeLadder: 1 }, quiet);
  expect((await sql`select id from workers order by id`).map((r) => r.id)).toEqual(['killed-lately', 'new']);
  await heartbeat.stop();
});
