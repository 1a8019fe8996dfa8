import type { FastifyInstance } from 'fastify';
import { bearerMatches, Defaulted, errorResponses, IdParams, NoBody, QUIET_ROUTE, TextBody, typed } from '@kino/http';
import { ARTIFACT_PATH_PATTERN, ASSET_ID_PATTERN } from '@kino/artifacts';
import { listAccounts, recordEdgeHeartbeat, revocationsSince, type Account } from '@kino/db';
import { changeAccount, openAccount, storageLeft } from '@kino/tenancy';
import { answerSegmentRequest, IMAGE_VARIANTS_PER_ASSET } from '@kino/pipeline';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { BODY } from '../schemas.ts';

/** In the document, but apart: Kino's own roles and operators call these, with the internal token. */
const INTERNAL = { tags: ['internal'], security: [{ internalToken: [] }], 'x-internal': true };
/** A malformed request, no internal token, a fault of ours, and the route's own refusals. */
const internalErrors = (...statuses: number[]) => errorResponses([400, 401, 500, ...statuses]);

/** Routes for Kino's own roles, guarded by the internal token rather than an API key. */
export async function internalRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  app.addHook('onRequest', async (request) => {
    if (!bearerMatches(request.headers.authorization, deps.config.internalToken)) {
      throw new ApiError(401, 'UNAUTHORIZED', 'Internal routes need the internal token.');
    }
  });

  app.post(
    '/internal/edges/heartbeat',
    {
      ...QUIET_ROUTE,
      schema: {
        ...INTERNAL,
        operationId: 'recordEdgeHeartbeat',
        summary: 'An edge says it is alive, and where it serves',
        // Open on purpose: in a rolling deploy a newer edge may send fields this api does not
        // know yet, and refusing its heartbeat would take it out of rotation.
        body: Type.Object(
          {
            id: Type.String({ minLength: 1, maxLength: 128 }),
            region: Type.String({ minLength: 1, maxLength: 64 }),
            public_url: Type.String({ format: 'uri', pattern: '^https?://' }),
            internal_url: Type.String({ format: 'uri', pattern: '^https?://' }),
          },
          { additionalProperties: true },
        ),
        response: { 204: NoBody({ description: 'Recorded.' }), ...internalErrors(...BODY) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      await recordEdgeHeartbeat(deps.sql, {
        id: b.id,
        region: b.region,
        publicUrl: b.public_url.replace(/\/$/, ''),
        internalUrl: b.internal_url.replace(/\/$/, ''),
      });
      return reply.code(204).send();
    },
  );

  // The revocation list, incrementally: without `since` every asset deleted within the
  // longest token lifetime, then only what was deleted after the returned cursor. Pages
  // until `more` is false. The cursor is exact (see packages/db/src/revocations.ts).
  app.get(
    '/internal/revocations',
    {
      ...QUIET_ROUTE,
      schema: {
        ...INTERNAL,
        operationId: 'listRevocations',
        summary: 'Assets deleted lately, for edges to refuse their tokens',
        querystring: Type.Object(
          {
            since: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'The cursor of the previous answer.' })),
            limit: Defaulted(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            window_seconds: Type.Integer(),
            cursor: Type.String(),
            more: Type.Boolean(),
            assets: Type.Array(Type.Object({ id: Type.String(), deleted_at: Type.String({ format: 'date-time' }) })),
          }),
          ...internalErrors(),
        },
      },
    },
    async (request) => {
      // A token outlives its asset at most by the longest lifetime a token can have.
      const window = deps.config.playback.maxTtlSeconds + 60;
      const { since, limit } = request.query;
      const page = await revocationsSince(deps.sql, {
        since: since === undefined ? undefined : Number(since),
        windowSeconds: window,
        limit,
      });
      return {
        window_seconds: window,
        cursor: String(page.cursor),
        more: page.more,
        assets: page.revocations.map((r) => ({ id: r.id, deleted_at: r.deleted_at.toISOString() })),
      };
    },
  );

  // An edge missed a planned segment or an image variant the origin does not have yet (see
  // packages/pipeline/src/segments.ts, images.ts). Held until it is made, within
  // JIT_WAIT_SECONDS; 404 for anything the plan does not list (an image past the end), 403
  // for an image variant past the asset's bound, 503 + Retry-After when the encoding tier
  // is full or the wait ran out.
  app.post(
    '/internal/segments',
    {
      schema: {
        ...INTERNAL,
        operationId: 'requestSegment',
        summary: 'An edge asks for a planned segment or image variant the origin lacks, and waits until it is made',
        body: Type.Object(
          {
            asset_id: Type.String({ pattern: `^${ASSET_ID_PATTERN}$` }),
            path: Type.String({ pattern: `^(?:${ARTIFACT_PATH_PATTERN})$` }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ status: Type.Literal('ready') }), ...internalErrors(...BODY, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const { segments } = deps.config;
      // The edge stops asking when its viewers left (they seeked elsewhere).
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      const answer = await answerSegmentRequest(
        {
          sql: deps.sql,
          bus: deps.bus,
          bounds: { limit: segments.queueLimit, accountLimit: segments.accountLimit },
          waitMs: segments.waitSeconds * 1000,
          storageLeft: (accountId) => storageLeft(deps.sql, deps.config.tenancy.plans, accountId),
        },
        request.body.asset_id,
        request.body.path,
        gone.signal,
      );
      if (answer.status === 'refused') throw new ApiError(404, 'NOT_IN_PLAN', 'The asset does not plan this segment, or is gone.');
      if (answer.status === 'limited') {
        throw new ApiError(
          403,
          'IMAGE_VARIANT_LIMIT',
          `The asset has ${IMAGE_VARIANTS_PER_ASSET} image variants already, or its account no stored bytes left.`,
        );
      }
      if (answer.status === 'busy') {
        reply.header('retry-after', String(answer.retryAfterSec));
        throw new ApiError(503, 'SEGMENT_NOT_READY', 'The segment is not made yet; try again shortly.');
      }
      return { status: 'ready' as const };
    },
  );

  await accountRoutes(scope, deps);

  // Prometheus text format 0.0.4, as the edge's /metrics.
  app.get(
    '/metrics',
    {
      ...QUIET_ROUTE,
      schema: {
        ...INTERNAL,
        operationId: 'getApiMetrics',
        summary: 'Prometheus metrics of this api process',
        response: { 200: TextBody('text/plain', 'Prometheus text format 0.0.4.'), ...internalErrors() },
      },
    },
    async (_request, reply) => {
      const lines = [
        '# HELP kino_api_rate_limit_fallback_active 1 while Redis is away and this process limits alone.',
        '# TYPE kino_api_rate_limit_fallback_active gauge',
        `kino_api_rate_limit_fallback_active ${deps.limiter?.fallbackActive ? 1 : 0}`,
        '# HELP kino_api_rate_limit_fallback_decisions_total Rate-limit decisions this process made alone.',
        '# TYPE kino_api_rate_limit_fallback_decisions_total counter',
        `kino_api_rate_limit_fallback_decisions_total ${deps.limiter?.fallbackDecisions ?? 0}`,
      ];
      return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
    },
  );
}

const AccountView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  plan: Type.String(),
  limits: Type.Record(Type.String(), Type.Number(), { description: "The account's own exceptions to its plan." }),
  disabled_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
});

const accountView = (a: Account) => ({
  id: a.id,
  name: a.name,
  plan: a.plan,
  limits: a.limits,
  disabled_at: a.disabled_at?.toISOString() ?? null,
  created_at: a.created_at.toISOString(),
});

/** Operators' routes (also `kino accounts`): accounts, their plans and their first keys. */
async function accountRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  const { plans } = deps.config.tenancy;

  app.post(
    '/internal/accounts',
    {
      schema: {
        ...INTERNAL,
        operationId: 'createAccount',
        summary: 'Open an account with its first API key',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200 }), plan: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ account: AccountView, key: Type.Object({ id: Type.String(), prefix: Type.String(), key: Type.String() }) }),
          ...internalErrors(...BODY),
        },
      },
    },
    async (request, reply) => {
      const { account, key } = await openAccount(deps.sql, plans, request.body);
      return reply.code(201).send({ account: accountView(account), key: { id: key.id, prefix: key.prefix, key: key.key } });
    },
  );

  app.get(
    '/internal/accounts',
    {
      schema: {
        ...INTERNAL,
        operationId: 'listAccounts',
        summary: 'Every account',
        response: { 200: Type.Object({ data: Type.Array(AccountView) }), ...internalErrors() },
      },
    },
    async () => ({ data: (await listAccounts(deps.sql)).map(accountView) }),
  );

  app.patch(
    '/internal/accounts/:id',
    {
      schema: {
        ...INTERNAL,
        operationId: 'updateAccount',
        summary: "Change an account's plan, limits or whether it is disabled",
        params: IdParams,
        body: Type.Object(
          {
            plan: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
            limits: Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 0 }))),
            disabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: AccountView, ...internalErrors(404, ...BODY) },
      },
    },
    async (request) => {
      const account = await changeAccount(deps.sql, deps.redis, plans, request.params.id, request.body);
      if (!account) throw new ApiError(404, 'NOT_FOUND', 'Account not found.');
      deps.keys.forget();
      return accountView(account);
    },
  );
}
