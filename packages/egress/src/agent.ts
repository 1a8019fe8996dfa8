import { Agent, buildConnector } from 'undici';
import { checkLiteralHost, guardedLookup, type EgressPolicy } from './guard.ts';

export interface GuardedAgentOptions extends EgressPolicy {
  connectTimeoutMs: number;
  /** From sending the request to the end of the response's headers. */
  headersTimeoutMs: number;
  /** Between two chunks of the body: an idle bound, not a total one. */
  bodyTimeoutMs: number;
  /** Connections per origin (undici's default: no bound). */
  connections?: number | undefined;
  keepAliveTimeoutMs?: number | undefined;
}

/**
 * An undici dispatcher every connection of which goes through the guard: a name is
 * resolved once, every address checked, and the socket pinned to them; a literal address
 * is checked before connecting. Redirects are never followed by undici (`request` does
 * not): a caller that follows one makes a new request, which is checked again.
 */
export function createGuardedAgent(o: GuardedAgentOptions): Agent {
  const connector = buildConnector({ lookup: guardedLookup(o), timeout: o.connectTimeoutMs });
  return new Agent({
    connect: (options, callback) => {
      const refused = checkLiteralHost(options.hostname, o);
      if (refused) return callback(refused, null);
      connector(options, callback);
    },
    headersTimeout: o.headersTimeoutMs,
    bodyTimeout: o.bodyTimeoutMs,
    ...(o.keepAliveTimeoutMs === undefined ? {} : { keepAliveTimeout: o.keepAliveTimeoutMs }),
    ...(o.connections === undefined ? {} : { connections: o.connections }),
  });
}
