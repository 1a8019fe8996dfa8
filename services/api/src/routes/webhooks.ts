import type { FastifyInstance } from 'fastify';
import { EVENT_TYPES, type EventType } from '@kino/events';
import {
  createWebhookWithinCap,
  deleteWebhook,
  deliverySeq,
  getWebhook,
  listDeliveries,
  listWebhooks,
  MAX_WEBHOOKS_PER_ACCOUNT,
  type Delivery,
  type Webhook,
} from '@kino/webhooks';
import { clientErrors, IdParams, NoBody, Nullable, Page, PageQuery, pageOf, pageStart, StringEnum, typed, Uuid } from '@kino/http';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';

const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];
const EventTypeName = StringEnum(EVENT_TYPE_NAMES);

const webhookProperties = {
  id: Uuid(),
  url: Type.String(),
  event_types: Nullable(Type.Array(EventTypeName), { description: 'The event types sent to this endpoint; null for all of them.' }),
  description: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
};

const WebhookSchema = Type.Object(webhookProperties);

const DeliverySchema = Type.Partial(
  Type.Object({
    id: Uuid({ description: 'Sent as `webhook-id`; the same on every attempt.' }),
    event_id: Type.Integer({ description: "The event's sequence number (`id` in the payload)." }),
    event_type: EventTypeName,
    asset_id: Uuid(),
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
  'Each event of the account (of `event_types`, when given) is POSTed to `url` as JSON, the same envelope as',
  '`GET /v1/events`: `{"id": <sequence>, "type", "asset_id", "created_at", "data"}`, signed per Standard Webhooks',
  '(https://www.standardwebhooks.com): `webhook-id` (the delivery id, the same on every retry), `webhook-timestamp`',
  '(unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` keyed',
  'with the base64-decoded part of `secret` after `whsec_`. Any 2xx is success; anything else, a timeout or a',
  'network error is retried with exponential backoff and jitter for about a day (3xx redirects are not followed;',
  '410 stops at once). Events go out roughly in order, one at a time per endpoint, but a retry can overtake:',
  'order and deduplicate by the event `id`. URLs resolving to private, loopback or link-local addresses are',
  'refused at delivery time unless the server allows them.',
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
        response: {
          201: Type.Object({
            ...webhookProperties,
            secret: Type.String({ description: '`whsec_` + base64 of the HMAC key. Store it now: it is never shown again.' }),
          }),
          ...clientErrors,
        },
      },
    },
    async (request, reply) => {
      const url = checkUrl(request.body.url);
      // The cap is checked and the row inserted under one lock on the account, so concurrent
      // creates cannot overshoot it.
      const w = await createWebhookWithinCap(deps.sql, {
        accountId: request.account.id,
        url,
        eventTypes: request.body.event_types,
        description: request.body.description,
      });
      if (!w) {
        throw new ApiError(400, 'TOO_MANY_WEBHOOKS', `An account can have at most ${MAX_WEBHOOKS_PER_ACCOUNT} webhooks; delete one first.`);
      }
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
        response: { 200: Type.Partial(Type.Object({ data: Type.Array(WebhookSchema) })), ...clientErrors },
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
        response: { 200: WebhookSchema, ...clientErrors },
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
        response: { 204: NoBody({ description: 'Deleted.' }), ...clientErrors },
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
        response: { 200: Page(DeliverySchema), ...clientErrors },
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
}
