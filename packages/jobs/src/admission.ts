import type { Queryable } from '@kino/db';
import { type LaneSlots, WORKER_ALIVE_SECONDS } from './heartbeat.ts';
import { JOB_PRIORITY, type JobKind } from './queue.ts';

// Admission control: how long a new upload would wait, from the queue as it is and how long
// recent jobs took, and whether that is too long to take another. The estimate is global:
// every account's jobs share the workers, and claims are not fair across accounts yet.

const KINDS = Object.keys(JOB_PRIORITY) as JobKind[];

/** A kind's typical duration is the mean of its last this many successful attempts. */
export const RECENT_SAMPLES = 20;

export interface KindLoad {
  queued: number;
  /** Of the queued, those a worker may claim now (the others wait out a retry's backoff). */
  due: number;
  running: number;
  /** Mean duration of the kind's last RECENT_SAMPLES successful attempts; null before its first. */
  typicalSeconds: number | null;
}

export interface QueueLoad {
  byKind: Record<JobKind, KindLoad>;
  /** Workers heard from in the last WORKER_ALIVE_SECONDS, and their slots. */
  workers: { alive: number; slots: LaneSlots };
}

/** The queue's depth, recent durations and live workers, read in three short queries. */
export async function readQueueLoad(sql: Queryable): Promise<QueueLoad> {
  const [depth, recent, [live]] = await Promise.all([
    // Queued and running jobs by kind. A retry waiting out its backoff is not due: claims
    // go by priority and then run_at, so it comes after a job queued now.
    sql<{ kind: JobKind; queued: number; due: number; running: number }[]>`
      select kind,
             count(*) filter (where state = 'queued')::int as queued,
             count(*) filter (where state = 'queued' and run_at <= now())::int as due,
             count(*) filter (where state = 'running')::int as running
      from media_jobs
      where state in ('queued', 'running')
      group by kind`,
    // The last successful attempts of each kind, however old: a quiet night must not leave
    // the morning's first burst with nothing to go on. Jobs from before started_at existed
    // have none and are skipped.
    sql<{ kind: JobKind; seconds: number }[]>`
      select k.kind, avg(extract(epoch from j.finished_at - j.started_at))::float8 as seconds
      from unnest(${KINDS}::text[]) as k(kind)
      cross join lateral (
        select started_at, finished_at from media_jobs
        where kind = k.kind and state = 'succeeded' and started_at is not null
        order by finished_at desc
        limit ${RECENT_SAMPLES}
      ) j
      group by k.kind`,
    // Workers heard from lately, and the slots they bring to each lane.
    sql<{ alive: number; process_source: number; encode_ladder: number }[]>`
      select count(*)::int as alive,
             coalesce(sum(concurrency), 0)::int as process_source,
             coalesce(sum(ladder_concurrency), 0)::int as encode_ladder
      from workers
      where seen_at > now() - make_interval(secs => ${WORKER_ALIVE_SECONDS})`,
  ]);
  const byKind = Object.fromEntries(
    KINDS.map((kind) => {
      const d = depth.find((r) => r.kind === kind);
      const typical = recent.find((r) => r.kind === kind)?.seconds ?? null;
      return [kind, { queued: d?.queued ?? 0, due: d?.due ?? 0, running: d?.running ?? 0, typicalSeconds: typical }];
    }),
  ) as Record<JobKind, KindLoad>;
  return {
    byKind,
    workers: { alive: live!.alive, slots: { processSource: live!.process_source, encodeLadder: live!.encode_ladder } },
  };
}

export interface QueueEstimate {
  load: QueueLoad;
  /** The slots the estimate counts on: each lane's live ones, or its configured ones when no live worker serves it. */
  slots: LaneSlots;
  /** True when a lane had no live slots and the configured ones were assumed to be coming back. */
  assumesConfiguredWorkers: boolean;
  /** Seconds a process_source job queued now waits for a slot; null when unknown. */
  waitSeconds: number | null;
  /** Seconds from queuing that job to its asset's hls_ready; null when unknown. */
  hlsReadySeconds: number | null;
}

/**
 * The wait of a job that joins `ahead` others (queued before it, or running) in a lane of
 * `slots`: none while a slot is free; otherwise it starts at the (ahead − slots + 1)th
 * completion, and the lane completes `slots` jobs per `seconds`. Null when it has to wait
 * and no job of the kind has been timed yet.
 */
function waitBehind(ahead: number, slots: number, seconds: number | null): number | null {
  const completions = ahead - slots + 1;
  if (completions <= 0) return 0;
  return seconds === null ? null : (completions * seconds) / slots;
}

/**
 * What a new upload would see. Its first job (process_source) waits behind the first jobs
 * due before it and whatever its lane runs (purges share the lane but queue behind first
 * jobs). Its ladder waits behind the ladders queued or running and the ladder each of those
 * first jobs will queue; no ladder is claimed while a first job waits, so that backlog
 * starts draining about when the new first job is claimed. hls_ready comes one ladder after
 * both the new first job and that backlog are done.
 */
export function estimateFrom(load: QueueLoad, configured: LaneSlots): QueueEstimate {
  // With no live worker in a lane the queue does not move at all; the estimate is what it
  // will be once the configured workers are back, so an idle system is never refused.
  const lane = (live: number, fallback: number) => (live > 0 ? live : Math.max(1, fallback));
  const slots = {
    processSource: lane(load.workers.slots.processSource, configured.processSource),
    encodeLadder: lane(load.workers.slots.encodeLadder, configured.encodeLadder),
  };
  const {
    process_source: first,
    import_source: imports,
    cut_clip: cuts,
    encode_ladder: ladder,
    encode_static: downloads,
    purge_asset: purge,
    run_job: userJobs,
  } = load.byKind;
  // URL imports share the first lane at the same priority, and each becomes a first job and
  // a ladder later: they are counted as first jobs, timed as first jobs (a long fetch is
  // what this estimate knows least).
  // Clips' cuts likewise. Static renditions and the jobs API's jobs share the ladders' lane
  // and queue beside them (timed as ladders: what a job does is the caller's).
  const firstAhead = first.due + first.running + imports.due + imports.running + cuts.due + cuts.running;
  const waitSeconds = waitBehind(firstAhead + purge.running, slots.processSource, first.typicalSeconds);
  const backlog = waitBehind(
    ladder.queued + ladder.running + downloads.queued + downloads.running + userJobs.queued + userJobs.running + firstAhead,
    slots.encodeLadder,
    ladder.typicalSeconds,
  );
  const hlsReadySeconds =
    waitSeconds === null || backlog === null || first.typicalSeconds === null || ladder.typicalSeconds === null
      ? null
      : waitSeconds + Math.max(first.typicalSeconds, backlog) + ladder.typicalSeconds;
  return {
    load,
    slots,
    assumesConfiguredWorkers: load.workers.slots.processSource === 0 || load.workers.slots.encodeLadder === 0,
    waitSeconds,
    hlsReadySeconds,
  };
}

export interface Assessment extends QueueEstimate {
  /** When the queue was read. */
  at: Date;
  maxWaitSeconds: number;
  /** False while the wait for a new job is over maxWaitSeconds. */
  accepting: boolean;
  /** When refusing: seconds until the wait is back under the limit if nothing joins the queue. */
  retryAfterSeconds: number | null;
}

export function assess(estimate: QueueEstimate, maxWaitSeconds: number, at: Date): Assessment {
  // An unknown wait (no first job timed yet) is no reason to refuse.
  const over = estimate.waitSeconds !== null && estimate.waitSeconds > maxWaitSeconds;
  return {
    ...estimate,
    at,
    maxWaitSeconds,
    accepting: !over,
    // The wait shrinks by a second every second while the workers drain the queue.
    retryAfterSeconds: over ? Math.max(1, Math.ceil(estimate.waitSeconds! - maxWaitSeconds)) : null,
  };
}

export interface AdmissionOptions {
  sql: Queryable;
  /** The slots to assume for a lane no live worker serves (the deployment's worker settings). */
  configuredSlots: LaneSlots;
  maxWaitSeconds: number;
  /** How long one reading of the queue answers for; 0 reads it for every call. */
  cacheMs: number;
}

export interface AdmissionControl {
  assess(): Promise<Assessment>;
}

/**
 * Assessments for a process, each reading of the queue kept for `cacheMs` so a burst of
 * uploads (or of status polls) costs one set of queries rather than one per request.
 */
export function createAdmissionControl(o: AdmissionOptions): AdmissionControl {
  let cached: { readAt: number; assessment: Promise<Assessment> } | undefined;
  return {
    assess() {
      const now = Date.now();
      if (cached && now - cached.readAt < o.cacheMs) return cached.assessment;
      const assessment = readQueueLoad(o.sql).then((load) =>
        assess(estimateFrom(load, o.configuredSlots), o.maxWaitSeconds, new Date(now)),
      );
      const entry = { readAt: now, assessment };
      cached = entry;
      // A failed reading is not kept: the next call tries again.
      assessment.catch(() => {
        if (cached === entry) cached = undefined;
      });
      return assessment;
    },
  };
}
