import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { prettyFactory } from 'pino-pretty';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Requests machines make every few seconds: their request lines log at debug (see QUIET_ROUTE). */
    quietLogs?: boolean;
  }
}

/** Where a role's log lines go instead of stdout (the tests that read them). */
export interface LogDestination {
  write(line: string): void;
}

/**
 * Route option of the requests that machines make every few seconds (health, readiness,
 * metrics scrapes, edge heartbeats, revocation polls): their "incoming request" and
 * "request completed" lines log at debug, so that info shows what people and their apps
 * did. Failures still log at their own level.
 */
export const QUIET_ROUTE = { config: { quietLogs: true } } as const;

class QuietRoutesLogController extends LogController {
  override incomingRequest(request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    if (!request.routeOptions.config.quietLogs) return super.incomingRequest(request, reply, metadata);
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    if (error || !request.routeOptions.config.quietLogs) return super.requestCompleted(error, request, reply, metadata);
    reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/**
 * fastify's logging options for a role: its level, JSON lines or, for a person at a terminal
 * (LOG_FORMAT=pretty), pino-pretty's, and quiet routes at debug. Each pretty line is
 * formatted as it is written, in the process: no transport thread, and a role that exits on
 * a fatal error does not lose the line that says why.
 */
export function roleLogging(
  config: { logLevel: string; logFormat: 'json' | 'pretty' },
  destination?: LogDestination,
): { logger: { level: string; stream?: LogDestination }; logController: LogController } {
  const logController = new QuietRoutesLogController();
  if (config.logFormat === 'json') return { logger: { level: config.logLevel, stream: destination }, logController };
  const out = destination ?? process.stdout;
  const format = prettyFactory({
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  return { logger: { level: config.logLevel, stream: { write: (line) => void out.write(format(line)) } }, logController };
}
