import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlanLimits } from '@kino/config';
import type { Account, KeyScope } from '@kino/db';
import { clientAddressKey, enforceRateLimit, RateLimiter } from '@kino/http';
import { enforceSharedLimit } from '@kino/limits';
import { accountLimits, ROUTE_ACCESS, rateClassOf, ratePolicy, scopeNeeded, scopesAllow, type RouteAccess } from '@kino/tenancy';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    account: Account;
    /** The id of the key that authenticated the request (streams re-check it). */
    apiKeyId: string;
    scopes: KeyScope[];
    /** The account's limits: its plan's with its own overrides. */
    limits: PlanLimits;
  }
  interface FastifyContextConfig {
    /** What the route is for tenancy: the scope it needs and the rate bucket it takes from. */
    access?: RouteAccess;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

const SEND_IT = 'send "Authorization: Bearer <key>" (the word Bearer, a space, then the key)';

/** Addresses remembered by the unknown-key throttle; a flood of addresses costs at most this many entries. */
const MAX_THROTTLED_ADDRESSES = 100_000;

/** Why an Authorization header carries no bearer key, and how to send one. */
function misspeltHeader(header: string): string {
  const [scheme = '', rest] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return `The Authorization header names no key: ${SEND_IT}.`;
  if (scheme.toLowerCase() === 'basic') return `Basic authentication is not used here: ${SEND_IT}.`;
  if (rest !== undefined) return `The "${scheme}" scheme is not used here: ${SEND_IT}.`;
  return `The Authorization header has the key without "Bearer ": ${SEND_IT}.`;
}

export interface KeyGuard {
  /** The key's verdict for a request, or a thrown refusal in the one error shape. */
  check(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/**
 * The api process's gate for API keys: the authenticator (a short cache over Postgres,
 * forgotten on every key change), the throttle of unknown keys per client address, the
 * key's scopes against the route's access, and the key's token bucket for the route's class
 * (shared by every api process through Redis; RateLimit headers on every answer). A client
 * that keeps presenting unknown keys is answered 429 without a lookup once its bucket is
 * empty, so guessing keys costs it time and costs Postgres nothing.
 */
export function createKeyGuard(deps: Pick<ApiDeps, 'config' | 'keys' | 'limiter'>): KeyGuard {
  const perMinute = deps.config.tenancy.badKeysPerMinute;
  const unknownKeys = new RateLimiter({ burst: perMinute, perSecond: perMinute / 60, maxKeys: MAX_THROTTLED_ADDRESSES });
  return {
    async check(request, reply) {
      const header = request.headers.authorization;
      if (!header) throw new ApiError(401, 'UNAUTHORIZED', 'Missing API key: send "Authorization: Bearer <key>".');
      const secret = BEARER.exec(header)?.[1];
      if (!secret) throw new ApiError(401, 'INVALID_API_KEY', misspeltHeader(header));
      const address = clientAddressKey(request.ip);
      const verdict = await deps.keys.authenticate(secret, unknownKeys.peek(address));
      if (verdict === undefined || (!verdict.ok && verdict.reason === 'unknown')) {
        enforceRateLimit(unknownKeys, address, reply, 'with unknown API keys from this address');
        throw new ApiError(401, 'INVALID_API_KEY', 'The API key is not valid (revoked, or not a key of this deployment).');
      }
      if (!verdict.ok && verdict.reason === 'expired')
        throw new ApiError(401, 'API_KEY_EXPIRED', 'The API key has expired: create a new one.');
      if (!verdict.ok) throw new ApiError(403, 'ACCOUNT_DISABLED', 'The account of this API key is disabled.');
      const { key } = verdict;
      request.account = key.account;
      request.apiKeyId = key.keyId;
      request.scopes = key.scopes;
      request.limits = accountLimits(deps.config.tenancy.plans, key.account);
      const access = request.routeOptions.config.access!;
      if (!scopesAllow(key.scopes, access)) {
        const needed = scopeNeeded(access);
        throw new ApiError(
          403,
          'INSUFFICIENT_SCOPE',
          `This key's scopes (${key.scopes.join(', ')}) do not cover this route: it needs "${needed}".`,
          {
            needed,
            scopes: key.scopes,
          },
        );
      }
      const rateClass = rateClassOf(access);
      if (deps.limiter && rateClass) {
        await enforceSharedLimit(deps.limiter, key.keyId, ratePolicy(request.limits, rateClass), reply, `of this key's ${rateClass}`);
      }
    },
  };
}

/**
 * Requires a valid API key on every route of the plugin it is registered in; the account
 * it names scopes every query those routes make. Each route must say what it is for
 * (`config.access`): a route that does not stops the api at start.
 */
export function requireApiKey(app: FastifyInstance, deps: Pick<ApiDeps, 'keyGuard'>): void {
  app.decorateRequest('account', null as unknown as Account);
  app.decorateRequest('apiKeyId', '');
  app.decorateRequest('scopes', null as unknown as KeyScope[]);
  app.decorateRequest('limits', null as unknown as PlanLimits);
  app.addHook('onRoute', (route) => {
    if (route.method === 'OPTIONS' || (route.config as { access?: RouteAccess } | undefined)?.access) return;
    throw new Error(`${String(route.method)} ${route.url} needs config.access (${ROUTE_ACCESS.join(', ')})`);
  });
  app.addHook('onRequest', (request, reply) => deps.keyGuard.check(request, reply));
}
