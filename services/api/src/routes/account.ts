import type { FastifyInstance } from 'fastify';
import { LIMIT_NAMES, QUOTAS, RATE_CLASSES } from '@kino/config';
import { typed, Uuid } from '@kino/http';
import { keyedErrors } from '../schemas.ts';
import { accountUsage } from '@kino/tenancy';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';

const Counts = (names: readonly string[], description: string) =>
  Type.Object(Object.fromEntries(names.map((n) => [n, Type.Number({ minimum: 0 })])), { description });

export async function accountRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  typed(scope).get(
    '/v1/account',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'getAccount',
        summary: "The key's account: its plan, limits and what it uses of them",
        description:
          'Rate limits are per key and per route class (`*_per_minute`, also the burst); quotas are per account. ' +
          'An upload, key or webhook that would pass a quota is refused with 403 QUOTA_EXCEEDED.',
        tags: ['account'],
        response: {
          200: Type.Object({
            id: Uuid(),
            name: Type.String(),
            plan: Type.String(),
            created_at: Type.String({ format: 'date-time' }),
            limits: Counts(LIMIT_NAMES, 'The plan’s limits with this account’s own exceptions.'),
            usage: Counts(QUOTAS, 'What the account holds now, against its quotas.'),
            rate_classes: Type.Array(Type.String(), { description: 'The route classes rate limits are counted by.' }),
          }),
          ...keyedErrors(),
        },
      },
    },
    async (request) => {
      const a = request.account;
      return {
        id: a.id,
        name: a.name,
        plan: a.plan,
        created_at: a.created_at.toISOString(),
        limits: request.limits,
        usage: await accountUsage(deps.sql, a.id),
        rate_classes: [...RATE_CLASSES],
      };
    },
  );
}
