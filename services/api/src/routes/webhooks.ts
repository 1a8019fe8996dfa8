import type { FastifyInstance } from 'fastify';
import { EVENT_TYPES, type EventType } from '@kino/events';
import {
  createWebhookWithinCap,
  deleteWebhook,
  deliverySeq,
  enableWebhook,
  getDelivery,
  getWebhook,
  listDeliveries,
  listWebhooks,
  countWebhooks,
  redeliver,
  rotateSecret,
  type Delivery,
  type Webhook,
} from '@kino/webhooks';
import { IdParams, NoBody, Nullable, Page, PageQuery, pageOf, pageStart, StringEnum, typed, Uuid } from '@kino/http';
import { Type } from 'typebox';
import { quotaExceeded } from '@kino/tenancy';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { BODY, keyedErrors } from '../schemas.ts';

const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];
const EventTypeName = StringEnum(EVENT_TYPE_NAMES);

const webhookProperties = {
  id: Uuid(),
  url: Type.String(),
  event_types: Nullable(Type.Array(EventTypeName), { description: 'The event types sent to this endpoint; null for all of them.' }),
  description: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  enabled: Type.Boolean({ description: 'False once disabled for failing too long; `POST /v1/webhooks/{id}/enable` enables it.' }),
  disabled_at: Nullable(Type.String({ format: 'date-time' })),
  consecutive_failures: Type.Integer({ description: 'Attempts failed in a row (the circuit breaker); 0 after a success.' }),
  failing_since: Nullable(Type.String({ format: 'date-time' }), { description: 'When the current run of failures began.' }),
  paused_until: Nullable(Type.String({ format: 'date-time' }), {
    description: 'The breaker is open: nothing is sent to the endpoint until then.',
  }),
  previous_secret_expires_at: Nullable(Type.String({ format: 'date-time' }), {
    description: 'After a rotation, the replaced secret signs too (a second signature) until then.',
  }),
};

const WebhookSchema = Type.Object(webhookProperties);
const WebhookWithSecretSchema = Type.Object({
  ...webhookProperties,
  secret: Type.String({ description: '`whsec_` + base64 of the HMAC key. Store it now: it is never shown again.' }),
});
const DeliveryParams = Type.Object({ id: Uuid(), delivery_id: Uuid() });

const DeliverySchema = Type.Partial(
  Type.Object({
    id: Uuid({ description: 'Sent as `webhook-id`; the same on every attempt.' }),
    event_id: Type.Integer({ description: "The event's sequence number (`id` in the payload)." }),
    event_type: EventTypeName,
    asset_id: Nullable(Uuid(), { description: 'null for an event of the account (webhook.disabled).' }),
    state: StringEnum(['pending', 'succeeded', 'failed']),
    attempts: Type.Integer({ description: 'Attempts made so far.' }),
    next_attempt_at: Nullable(Type.String({ format: 'date-time' }), {
      description: 'When the next attempt is due; null once the delivery is finished.',
    }),
    last_status: Nullable(Type.Integer()),
    last_error: Nullable(Type.String()),
    created_at: Type.String({ format: 'date-time' }),
    finished_at: Nullable(Type.String({ format: 'date-time' })),
    attempt_log: Type.Array(
      Type.Partial(
        Type.Object({
          attempted_at: Type.String({ format: 'date-time' }),
          status: Nullable(Type.Integer(), {
            description: "The receiver's status; null when no response came (refused, timed out, blocked).",
          }),
          error: Nullable(Type.String()),
          duration_ms: Type.Integer(),
          response_body: Nullable(Type.String(), { description: 'The first kilobyte of the response.' }),
        }),
      ),
      { description: 'Every attempt, oldest first.' },
    ),
  }),
);

const webhookView = (w: Webhook) => ({
  id: w.id,
  url: w.url,
  event_types: w.event_types,
  description: w.description,
  created_at: w.created_at.toISOString(),
  enabled: w.disabled_at === null,
  disabled_at: w.disabled_at?.toISOString() ?? null,
  consecutive_failures: w.consecutive_failures,
  failing_since: w.failing_since?.toISOString() ?? null,
  paused_until: w.paused_until?.toISOString() ?? null,
  previous_secret_expires_at: w.previous_secret_until?.toISOString() ?? null,
});

const deliveryView = (d: Delivery) => ({
  id: d.id,
  event_id: d.event_seq,
  event_type: d.event_type,
  asset_id: d.asset_id,
  state: d.state,
  attempts: d.attempts,
  next_attempt_at: d.state === 'pending' ? d.next_attempt_at.toISOString() : null,
  last_status: d.last_status,
  last_error: d.last_error,
  created_at: d.created_at.toISOString(),
  finished_at: d.finished_at?.toISOString() ?? null,
  attempt_log: d.attempt_log.map((a) => ({
    attempted_at: a.attempted_at.toISOString(),
    status: a.status,
    error: a.error,
    duration_ms: a.duration_ms,
    response_body: a.response_body,
  })),
});

/** http(s) with a host, or a 400 naming what is wrong. */
function checkUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ApiError(400, 'INVALID_WEBHOOK_URL', 'The webhook URL is not a valid absolute URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ApiError(400, 'INVALID_WEBHOOK_URL', `The webhook URL must use http or https, not ${url.protocol.replace(/:$/, '')}.`);
  }
  if (!url.hostname) throw new ApiError(400, 'INVALID_WEBHOOK_URL', 'The webhook URL has no host.');
  return url.toString();
}

const PAYLOAD_DOC = [
  'Each event of the account (of `event_types`, when given) is POSTed to `url` as JSON in the shape Standard Webhooks',
  'recommends, `{"type", "timestamp", "data"}`: `data` is the event as `GET /v1/events` sends it',
  '(`{"id": <sequence>, "type", "asset_id", "created_at", "data"}`) and `timestamp` its `created_at`. It is signed per',
  'Standard Webhooks (https://www.standardwebhooks.com): `webhook-id` (the delivery id, the same on every retry),',
  '`webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of',
  '"{webhook-id}.{webhook-timestamp}.{body}">` keyed with the base64-decoded part of `secret` after `whsec_`; after a',
  'rotation, a second space-separated `v1,` signature with the old secret until the overlap ends. Any 2xx is success;',
  'anything else, a timeout or a network error is retried with exponential backoff and jitter for about a day (3xx',
  'redirects are not followed; 410 stops at once). After 3 failed attempts in a row the endpoint is paused (growing',
  'pauses, one probe each); failing for WEBHOOK_DISABLE_AFTER_SECONDS (3 days) disables it, with a `webhook.disabled`',
  'event. Events go out roughly in order, one at a time per endpoint, but a retry can overtake: order and deduplicate',
  'by the event `id`. URLs resolving to private, loopback or link-local addresses are refused at delivery time unless',
  'the server allows them.',
].join(' ');

export async function webhookRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  app.post(
    '/v1/webhooks',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'createWebhook',
        summary: 'Add a webhook endpoint; the response carries its signing secret, shown only this once',
        description: PAYLOAD_DOC,
        tags: ['webhooks'],
        body: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: 2048, description: 'An http or https URL.' }),
            event_types: Type.Optional(
              Type.Array(EventTypeName, {
                minItems: 1,
                maxItems: EVENT_TYPE_NAMES.length,
                uniqueItems: true,
                description: 'Only these event types; omit for all of them.',
              }),
            ),
            description: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: WebhookWithSecretSchema, ...keyedErrors(...BODY) },
      },
    },
    async (request, reply) => {
      const url = checkUrl(request.body.url);
      // The cap is checked and the row inserted under one lock on the account, so concurrent
      // creates cannot overshoot it.
      const limit = request.limits.webhooks;
      const w = await createWebhookWithinCap(
        deps.sql,
        { accountId: request.account.id, url, eventTypes: request.body.event_types, description: request.body.description },
        limit,
      );
      if (!w) throw quotaExceeded('webhooks', limit, await countWebhooks(deps.sql, request.account.id));
      return reply.code(201).send({ ...webhookView(w), secret: w.secret });
    },
  );

  app.get(
    '/v1/webhooks',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listWebhooks',
        summary: 'Webhook endpoints of the account, oldest first (without secrets)',
        tags: ['webhooks'],
        response: { 200: Type.Partial(Type.Object({ data: Type.Array(WebhookSchema) })), ...keyedErrors() },
      },
    },
    async (request) => ({ data: (await listWebhooks(deps.sql, request.account.id)).map(webhookView) }),
  );

  app.get(
    '/v1/webhooks/:id',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getWebhook',
        summary: 'One webhook endpoint (without its secret)',
        tags: ['webhooks'],
        params: IdParams,
        response: { 200: WebhookSchema, ...keyedErrors(404) },
      },
    },
    async (request) => {
      const w = await getWebhook(deps.sql, request.account.id, request.params.id);
      if (!w) throw notFound('Webhook');
      return webhookView(w);
    },
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook endpoint; its pending deliveries are cancelled',
        description: 'Idempotent: deleting it again answers 204 as well. A send already under way finishes.',
        tags: ['webhooks'],
        params: IdParams,
        response: { 204: NoBody({ description: 'Deleted.' }), ...keyedErrors(404) },
      },
    },
    async (request, reply) => {
      if (!(await deleteWebhook(deps.sql, request.account.id, request.params.id))) throw notFound('Webhook');
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listWebhookDeliveries',
        summary: 'Deliveries to a webhook endpoint, newest event first, with every attempt and response',
        description: 'Pages with `next_cursor`; pass it back as `cursor`.',
        tags: ['webhooks'],
        params: IdParams,
        querystring: Type.Object(PageQuery),
        response: { 200: Page(DeliverySchema), ...keyedErrors(404) },
      },
    },
    async (request) => {
      const w = await getWebhook(deps.sql, request.account.id, request.params.id);
      if (!w) throw notFound('Webhook');
      const { after, limit } = pageStart(request.query, {});
      let beforeSeq: number | undefined;
      if (after) {
        const seq = await deliverySeq(deps.sql, w.id, after);
        if (seq === null) throw new ApiError(400, 'INVALID_CURSOR', 'The cursor does not name a delivery of this webhook.');
        beforeSeq = seq;
      }
      const rows = await listDeliveries(deps.sql, w.id, { limit: limit + 1, beforeSeq });
      return pageOf(rows, limit, deliveryView);
    },
  );
  app.post(
    '/v1/webhooks/:id/enable',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'enableWebhook',
        summary: 'Enable a webhook endpoint again (after it was disabled for failing), closing its circuit breaker',
        description:
          'It gets the events from now on; deliveries failed when it was disabled can be redelivered. On an enabled endpoint it resets the breaker (a paused endpoint is tried at once).',
        tags: ['webhooks'],
        params: IdParams,
        response: { 200: WebhookSchema, ...keyedErrors(404) },
      },
    },
    async (request) => {
      const w = await enableWebhook(deps.sql, request.account.id, request.params.id);
      if (!w) throw notFound('Webhook');
      deps.announceEvents(request.account.id); // a paused endpoint's due deliveries go now
      return webhookView(w);
    },
  );

  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'rotateWebhookSecret',
        summary: 'Give a webhook endpoint a new signing secret, shown only this once; the old one keeps signing during the overlap',
        description:
          'Until `previous_secret_expires_at` every delivery carries two signatures in `webhook-signature` (`v1,<new> v1,<old>`), so a receiver verifies with either while it switches. Rotating again during an overlap drops the oldest secret.',
        tags: ['webhooks'],
        params: IdParams,
        body: Type.Object(
          {
            overlap_seconds: Type.Optional(
              Type.Integer({
                minimum: 0,
                maximum: 7 * 86_400,
                default: 86_400,
                description: 'How long the old secret keeps signing: a day by default, at most a week; 0 drops it at once.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: WebhookWithSecretSchema, ...keyedErrors(404, ...BODY) },
      },
      // Every field is optional, so the body may be left out altogether.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const w = await rotateSecret(deps.sql, request.account.id, request.params.id, request.body.overlap_seconds ?? 86_400);
      if (!w) throw notFound('Webhook');
      return { ...webhookView(w), secret: w.secret };
    },
  );

  app.post(
    '/v1/webhooks/:id/deliveries/:delivery_id/redeliver',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'redeliverWebhookDelivery',
        summary: 'Send a delivery again now, whatever its state; its retries start over',
        description:
          'The same `webhook-id` (receivers deduplicate by it); each new attempt is added to its `attempt_log`. 409 `WEBHOOK_DISABLED` while the endpoint is disabled, 409 `DELIVERY_IN_FLIGHT` while it is being sent.',
        tags: ['webhooks'],
        params: DeliveryParams,
        response: { 202: DeliverySchema, ...keyedErrors(404, 409) },
      },
    },
    async (request, reply) => {
      const w = await getWebhook(deps.sql, request.account.id, request.params.id);
      if (!w) throw notFound('Webhook');
      if (w.disabled_at) {
        throw new ApiError(
          409,
          'WEBHOOK_DISABLED',
          'The webhook is disabled: enable it (POST /v1/webhooks/{id}/enable) before redelivering.',
        );
      }
      const done = await redeliver(deps.sql, w.id, request.params.delivery_id);
      if (!done) throw notFound('Delivery');
      if (done === 'in_flight') {
        throw new ApiError(409, 'DELIVERY_IN_FLIGHT', 'The delivery is being sent right now; its outcome will show in its attempts.');
      }
      deps.announceEvents(request.account.id);
      return reply.code(202).send(deliveryView((await getDelivery(deps.sql, w.id, request.params.delivery_id))!));
    },
  );
}
