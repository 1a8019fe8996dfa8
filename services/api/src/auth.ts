import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticateKey, type Account, type Sql } from '@kino/db';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    account: Account;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Requires a valid API key on every route of the plugin it is registered in; the account
 * it names scopes every query those routes make.
 */
export function requireApiKey(app: FastifyInstance, sql: Sql): void {
  app.decorateRequest('account', null as unknown as Account);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) throw new ApiError(401, 'UNAUTHORIZED', 'Missing API key: send "Authorization: Bearer <key>".');
    const key = BEARER.exec(header)?.[1];
    const account = key ? await authenticateKey(sql, key) : null;
    if (!account) throw new ApiError(401, 'INVALID_API_KEY', 'The API key is not valid.');
    request.account = account;
  });
}
