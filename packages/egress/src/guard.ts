import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from './address.ts';

// The server-side request forgery guard. Addresses are checked when a connection is made
// (not when a URL is accepted: DNS changes), and the socket connects to the very address
// that was checked, so a name that answers "public" to the check and "private" a moment
// later (DNS rebinding) gains nothing. A host written as an IP literal is never looked up,
// so it is checked as it is.

/** The message every refusal carries (webhook attempts record it). */
export const BLOCKED_ERROR = 'blocked: private address';

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'EBLOCKEDADDRESS';
  constructor(readonly address: string) {
    super(`${BLOCKED_ERROR} (${address})`);
  }
}

/** How names are resolved: node:dns `lookup` with `all: true`; tests pass a stub (the seam of the guard's tests). */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** What may be reached. */
export interface EgressPolicy {
  /** Let private, loopback and link-local targets through (development and tests only). */
  allowPrivate: boolean;
  /** node:dns `lookup` unless given. */
  resolve?: Resolver | undefined;
  /**
   * isPrivateAddress unless given. Only tests pass one: with no public internet, a test
   * stands one loopback address in for a public host, and every other address is judged
   * by the real rules (see the import tests).
   */
  isPrivate?: ((address: string) => boolean) | undefined;
}

/**
 * A `lookup` for net/tls connect: resolves every address of the name and, unless private
 * targets are allowed, refuses the connection when any of them is private — then hands
 * exactly those vetted addresses to the socket.
 */
export function guardedLookup(policy: EgressPolicy): LookupFunction {
  const resolve = policy.resolve ?? dnsLookup;
  const isPrivate = policy.isPrivate ?? isPrivateAddress;
  return (hostname, options, callback) => {
    resolve(hostname, { family: options.family ?? 0, hints: options.hints ?? 0, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      if (addresses.length === 0) {
        const e = Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' });
        return callback(e, '', 0);
      }
      if (!policy.allowPrivate) {
        const bad = addresses.find((a) => isPrivate(a.address));
        if (bad) return callback(new BlockedAddressError(bad.address), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * The check of a host written as an IP literal (`10.0.0.5`, `[::1]`): the socket connects
 * to it without any lookup. Returns the refusal, or null (also for a name).
 */
export function checkLiteralHost(hostname: string, policy: EgressPolicy): BlockedAddressError | null {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (policy.allowPrivate || isIP(host) === 0) return null;
  return (policy.isPrivate ?? isPrivateAddress)(host) ? new BlockedAddressError(host) : null;
}

/** The guard's refusal behind an error of the HTTP client (wrapped as a cause, or among several attempts), if it was one. */
export function blockedCause(err: unknown): BlockedAddressError | null {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof BlockedAddressError) return e;
    if (e instanceof AggregateError) {
      const inner = e.errors.find((x) => x instanceof BlockedAddressError);
      if (inner) return inner as BlockedAddressError;
    }
  }
  return null;
}
