import type { FastifyInstance } from 'fastify';
import { KEY_SCOPES, listApiKeys, revokeApiKey, type ApiKey } from '@kino/db';
import { IdParams, NoBody, Nullable, StringEnum, typed, Uuid } from '@kino/http';
import { announceKeyChange, issueKeyWithinQuota } from '@kino/tenancy';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { BODY, keyedErrors } from '../schemas.ts';

const Scope = StringEnum(KEY_SCOPES);

const keyProperties = {
  id: Uuid(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key: enough to recognise it, useless to anyone else.' }),
  scopes: Type.Array(Scope),
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Nullable(Type.String({ format: 'date-time' })),
  last_used_at: Nullable(Type.String({ format: 'date-time' }), { description: 'Recorded at most once a minute.' }),
};
const KeySchema = Type.Object(keyProperties);

const keyView = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  created_at: k.created_at.toISOString(),
  expires_at: k.expires_at?.toISOString() ?? null,
  last_used_at: k.last_used_at?.toISOString() ?? null,
});

const SCOPES_DOC =
  '`full`: everything. `upload`: create uploads and imports. `read`: assets, events, analytics, webhooks (reading). ' +
  '`playback`: signed playback URLs, and nothing else. A key may have several.';

export async function keyRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);

  /** Every api process forgets what it trusted, so a revoked key is refused everywhere at once. */
  const keysChanged = () => {
    deps.keys.forget();
    void announceKeyChange(deps.redis).catch((err) =>
      scope.log.warn({ err }, 'could not announce a key change; other processes notice within KEY_CACHE_MS'),
    );
  };

  app.post(
    '/v1/keys',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'createKey',
        summary: 'Create an API key; the response carries the key itself, shown only this once',
        description: SCOPES_DOC,
        tags: ['keys'],
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            scopes: Type.Optional(
              Type.Array(Scope, { minItems: 1, maxItems: KEY_SCOPES.length, uniqueItems: true, description: 'Default ["full"].' }),
            ),
            expires_at: Type.Optional(
              Type.String({ format: 'date-time', description: 'After this instant the key is refused (401 API_KEY_EXPIRED).' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ ...keyProperties, key: Type.String({ description: 'The key. Store it now: only its hash is kept.' }) }),
          ...keyedErrors(...BODY),
        },
      },
    },
    async (request, reply) => {
      const { name, scopes, expires_at } = request.body;
      const expiresAt = expires_at === undefined ? null : new Date(expires_at);
      if (expiresAt && expiresAt.getTime() <= Date.now()) {
        throw new ApiError(400, 'VALIDATION_ERROR', '`expires_at` must be in the future.', [
          { path: 'expires_at', message: 'in the past' },
        ]);
      }
      const issued = await issueKeyWithinQuota(deps.sql, request.account.id, request.limits.api_keys, { name, scopes, expiresAt });
      return reply.code(201).send({ ...keyView(issued), key: issued.key });
    },
  );

  app.get(
    '/v1/keys',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'listKeys',
        summary: "The account's live keys, newest first (never the keys themselves)",
        tags: ['keys'],
        response: { 200: Type.Object({ data: Type.Array(KeySchema) }), ...keyedErrors() },
      },
    },
    async (request) => ({ data: (await listApiKeys(deps.sql, request.account.id)).map(keyView) }),
  );

  app.delete(
    '/v1/keys/:id',
    {
      config: { access: 'manage' },
      schema: {
        operationId: 'revokeKey',
        summary: 'Revoke a key: every api process refuses it within a second, and its event streams end',
        description: 'The key that makes this call may revoke itself.',
        tags: ['keys'],
        params: IdParams,
        response: { 204: NoBody({ description: 'Revoked.' }), ...keyedErrors(404) },
      },
    },
    async (request, reply) => {
      if (!(await revokeApiKey(deps.sql, request.account.id, request.params.id))) throw notFound('Key');
      keysChanged();
      return reply.code(204).send();
    },
  );
}
