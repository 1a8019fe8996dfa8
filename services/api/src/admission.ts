import type { Assessment } from '@kino/jobs';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';

// Admission control at the api's doors. The estimate and its formula are in packages/jobs
// (admission.ts); here it becomes a refusal, a header and the fields answers carry.

/** Whole seconds, rounded up: an estimate of a wait errs on the long side. */
const seconds = (s: number | null) => (s === null ? null : Math.ceil(s));

const readyAt = (hlsReadySeconds: number | null, queuedAt: Date) =>
  hlsReadySeconds === null ? null : new Date(queuedAt.getTime() + hlsReadySeconds * 1000);

/** The estimate as GET /v1/status shows it, and a refusal's details repeat it. */
export function estimateView(a: Assessment, now = new Date()) {
  return {
    wait_seconds: seconds(a.waitSeconds),
    hls_ready_seconds: seconds(a.hlsReadySeconds),
    estimated_ready_at: readyAt(a.hlsReadySeconds, now)?.toISOString() ?? null,
    slots: { process_source: a.slots.processSource, encode_ladder: a.slots.encodeLadder },
    assumes_configured_workers: a.assumesConfiguredWorkers,
  };
}

export interface Admitted {
  /**
   * When the upload should reach hls_ready if its first job is queued at `queuedAt` (by
   * default now: ask once the job is queued); null when unknown.
   */
  estimatedReadyAt(queuedAt?: Date): Date | null;
}

/**
 * Every ingest door calls this before it reads a byte of a new upload's body, and a door
 * whose bytes come later before it creates the asset. While the estimated wait for a new
 * upload's first job is over ADMISSION_MAX_WAIT_SECONDS it sets Retry-After on `reply` (a
 * fastify reply; the error's details repeat it as retry_after_seconds) and throws 503
 * OVERLOADED, so nothing is read, stored or queued.
 */
export async function refuseWhenOverloaded(
  deps: Pick<ApiDeps, 'admission'>,
  reply: { header(name: string, value: string): unknown },
): Promise<Admitted> {
  const a = await deps.admission.assess();
  if (!a.accepting) {
    reply.header('retry-after', String(a.retryAfterSeconds));
    throw new ApiError(
      503,
      'OVERLOADED',
      `Too much work is queued: a new upload would wait about ${seconds(a.waitSeconds)} s before processing starts, ` +
        `over the limit of ${a.maxWaitSeconds} s. Retry in ${a.retryAfterSeconds} s.`,
      {
        ...estimateView(a),
        max_wait_seconds: a.maxWaitSeconds,
        retry_after_seconds: a.retryAfterSeconds,
        workers_alive: a.load.workers.alive,
      },
    );
  }
  return { estimatedReadyAt: (queuedAt = new Date()) => readyAt(a.hlsReadySeconds, queuedAt) };
}

/**
 * The estimate without the refusal, for a door that admits work already paid for (a direct
 * upload's completion): asked before its job is queued, as for any door.
 */
export async function assessWithoutRefusing(deps: Pick<ApiDeps, 'admission'>): Promise<Admitted> {
  const a = await deps.admission.assess();
  return { estimatedReadyAt: (queuedAt = new Date()) => readyAt(a.hlsReadySeconds, queuedAt) };
}
