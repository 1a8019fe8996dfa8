import { EVENT_TYPES, type EventType } from '@kino/events';
import { Nullable, Uuid } from '@kino/http';
import { Type, type TSchema } from 'typebox';

// What each event type carries in `data`, for the OpenAPI document: the `Event` schema there
// is a union discriminated by `type`, one component per type, so an SDK can narrow on it.
// The routes keep the open envelope (events.ts): the log is durable, and an old row must
// still be answered as it was written. Every answer's events are checked against these
// schemas in tests (response checks), so they stay what the code writes.

const JobId = Type.Union([
  Type.Integer({ description: 'The media job of an asset.' }),
  Uuid({ description: 'A job of the jobs API (asset_id null).' }),
]);
const UserJobId = Uuid({ description: 'The job (GET /v1/jobs/{id}).' });
const Operation = Type.String({ description: 'The job’s operation: convert, trim, …, command, analyze.' });
const Renditions = Type.Array(Type.String(), { description: 'Rendition names, audio included.' });
const EdgeIds = (description: string) => Type.Array(Type.String(), { description });

const AssetError = {
  code: Type.String({ description: 'Stable UPPER_SNAKE code of the failure.' }),
  message: Type.String(),
};

/** `data` per event type: a record over EventType, so a new type cannot go undocumented. */
export const EVENT_DATA: Record<EventType, TSchema> = {
  'asset.created': Type.Object({ title: Nullable(Type.String()) }),
  'asset.source_uploaded': Type.Object({ bytes: Type.Integer({ description: 'The size of the stored source.' }) }),
  'job.queued': Type.Object({
    job_id: JobId,
    reason: Type.String({
      description:
        'Why: `uploaded`, `import`, `ladder`, `retry` (after a failed attempt), `released` (a worker stopped), `lease_expired`, `deleted` (the purge), `submitted` (a job of the jobs API).',
    }),
    operation: Type.Optional(Operation),
    failed_attempt: Type.Optional(Type.Integer({ description: 'With `retry`: the attempt that failed.' })),
    error: Type.Optional(Type.Object(AssetError, { description: 'With `retry`: why the attempt failed.' })),
  }),
  'job.started': Type.Object({ job_id: JobId, attempt: Type.Integer({ description: 'Attempts so far, this one included.' }) }),
  'job.progress': Type.Object({
    job_id: JobId,
    step: Nullable(Type.String({ description: 'The step reached (see the asset’s progress.step).' })),
    fraction: Type.Number({ minimum: 0, maximum: 1 }),
  }),
  'job.succeeded': Type.Object({
    job_id: UserJobId,
    operation: Operation,
    outputs: Type.Array(Type.String(), { description: 'Output names.' }),
  }),
  'job.failed': Type.Object({ job_id: UserJobId, operation: Operation, ...AssetError }),
  'job.cancelled': Type.Object({ job_id: UserJobId, operation: Operation }),
  'asset.playlists_ready': Type.Object({
    renditions: Renditions,
    segments: Type.Integer({ description: 'Segments per rendition.' }),
    duration_sec: Type.Number(),
  }),
  'asset.opener_ready': Type.Object({ path: Type.String(), bytes: Type.Integer() }),
  'asset.thumbnail_ready': Type.Object({ path: Type.String(), bytes: Type.Integer() }),
  'asset.storyboard_ready': Type.Object({
    paths: Type.Array(Type.String(), { description: 'The WebVTT file, then the sprite sheet.' }),
    tiles: Type.Integer(),
    interval_seconds: Type.Integer({ description: 'Seconds of video each tile stands for.' }),
    tile_width: Type.Integer(),
    tile_height: Type.Integer(),
  }),
  'asset.rendition_ready': Type.Object({
    rendition: Type.String(),
    width: Nullable(Type.Integer()),
    height: Nullable(Type.Integer()),
    bitrate: Nullable(Type.Integer({ description: 'The peak, as the master playlist’s BANDWIDTH.' })),
    codecs: Type.String(),
  }),
  'asset.hls_ready': Type.Object({ renditions: Renditions }),
  'asset.edges_warmed': Type.Object({
    paths: Type.Array(Type.String()),
    ok: EdgeIds('The edges that cached them.'),
    failed: EdgeIds('The edges that did not.'),
  }),
  'asset.errored': Type.Object({ ...AssetError, job_id: Type.Optional(JobId) }),
  'asset.deleted': Type.Object({}),
  'asset.purged': Type.Object({
    objects: Type.Integer({ description: 'Origin objects removed.' }),
    edges: Type.Object({ ok: EdgeIds('The edges that dropped it.'), failed: EdgeIds('The edges that could not be told.') }),
  }),
  'webhook.disabled': Type.Object({
    webhook_id: Uuid(),
    failing_since: Type.String({ format: 'date-time' }),
    failures: Type.Integer({ description: 'Attempts failed in a row.' }),
  }),
};

/** `asset.rendition_ready` → `AssetRenditionReadyEvent`: the component name of a type's event. */
export const eventComponentName = (type: string) =>
  `${type
    .split(/[._]/)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')}Event`;

/** Events of the account, never of an asset. */
const ACCOUNT_EVENTS = new Set<EventType>(['webhook.disabled', 'job.succeeded', 'job.failed', 'job.cancelled']);
/** Events of a queue row: an asset's media job, or a job of the jobs API. */
const JOB_EVENTS = new Set<EventType>(['job.queued', 'job.started', 'job.progress']);

/** One event type's event: the envelope with its `type` and `data`. */
function eventOfType(type: EventType): TSchema {
  return Type.Object(
    {
      id: Type.Integer({ description: 'The sequence number: increasing, in commit order, per deployment.' }),
      type: Type.Literal(type),
      asset_id: ACCOUNT_EVENTS.has(type)
        ? Type.Null({ description: 'An event of the account, not of an asset.' })
        : JOB_EVENTS.has(type)
          ? Nullable(Uuid({ description: 'The asset the job works on; null for a job of the jobs API.' }))
          : Uuid({ description: 'The asset the event is about.' }),
      created_at: Type.String({ format: 'date-time' }),
      data: EVENT_DATA[type],
    },
    { description: EVENT_TYPES[type] },
  );
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * The components the document adds for events: one per type, `Event` as their union
 * (discriminated by `type`), and `WebhookEvent`, the body of a webhook delivery.
 */
export function eventComponents(): Record<string, unknown> {
  const types = Object.keys(EVENT_TYPES) as EventType[];
  const perType = Object.fromEntries(types.map((t) => [eventComponentName(t), eventOfType(t)]));
  return {
    ...perType,
    Event: {
      description: 'An event of the log: SSE `data:`, a page of GET /v1/assets/{id}/events, the `data` of a webhook delivery.',
      oneOf: types.map((t) => ref(eventComponentName(t))),
      discriminator: {
        propertyName: 'type',
        mapping: Object.fromEntries(types.map((t) => [t, `#/components/schemas/${eventComponentName(t)}`])),
      },
    },
    WebhookEvent: {
      type: 'object',
      description: 'The body of a webhook delivery (Standard Webhooks): the event, with its type and time repeated outside it.',
      properties: {
        type: { type: 'string', enum: types },
        timestamp: { type: 'string', format: 'date-time', description: 'The event’s created_at.' },
        data: ref('Event'),
      },
      required: ['type', 'timestamp', 'data'],
    },
  };
}

/** The document's `webhooks`: one per event type, each the POST a subscribed endpoint receives. */
export function webhookOperations(): Record<string, unknown> {
  return Object.fromEntries(
    (Object.keys(EVENT_TYPES) as EventType[]).map((t) => [
      t,
      {
        post: {
          operationId: `${eventComponentName(t)
            .replace(/^./, (c) => c.toLowerCase())
            .replace(/Event$/, '')}Webhook`,
          summary: EVENT_TYPES[t],
          description:
            'Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.',
          tags: ['webhooks'],
          security: [],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  allOf: [ref('WebhookEvent')],
                  properties: { type: { const: t }, data: ref(eventComponentName(t)) },
                },
              },
            },
          },
          responses: { '2XX': { description: 'Received.' } },
        },
      },
    ]),
  );
}
