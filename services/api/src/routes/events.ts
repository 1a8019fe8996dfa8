import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getAsset, isApiKeyActive } from '@kino/db';
import { EVENT_TYPES, envelope, eventsAfter, type AssetEventRow, type EventType } from '@kino/events';
import { AnyObject, Defaulted, errorBody, IdParams, Nullable, refTo, StringEnum, TextBody, typed, Uuid } from '@kino/http';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { keyedErrors } from '../schemas.ts';

export const EventSchema = Type.Required(
  Type.Object({
    id: Type.Integer({ description: 'The sequence number: increasing, in commit order, per deployment.' }),
    type: StringEnum(Object.keys(EVENT_TYPES) as EventType[]),
    asset_id: Nullable(Uuid(), { description: 'null for an event of the account itself (webhook.disabled).' }),
    created_at: Type.String({ format: 'date-time' }),
    data: AnyObject(),
  }),
  {
    $id: 'Event',
    description: Object.entries(EVENT_TYPES)
      .map(([type, text]) => `- \`${type}\`: ${text}`)
      .join('\n'),
  },
);

// Redis wakes streams at once; this poll only covers a lost announcement.
const POLL_MS = 5_000;
const PAGE = 500;

export async function eventRoutes(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const app = typed(scope);
  app.get(
    '/v1/assets/:id/events',
    {
      config: { access: 'read' },
      schema: {
        operationId: 'listAssetEvents',
        summary: "An asset's events in order",
        description: 'Pass `next_after_sequence` back as `after_sequence` to walk the log exactly once.',
        tags: ['events'],
        params: IdParams,
        querystring: Type.Object({
          after_sequence: Defaulted(Type.Integer({ minimum: 0, default: 0 })),
          limit: Defaulted(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
        response: {
          200: Type.Object({ data: Type.Array(refTo(EventSchema)), next_after_sequence: Type.Integer() }),
          ...keyedErrors(404),
        },
      },
    },
    async (request) => {
      if (!(await getAsset(deps.sql, request.account.id, request.params.id))) throw notFound('Asset');
      const rows = await eventsAfter(deps.sql, {
        accountId: request.account.id,
        assetId: request.params.id,
        afterSeq: request.query.after_sequence,
        limit: request.query.limit,
      });
      return { data: rows.map(envelope), next_after_sequence: rows.at(-1)?.seq ?? request.query.after_sequence };
    },
  );

  const open = new Map<string, number>();
  const streams = new Set<() => void>();
  // Streams never end by themselves: end them when the api stops, so it can.
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  app.get(
    '/v1/events',
    {
      config: { access: 'stream' },
      schema: {
        operationId: 'streamEvents',
        summary: 'Every event of the account, live (Server-Sent Events)',
        description:
          'text/event-stream: `id:` is the sequence, `event:` the type, `data:` the Event as JSON. Reconnect with ' +
          'Last-Event-ID (or after_sequence) to replay what was missed; without either the stream starts now, and opens ' +
          'with a block of `id:` alone, the sequence it starts after: a reconnection from there misses nothing. ' +
          'Comments (`: ping`) keep the connection alive. A client that reads too slowly is disconnected. ' +
          'The API key is re-checked on every ping: once it is revoked the stream ends with an `event: error` whose ' +
          'data is the usual error body (code `API_KEY_REVOKED`), and reconnecting answers 401.',
        tags: ['events'],
        querystring: Type.Object({
          asset_id: Type.Optional(Uuid({ description: "Only this asset's events (a 404 if it is not the account's)." })),
          after_sequence: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })) }),
        response: {
          200: TextBody('text/event-stream', 'An endless stream of Events: `id:` the sequence, `event:` the type, `data:` the Event.'),
          ...keyedErrors(404),
        },
      },
    },
    async (request, reply) => {
      const accountId = request.account.id;
      const limit = deps.config.events.maxStreamsPerAccount;
      if ((open.get(accountId) ?? 0) >= limit) {
        throw new ApiError(429, 'TOO_MANY_STREAMS', `At most ${limit} event streams per account at once; close one first.`);
      }
      // Counted before any await, so streams opened at the same moment cannot overshoot,
      // and given back exactly once however the stream ends.
      open.set(accountId, (open.get(accountId) ?? 0) + 1);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const n = (open.get(accountId) ?? 1) - 1;
        if (n === 0) open.delete(accountId);
        else open.set(accountId, n);
      };
      try {
        if (request.query.asset_id && !(await getAsset(deps.sql, accountId, request.query.asset_id))) throw notFound('Asset');
        const resume = request.headers['last-event-id'] ?? request.query.after_sequence;
        const cursor = resume !== undefined ? Number(resume) : await latestSequence(deps, accountId);
        const o = { accountId, keyId: request.apiKeyId, assetId: request.query.asset_id, cursor, announce: resume === undefined };
        let end: () => void = () => {};
        end = stream(request, reply, deps, o, () => {
          streams.delete(end);
          release();
        });
        streams.add(end);
      } catch (err) {
        release();
        throw err;
      }
    },
  );
}

async function latestSequence(deps: ApiDeps, accountId: string): Promise<number> {
  const [row] = await deps.sql<{ seq: number | null }[]>`select max(seq) as seq from asset_events where account_id = ${accountId}`;
  return row?.seq ?? 0;
}

const frame = (e: AssetEventRow) => `id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(envelope(e))}\n\n`;

/**
 * Replay and live delivery are one loop: read everything after the cursor from Postgres,
 * send it, move the cursor; repeat when Redis says there is more (or the poll fires). The
 * hand-off from replay to live therefore has no gap and no duplicate by construction.
 */
function stream(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ApiDeps,
  o: { accountId: string; keyId: string; assetId: string | undefined; cursor: number; announce: boolean },
  onClose: () => void,
): () => void {
  reply.hijack();
  const res = reply.raw;
  // The client may have gone while we authenticated and looked up the cursor; its
  // 'close' has fired already and will not fire again.
  const socket = request.raw.socket;
  if (res.destroyed || socket.destroyed || socket.readableEnded) {
    onClose();
    return () => {};
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });
  // A stream that starts "now" says where now is: an `id:` alone sets the client's last event
  // id (EventSource's too), so a drop before the first event reconnects from here, not from
  // a later "now" that would skip what happened in between.
  res.write(o.announce ? `id: ${o.cursor}\n: connected\n\n` : ': connected\n\n');
  let cursor = o.cursor;
  let reading = false;
  let again = false;
  let closed = false;
  const maxBuffer = deps.config.events.maxStreamBufferBytes;

  const pump = async () => {
    if (closed) return;
    if (reading) return void (again = true);
    reading = true;
    try {
      do {
        again = false;
        const rows = await eventsAfter(deps.sql, { accountId: o.accountId, assetId: o.assetId, afterSeq: cursor, limit: PAGE });
        for (const e of rows) {
          if (closed) return;
          res.write(frame(e));
          cursor = e.seq;
        }
        // A client that cannot keep up is let go (it resumes with Last-Event-ID) rather
        // than growing this process's memory without bound.
        if (res.writableLength > maxBuffer) {
          request.log.warn({ accountId: o.accountId, buffered: res.writableLength }, 'event stream too slow; disconnecting');
          res.destroy();
          return;
        }
        if (rows.length === PAGE) again = true;
      } while (again && !closed);
    } catch (err) {
      request.log.warn({ err }, 'reading events failed; retrying on the next wake-up');
    } finally {
      reading = false;
    }
  };

  const unsubscribe = deps.eventFeed.subscribe(o.accountId, () => void pump());
  // A key change anywhere re-checks this stream's key at once (within a second of a
  // revocation, while Redis carries the news); the heartbeat below is the fallback.
  const unwatch = deps.keyWatch.watch(o.keyId, () => endRevoked());
  const poll = setInterval(() => void pump(), POLL_MS);
  // A stream outlives the request that authenticated it, so every heartbeat asks again
  // whether its key is still live: a revoked key loses its streams within one interval even
  // when the news of it never came.
  // Postgres being away is not a revocation; the next heartbeat asks again.
  let checking = false;
  const beat = async () => {
    if (closed || checking) return;
    checking = true;
    try {
      if (!(await isApiKeyActive(deps.sql, o.keyId))) return void endRevoked();
    } catch (err) {
      request.log.warn({ err }, 'could not re-check the API key of an event stream; asking again next heartbeat');
    } finally {
      checking = false;
    }
    if (!closed) res.write(': ping\n\n');
  };
  const heartbeat = setInterval(() => void beat(), deps.config.events.heartbeatSeconds * 1000);
  const endRevoked = () => {
    if (closed) return;
    request.log.info({ accountId: o.accountId, keyId: o.keyId }, 'API key revoked; ending its event stream');
    // The one error shape, as an SSE event: no `id:`, so Last-Event-ID stays where it was.
    const revoked = new ApiError(401, 'API_KEY_REVOKED', 'The API key of this stream was revoked or expired, or its account disabled.');
    res.write(`event: error\ndata: ${errorBody(revoked, request.id)}\n\n`);
    end();
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    unwatch();
    clearInterval(poll);
    clearInterval(heartbeat);
    onClose();
  };
  res.on('close', finish);
  res.on('error', () => {}); // a write to a vanished client; 'close' follows
  // An SSE client never half-closes: its end of the connection closing means it left.
  // Without this the slot would be held until the next heartbeat write failed.
  socket.once('end', () => res.destroy());
  void pump();
  // Shutdown and revocation: stop writing at once, end the response, and cut it off if it
  // will not drain.
  const end = () => {
    finish();
    res.end();
    setTimeout(() => res.destroy(), 2000).unref();
  };
  return end;
}
