import type { FastifyInstance } from 'fastify';
import { Nullable, typed } from '@kino/http';
import { RECENT_SAMPLES, WORKER_ALIVE_SECONDS, type JobKind, type KindLoad } from '@kino/jobs';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { estimateView } from '../admission.ts';
import { keyedErrors } from '../schemas.ts';

const Count = Type.Integer({ minimum: 0 });

const KindSchema = Type.Object({
  queued: Count,
  running: Count,
  typical_seconds: Nullable(Type.Number(), {
    description: `Mean duration of its last ${RECENT_SAMPLES} successful attempts; null before the first.`,
  }),
});

const Slots = (description: string) =>
  Type.Object(
    {
      process_source: Type.Integer({ description: "First jobs (URL imports, clips' cuts; probe, playlists, opener), and purges." }),
      encode_ladder: Type.Integer({ description: 'Ladders and static renditions.' }),
    },
    { description },
  );

const StatusSchema = Type.Object({
  as_of: Type.String({
    format: 'date-time',
    description: 'When the queue was read: an api process answers from one reading for ADMISSION_CACHE_MS (1 s by default).',
  }),
  queue: Type.Object({
    queued: Count,
    running: Count,
    by_kind: Type.Object({
      import_source: KindSchema,
      cut_clip: KindSchema,
      process_source: KindSchema,
      encode_ladder: KindSchema,
      encode_static: KindSchema,
      purge_asset: KindSchema,
      run_job: KindSchema,
    }),
  }),
  workers: Type.Object({
    alive: Type.Integer({ description: `Workers heard from in the last ${WORKER_ALIVE_SECONDS} s.` }),
    slots: Slots('Jobs the live workers run at once, per lane.'),
  }),
  estimate: Type.Object(
    {
      wait_seconds: Nullable(Type.Integer(), {
        description: "How long a new upload's first job would wait for a worker; null when unknown (no job has succeeded yet).",
      }),
      hls_ready_seconds: Nullable(Type.Integer(), { description: "From that job's queuing to the asset's hls_ready; null when unknown." }),
      estimated_ready_at: Nullable(Type.String({ format: 'date-time' }), {
        description: 'When an upload queued now should reach hls_ready; null when unknown.',
      }),
      slots: Slots('The slots the estimate counts on: the live ones, or the configured ones for a lane no live worker serves.'),
      assumes_configured_workers: Type.Boolean({
        description: 'True when no live worker serves a lane: the queue is not moving, and the estimate is for when workers are back.',
      }),
    },
    { description: 'What a new upload would see, from the queue and recent job durations.' },
  ),
  admission: Type.Object({
    accepting: Type.Boolean({ description: 'False while new uploads are refused with 503 OVERLOADED.' }),
    max_wait_seconds: Type.Integer({ description: 'ADMISSION_MAX_WAIT_SECONDS: uploads are refused while wait_seconds is over it.' }),
    retry_after_seconds: Nullable(Type.Integer(), { description: 'While refusing: the Retry-After a refused upload gets.' }),
  }),
});

const kindView = (k: KindLoad) => ({
  queued: k.queued,
  running: k.running,
  typical_seconds: k.typicalSeconds === null ? null : Math.round(k.typicalSeconds * 10) / 10,
});

/**
 * GET /v1/status: the processing queue and the admission estimate, so clients can back off
 * without guessing. Global, not per account: every account's jobs share the workers. It
 * holds counts only, never an asset or job of anyone.
 */
export async function statusRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  typed(scope).get(
    '/v1/status',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getStatus',
        summary: 'Processing queue, workers and the admission estimate',
        description:
          'Counts are for the whole deployment, not one account. Uploads are refused with 503 OVERLOADED while ' +
          '`estimate.wait_seconds` is over `admission.max_wait_seconds`.',
        tags: ['status'],
        response: { 200: StatusSchema, ...keyedErrors() },
      },
    },
    async () => {
      const a = await deps.admission.assess();
      const kinds = a.load.byKind;
      const total = (field: 'queued' | 'running') => (Object.keys(kinds) as JobKind[]).reduce((n, k) => n + kinds[k][field], 0);
      return {
        as_of: a.at.toISOString(),
        queue: {
          queued: total('queued'),
          running: total('running'),
          by_kind: {
            import_source: kindView(kinds.import_source),
            cut_clip: kindView(kinds.cut_clip),
            process_source: kindView(kinds.process_source),
            encode_ladder: kindView(kinds.encode_ladder),
            encode_static: kindView(kinds.encode_static),
            purge_asset: kindView(kinds.purge_asset),
            run_job: kindView(kinds.run_job),
          },
        },
        workers: {
          alive: a.load.workers.alive,
          slots: { process_source: a.load.workers.slots.processSource, encode_ladder: a.load.workers.slots.encodeLadder },
        },
        estimate: estimateView(a),
        admission: { accepting: a.accepting, max_wait_seconds: a.maxWaitSeconds, retry_after_seconds: a.retryAfterSeconds },
      };
    },
  );
}
