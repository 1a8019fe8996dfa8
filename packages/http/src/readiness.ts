import { timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Dictionary, StringEnum, typed } from './schemas.ts';

/** Whether an Authorization header carries exactly `Bearer {token}`, compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** One dependency: settles when it answers, throws (with its reason) when it does not. */
export type ReadinessCheck = (signal: AbortSignal) => Promise<unknown>;

export interface Readiness {
  ok: boolean;
  checks: Record<string, 'ok' | 'unavailable'>;
  /** Each failed check's own reason: driver messages, which name hosts, ports and paths. */
  details: Record<string, string>;
}

/** Runs every check at once, each bounded by `timeoutMs`. */
export async function checkReadiness(checks: Record<string, ReadinessCheck>, timeoutMs: number): Promise<Readiness> {
  const result: Readiness = { ok: true, checks: {}, details: {} };
  await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        await Promise.race([
          check(signal),
          new Promise((_, reject) =>
            signal.addEventListener('abort', () => reject(new Error(`no answer within ${timeoutMs} ms`)), { once: true }),
          ),
        ]);
        result.checks[name] = 'ok';
      } catch (err) {
        result.ok = false;
        result.checks[name] = 'unavailable';
        result.details[name] = err instanceof Error ? err.message || err.name : String(err);
      }
    }),
  );
  return result;
}

/** `GET /healthz`: the process is up. */
export const HealthSchema = Type.Partial(Type.Object({ status: Type.String() }));

const CheckState = StringEnum(['ok', 'unavailable']);
const ReadySchema = Type.Object({
  status: StringEnum(['ok', 'degraded', 'unavailable'], {
    description: '`degraded`: a dependency the process can serve without is away (200 all the same).',
  }),
  checks: Dictionary(CheckState),
  details: Type.Optional(Dictionary(Type.String(), { description: 'Why each failed check failed; only with the internal token.' })),
});

const CHECK_TIMEOUT_MS = 2000;

/**
 * `GET /readyz`: `ok` or `unavailable` per dependency for anyone (load balancers, probes),
 * and the reasons only for a caller with the internal token. Reasons are driver messages
 * that name internal hosts, ports and paths, so the public answer never carries them; a
 * failure is logged with its reason for operators.
 */
export function readinessRoute(
  app: FastifyInstance,
  o: {
    checks: Record<string, ReadinessCheck>;
    internalToken: string;
    log?: FastifyBaseLogger;
    summary?: string;
    /** Checks whose failure leaves the process serving (status `degraded`, still 200): taking it out of rotation would be worse. */
    degradable?: readonly string[];
  },
): void {
  typed(app).get(
    '/readyz',
    {
      schema: {
        operationId: 'getReadiness',
        tags: ['health'],
        summary: o.summary ?? 'Whether the dependencies answer',
        security: [],
        response: { 200: ReadySchema, 503: ReadySchema },
      },
    },
    async (request, reply) => {
      const r = await checkReadiness(o.checks, CHECK_TIMEOUT_MS);
      const failed = Object.keys(r.details);
      const serving = failed.every((name) => o.degradable?.includes(name));
      if (!r.ok) (o.log ?? request.log).warn({ checks: r.details }, serving ? 'degraded' : 'not ready');
      const status = r.ok ? ('ok' as const) : serving ? ('degraded' as const) : ('unavailable' as const);
      const body = { status, checks: r.checks };
      const detailed = !r.ok && bearerMatches(request.headers.authorization, o.internalToken);
      return reply.code(serving ? 200 : 503).send(detailed ? { ...body, details: r.details } : body);
    },
  );
}
