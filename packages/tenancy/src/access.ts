import type { RateClass } from '@kino/config';
import type { KeyScope } from '@kino/db';

/**
 * What a /v1 route is, for tenancy: the scope a key needs to call it and the bucket a call
 * takes from. Every authenticated route declares one (services/api refuses to start with a
 * route that does not), so a new route cannot slip past both by omission.
 */
export type RouteAccess = 'upload' | 'read' | 'stream' | 'playback' | 'manage';

const NEEDS: Record<RouteAccess, { scope: KeyScope; rateClass: RateClass }> = {
  upload: { scope: 'upload', rateClass: 'uploads' },
  read: { scope: 'read', rateClass: 'reads' },
  // An event stream: read access, but its own bucket, since each one holds a connection.
  stream: { scope: 'read', rateClass: 'events' },
  playback: { scope: 'playback', rateClass: 'playback' },
  // Changing or deleting what exists, keys and webhooks: only a full key.
  manage: { scope: 'full', rateClass: 'writes' },
};

export const ROUTE_ACCESS = Object.keys(NEEDS) as RouteAccess[];

export function rateClassOf(access: RouteAccess): RateClass {
  return NEEDS[access].rateClass;
}

export function scopeNeeded(access: RouteAccess): KeyScope {
  return NEEDS[access].scope;
}

/** True when a key with `scopes` may call a route of `access`. */
export function scopesAllow(scopes: readonly KeyScope[], access: RouteAccess): boolean {
  return scopes.includes('full') || scopes.includes(NEEDS[access].scope);
}
