import { request } from 'undici';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '@kino/config';

const TIMEOUT_MS = 5000;

/**
 * Registers the edge with the api now and every heartbeatSeconds, so the api can hand out
 * its URL. The api may be down or not started yet: a failed beat is logged (at warn when
 * the api stops answering, then quietly until it answers again) and never stops the edge.
 * Returns the function that stops the beats.
 */
export function startHeartbeat(config: Config, urls: { publicUrl: string; internalUrl: string }, log: FastifyBaseLogger): () => void {
  const { edge } = config;
  const url = `${edge.apiUrl}/internal/edges/heartbeat`;
  const body = JSON.stringify({ id: edge.id, region: edge.region, public_url: urls.publicUrl, internal_url: urls.internalUrl });
  const abort = new AbortController();
  let failing = false;

  const beat = async () => {
    try {
      const res = await request(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.internalToken}`, 'content-type': 'application/json' },
        body,
        signal: abort.signal,
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
      await res.body.dump();
      if (res.statusCode >= 300) throw new Error(`the api answered ${res.statusCode}`);
      if (failing) log.info({ url }, 'edge registration: the api answers again');
      failing = false;
    } catch (err) {
      if (abort.signal.aborted) return;
      if (!failing) log.warn({ url, err: (err as Error).message }, 'edge registration failed; retrying every heartbeat');
      else log.debug({ url, err: (err as Error).message }, 'edge registration failed');
      failing = true;
    }
  };

  void beat();
  const timer = setInterval(() => void beat(), edge.heartbeatSeconds * 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    abort.abort();
  };
}
