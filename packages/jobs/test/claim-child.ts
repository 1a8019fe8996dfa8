// A worker process for the two-process claim test: claims jobs with the real runner and
// records each claim, so the test can count how often every job was handed out.
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb } from '@kino/db';
import { createJobRunner } from '../src/index.ts';

const sql = createDb(process.env['DATABASE_URL']!, { max: 4 });
const workerId = process.env['WORKER_ID']!;
const quiet = { info() {}, warn() {}, error: (o: object, m?: string) => console.error(m, o) };
const runner = createJobRunner({
  sql,
  workerId,
  concurrency: 2,
  leaseSeconds: 30,
  pollIntervalMs: 50,
  shutdownGraceMs: 5000,
  log: quiet,
  handler: async (job) => {
    await sql`insert into test_claims (job_id, worker_id) values (${job.id}, ${workerId})`;
    await sleep(5);
  },
});
process.on('SIGTERM', async () => {
  await runner.stop();
  await sql.end();
  process.exit(0);
});
// Loaded and connected: say so, and start claiming only when the parent says go, so both
// workers start together however long each took to load.
await sql`select 1`;
process.once('message', (m) => {
  if (m === 'go') void runner.start();
});
process.send?.('ready');
