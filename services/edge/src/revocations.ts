import { request } from 'undici';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '@kino/config';

const TIMEOUT_MS = 5000;

/**
 * Deleted assets whose tokens may still be in circulation. A token cannot outlive its
 * asset by more than the longest token lifetime, so an entry is kept that long after the
 * deletion and then forgotten. Filled by purges that carry `revoke` and by the api's list.
 */
export class Revocations {
  // asset id → epoch ms after which the entry can go
  private readonly until = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  get size(): number {
    return this.until.size;
  }

  /** On the hot path: one Map lookup for an asset that was never deleted. */
  has(assetId: string): boolean {
    const t = this.until.get(assetId);
    if (t === undefined) return false;
    if (t > Date.now()) return true;
    this.until.delete(assetId);
    return false;
  }

  add(assetId: string, deletedAtMs = Date.now()): void {
    const t = deletedAtMs + this.windowMs;
    if (t > (this.until.get(assetId) ?? 0)) this.until.set(assetId, t);
  }

  prune(): void {
    const now = Date.now();
    for (const [id, t] of this.until) if (t <= now) this.until.delete(id);
  }
}

interface RevocationList {
  assets: Array<{ id: string; deleted_at: string }>;
}

/**
 * Pulls the api's revocation list now and every heartbeatSeconds, so an edge that missed a
 * purge (down, or not yet registered) still refuses deleted assets. Like the heartbeat, a
 * failure is logged and never stops the edge. Returns the function that stops the pulls.
 */
export function startRevocationSync(config: Config, revocations: Revocations, log: FastifyBaseLogger): () => void {
  const url = `${config.edge.apiUrl}/internal/revocations`;
  const abort = new AbortController();
  let failing = false;

  const pull = async () => {
    try {
      const res = await request(url, {
        headers: { authorization: `Bearer ${config.internalToken}`, accept: 'application/json' },
        signal: abort.signal,
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new Error(`the api answered ${res.statusCode}`);
      }
      const list = (await res.body.json()) as RevocationList;
      for (const a of list.assets) revocations.add(a.id, Date.parse(a.deleted_at));
      revocations.prune();
      if (failing) log.info({ url }, 'revocation list: the api answers again');
      failing = false;
    } catch (err) {
      if (abort.signal.aborted) return;
      if (!failing) log.warn({ url, err: (err as Error).message }, 'revocation list could not be fetched; retrying every heartbeat');
      else log.debug({ url, err: (err as Error).message }, 'revocation list could not be fetched');
      failing = true;
    }
  };

  void pull();
  const timer = setInterval(() => void pull(), config.edge.heartbeatSeconds * 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    abort.abort();
  };
}
