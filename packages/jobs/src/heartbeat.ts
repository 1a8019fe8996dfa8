import type { Sql } from '@kino/db';
import type { Logger } from './runner.ts';

// The worker registry: who is alive, and how many jobs each would take at once. Leases
// cannot say it (an idle worker holds none), and slots are each worker's own configuration.

/** How often a worker says it is alive. */
const HEARTBEAT_INTERVAL_MS = 5_000;

/** How long after its last word a worker still counts as alive: three beats, so one slow beat is not a death. */
export const WORKER_ALIVE_SECONDS = 15;

/** A worker's rows stay this long after it went silent (killed), then the next worker to start removes them. */
const FORGET_DEAD_AFTER = '1 hour';

/** Slots of a worker's two lanes (services/worker): first jobs, which purges share, and ladders. */
export interface LaneSlots {
  /** import_source, process_source and purge_asset (WORKER_CONCURRENCY). */
  processSource: number;
  /** encode_ladder (WORKER_LADDER_CONCURRENCY). */
  encodeLadder: number;
}

export interface Heartbeat {
  /** Stops beating and removes the worker's row: from now on it counts as gone. */
  stop(): Promise<void>;
}

/**
 * Registers the worker and refreshes its row every HEARTBEAT_INTERVAL_MS until stop(). A
 * beat that fails is logged and skipped: a worker cut off from Postgres can claim nothing
 * either, so counting it gone once its row goes stale is the truth.
 */
export async function startHeartbeat(sql: Sql, workerId: string, slots: LaneSlots, log: Logger): Promise<Heartbeat> {
  await sql`delete from workers where seen_at < now() - ${FORGET_DEAD_AFTER}::interval`;
  const beat = () => sql`
    insert into workers (id, concurrency, ladder_concurrency)
    values (${workerId}, ${slots.processSource}, ${slots.encodeLadder})
    on conflict (id) do update set seen_at = now()`;
  await beat();
  // One beat at a time: a Postgres that answers slowly must not pile them up.
  let beating: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    beating ??= beat()
      .catch((err) => log.warn({ err }, 'heartbeat failed; the worker counts as gone if none succeeds for a while'))
      .finally(() => {
        beating = undefined;
      });
  }, HEARTBEAT_INTERVAL_MS);
  return {
    async stop() {
      clearInterval(timer);
      // A beat in flight would otherwise bring the row back after it was removed.
      await beating;
      await sql`delete from workers where id = ${workerId}`.catch((err) =>
        log.warn({ err }, 'could not remove the worker from the registry; it counts as gone once its row is stale'),
      );
    },
  };
}
