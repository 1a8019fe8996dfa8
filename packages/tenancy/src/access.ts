import type { RateClass } from '@kino/config';
import type { KeyScope } from '@kino/db';

/**
 * What a /v1 route is, for tenancy: the scope a key needs to call it and the bucket a call
 * takes from. Every authenticated route declares one (services/api refuses to start with a
 * route that does not), so a new route cannot slip past both by omission.
 */
export type RouteAccess = 'upload' | 'transfer' | 'read' | 'stream' | 'playback' | 'manage';

const NEEDS: Record<RouteAccess, { scope: KeyScope; rateClass: RateClass | null }> = {
  upload: { scope: 'upload', rateClass: 'uploads' },
  // The requests that carry an upload already made on (tus HEAD, PATCH and DELETE, a direct
  // upload's completion): bounded by that upload's declared length and the account's quotas,
  // not by a rate. A file sent in many tus chunks must not run out of upload tokens.
  transfer: { scope: 'upload', rateClass: null },
  read: { scope: 'read', rateClass: 'reads' },
  // An event stream: read access, but its own bucket, since each one holds a connection.
  stream: { scope: 'read', rateClass: 'events' },
  playback: { scope: 'playback', rateClass: 'playback' },
  // Changing or deleting what exists, keys and webhooks: only a full key.
  manage: { scope: 'full', rateClass: 'writes' },
};

export const ROUTE_ACCESS = Object.keys(NEEDS) as RouteAccess[];

/** The bucket a route takes from; null for none. */
export function rateClassOf(access: RouteAccess): RateClass | null {
  return NEEDS[access].rateClass;
}

export function scopeNeeded(access: RouteAccess): KeyScope {
  return NEEDS[access].scope;
}

/** True when a key with `scopes` may call a route of `access`. */
export function scopesAllow(scopes: readonly KeyScope[], access: RouteAccess): boolean {
  return scopes.includes('full') || scopes.includes(NEEDS[access].scope);
}
