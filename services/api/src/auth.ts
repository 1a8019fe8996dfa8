import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticateApiKey, type Account, type Sql } from '@kino/db';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    account: Account;
    /** The id of the key that authenticated the request (streams re-check it). */
    apiKeyId: string;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Requires a valid API key on every route of the plugin it is registered in; the account
 * it names scopes every query those routes make.
 */
export function requireApiKey(app: FastifyInstance, sql: Sql): void {
  app.decorateRequest('account', null as unknown as Account);
  app.decorateRequest('apiKeyId', '');
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) throw new ApiError(401, 'UNAUTHORIZED', 'Missing API key: send "Authorization: Bearer <key>".');
    const key = BEARER.exec(header)?.[1];
    const found = key ? await authenticateApiKey(sql, key) : null;
    if (!found) throw new ApiError(401, 'INVALID_API_KEY', 'The API key is not valid.');
    request.account = found.account;
    request.apiKeyId = found.keyId;
  });
}
