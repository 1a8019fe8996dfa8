import type { FastifyInstance } from 'fastify';
import { BEACON_LIMITS, PLAYER_EVENT_TYPES } from '@kino/artifacts';
import type { Config } from '@kino/config';
import { CORS_HEADERS } from '@kino/edge-cache';
import { enforceRateLimit, RateLimiter, StringEnum, typed } from '@kino/http';
import type { PlaybackVerifier } from '@kino/tokens';
import { Type } from 'typebox';
import { BeaconAuthorizer } from '../beacon-auth.ts';
import { ApiError } from '../errors.ts';
import type { Revocations } from '../revocations.ts';
import type { EdgeTelemetry } from '../telemetry.ts';

export const MAX_BEACON_BYTES = BEACON_LIMITS.maxBytes;
const MAX_EVENTS = BEACON_LIMITS.maxEvents;
// A view that outlives its token still reports how it ended: beacons accept a genuine
// token this long after it expired (they grant no bytes, only a say in the QoE numbers).
const EXPIRED_GRACE_SECONDS = 24 * 3600;
// Bounds on what a flood can make the edge remember: each entry is a few dozen bytes.
const MAX_EXPIRED_TOKENS = 50_000;
const MAX_LIMITED_KEYS = 50_000;
// Player clocks are off; a timestamp further than this from ours is replaced by ours.
const CLOCK_SKEW_MS = 24 * 3600 * 1000;

const BeaconEvent = Type.Object(
  {
    type: StringEnum(PLAYER_EVENT_TYPES),
    at: Type.Integer({ minimum: 0, description: 'When it happened, epoch milliseconds.' }),
    position: Type.Optional(Type.Number({ minimum: 0, maximum: 1e7, description: 'Seconds into the video.' })),
    value_ms: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 86_400_000,
        description: 'first_frame: time to first frame; rebuffer_end: stall length; view_end: time played.',
      }),
    ),
    rendition: Type.Optional(Type.String({ pattern: '^[a-z0-9]{1,16}$' })),
    bitrate: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9 })),
    error_code: Type.Optional(Type.String({ pattern: '^[A-Z0-9_]{1,64}$' })),
  },
  { additionalProperties: false },
);

const Beacon = Type.Object(
  {
    token: Type.String({ maxLength: 2048 }),
    // Lowercase hex only: ajv's `uuid` format also takes urn:uuid:…, which ClickHouse does not.
    view_id: Type.String({
      pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
      description: 'A lowercase UUID, new for each view.',
    }),
    events: Type.Array(BeaconEvent, { minItems: 1, maxItems: MAX_EVENTS }),
  },
  { additionalProperties: false },
);

export interface BeaconDeps {
  verifier: PlaybackVerifier;
  revocations: Pick<Revocations, 'has'>;
  telemetry: EdgeTelemetry | undefined;
  limits: Pick<Config['edge'], 'beaconRatePerToken' | 'beaconRatePerView'>;
}

/**
 * `POST /beacon`: QoE events from players, authorized by the playback token they play with.
 * Sent with navigator.sendBeacon as text/plain (no CORS preflight), parsed as JSON here.
 * Account and asset come from the verified token, never from the body. A deleted asset's
 * token is refused (410), and each token and each view id has its own rate (429), so one
 * token cannot pump rows into ClickHouse.
 */
export async function beaconRoutes(scope: FastifyInstance, deps: BeaconDeps): Promise<void> {
  const app = typed(scope);
  const auth = new BeaconAuthorizer(deps.verifier, deps.revocations, {
    expiredGraceSeconds: EXPIRED_GRACE_SECONDS,
    maxExpired: MAX_EXPIRED_TOKENS,
  });
  const perMinute = (n: number) => new RateLimiter({ burst: n, perSecond: n / 60, maxKeys: MAX_LIMITED_KEYS });
  const perToken = perMinute(deps.limits.beaconRatePerToken);
  const perView = perMinute(deps.limits.beaconRatePerView);
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(['text/plain', 'application/json'], { parseAs: 'string', bodyLimit: MAX_BEACON_BYTES }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new ApiError(400, 'INVALID_JSON', 'The beacon body is not valid JSON.'));
    }
  });
  app.addHook('onSend', async (_request, reply) => {
    for (let i = 0; i < CORS_HEADERS.length; i += 2) reply.header(CORS_HEADERS[i]!, CORS_HEADERS[i + 1]!);
  });

  app.options('/beacon', async (_request, reply) => {
    reply
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', 'content-type')
      .header('access-control-max-age', '86400');
    return reply.code(204).send();
  });

  app.post('/beacon', { bodyLimit: MAX_BEACON_BYTES, schema: { body: Beacon } }, async (request, reply) => {
    const { token, view_id: viewId, events } = request.body;
    const { claims, tokenKey } = await auth.authorize(token);
    // The token first: only a genuine token gets this far, and its own budget bounds how
    // many view ids it can make the edge remember.
    enforceRateLimit(perToken, tokenKey, reply, 'with this playback token');
    enforceRateLimit(perView, viewId, reply, 'for this view');
    const now = Date.now();
    for (const e of events) {
      deps.telemetry?.playerEvent({
        client_at: Math.abs(e.at - now) > CLOCK_SKEW_MS ? now : e.at,
        account_id: claims.accountId ?? '',
        asset_id: claims.assetId,
        view_id: viewId,
        type: e.type,
        position: e.position ?? 0,
        value_ms: e.value_ms ?? 0,
        rendition: e.rendition ?? '',
        bitrate: e.bitrate ?? 0,
        error_code: e.error_code ?? '',
      });
    }
    return reply.code(204).send();
  });
}
