import { request } from 'undici';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '@kino/config';
import type { AskForSegment, SegmentAnswer } from '@kino/edge-cache';
import type { EdgeMetrics } from './metrics.ts';

// The api answers within its own wait for the segment (JIT_WAIT_SECONDS); this much past
// it, it is not answering at all.
const MARGIN_MS = 10_000;
const SECONDS = /^\d+$/;

export type AskOutcome = SegmentAnswer['status'] | 'failed';

/**
 * Asks the api to make a planned segment (or an image variant) the origin does not have yet
 * (`POST /internal/segments`). A 200 says it is at the origin, a 404 that it never will be,
 * a 403 that the asset has no room for another image variant, a 503
 * with Retry-After that the encoders are saturated or the segment is not made yet; anything
 * else, or no answer, throws, and the viewer's fill fails as if the origin were down. A
 * failing api is logged at warn once, then quietly until it answers again: every missing
 * segment of every viewer would otherwise log the same outage.
 */
export function createSegmentAsk(config: Config, metrics: EdgeMetrics, log: FastifyBaseLogger): AskForSegment {
  const url = `${config.edge.apiUrl}/internal/segments`;
  const headers = { authorization: `Bearer ${config.internalToken}`, 'content-type': 'application/json' };
  let failing = false;
  const timeoutMs = config.segments.waitSeconds * 1000 + MARGIN_MS;

  const askOnce = async (assetId: string, path: string, signal: AbortSignal): Promise<SegmentAnswer> => {
    const res = await request(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ asset_id: assetId, path }),
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    if (res.statusCode === 200) {
      const body = (await res.body.json()) as { status?: unknown };
      if (body.status === 'ready') return { status: 'ready' };
      throw new Error(`the api answered 200 with status ${JSON.stringify(body.status)}`);
    }
    await res.body.dump();
    if (res.statusCode === 404) return { status: 'refused' };
    if (res.statusCode === 403) return { status: 'limited' };
    const retryAfter = res.headers['retry-after'];
    if (res.statusCode === 503 && typeof retryAfter === 'string' && SECONDS.test(retryAfter)) {
      return { status: 'busy', retryAfterSec: Number(retryAfter) };
    }
    throw new Error(`the api answered ${res.statusCode}`);
  };

  return async (assetId, path, signal) => {
    try {
      const answer = await askOnce(assetId, path, signal);
      metrics.segmentAsk(answer.status);
      if (failing) log.info('segment requests: the api answers again');
      failing = false;
      return answer;
    } catch (err) {
      // The viewers left or the edge is stopping: nothing went wrong with the api.
      if (signal.aborted) throw err;
      metrics.segmentAsk('failed');
      const fields = { assetId, path, err: (err as Error).message };
      if (!failing) log.warn(fields, 'asking the api for a segment failed; such segments fail with 502 until it answers');
      else log.debug(fields, 'asking the api for a segment failed');
      failing = true;
      throw err;
    }
  };
}
