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

const SEND_IT = 'send "Authorization: Bearer <key>" (the word Bearer, a space, then the key)';

/** Why an Authorization header carries no bearer key, and how to send one. */
function misspeltHeader(header: string): string {
  const [scheme = '', rest] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return `The Authorization header names no key: ${SEND_IT}.`;
  if (scheme.toLowerCase() === 'basic') return `Basic authentication is not used here: ${SEND_IT}.`;
  if (rest !== undefined) return `The "${scheme}" scheme is not used here: ${SEND_IT}.`;
  return `The Authorization header has the key without "Bearer ": ${SEND_IT}.`;
}

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
    if (!key) throw new ApiError(401, 'INVALID_API_KEY', misspeltHeader(header));
    const found = await authenticateApiKey(sql, key);
    if (!found) throw new ApiError(401, 'INVALID_API_KEY', 'The API key is not valid (revoked, or not a key of this deployment).');
    request.account = found.account;
    request.apiKeyId = found.keyId;
  });
}
