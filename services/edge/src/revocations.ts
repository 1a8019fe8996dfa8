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

  /** True when the asset was not known to be revoked before. */
  add(assetId: string, deletedAtMs = Date.now(), windowMs = this.windowMs): boolean {
    const t = deletedAtMs + Math.max(windowMs, this.windowMs);
    const known = this.until.has(assetId);
    if (t > (this.until.get(assetId) ?? 0)) this.until.set(assetId, t);
    return !known;
  }

  prune(): void {
    const now = Date.now();
    for (const [id, t] of this.until) if (t <= now) this.until.delete(id);
  }
}

interface RevocationList {
  window_seconds?: number;
  /** Where the next pull starts (`since`); an api without one sends the whole list each time. */
  cursor?: string;
  /** The page was full: pull the next one at once. */
  more?: boolean;
  assets: Array<{ id: string; deleted_at: string }>;
}

// A pull follows `more` at most this many pages, then carries on at the next heartbeat.
const MAX_PAGES_PER_PULL = 100;

export interface RevocationSync {
  /** Settles after the first pull, whatever its outcome. */
  first: Promise<void>;
  stop(): void;
}

/**
 * Pulls the api's revocation list now and every heartbeatSeconds, so an edge that missed a
 * purge (down, or not yet registered, or restarted with the files on disk) still refuses
 * deleted assets, and `onRevoked` drops the cached files of each one it learns of. Like the
 * heartbeat, a failure is logged and never stops the edge.
 *
 * The first pull takes the whole list (deletions within the longest token lifetime); later
 * ones only what was deleted since the cursor the api returned, so a heartbeat costs the
 * api and the edge nothing when nothing was deleted. The cursor lives in memory: a
 * restarted edge starts with the whole list again. A failed pull keeps the cursor, so the
 * next one resumes where it left off.
 */
export function startRevocationSync(
  config: Config,
  revocations: Revocations,
  log: FastifyBaseLogger,
  onRevoked: (assetId: string) => void,
): RevocationSync {
  const url = `${config.edge.apiUrl}/internal/revocations`;
  const abort = new AbortController();
  let failing = false;
  let cursor: string | undefined;
  let pulling = false;

  const fetchPage = async (): Promise<RevocationList> => {
    const res = await request(cursor === undefined ? url : `${url}?since=${encodeURIComponent(cursor)}`, {
      headers: { authorization: `Bearer ${config.internalToken}`, accept: 'application/json' },
      signal: abort.signal,
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`the api answered ${res.statusCode}`);
    }
    return (await res.body.json()) as RevocationList;
  };

  const pull = async () => {
    // A slow api must not have heartbeats stack pulls on top of each other.
    if (pulling) return;
    pulling = true;
    try {
      for (let page = 0; page < MAX_PAGES_PER_PULL; page++) {
        const list = await fetchPage();
        // The api knows the longest token lifetime; never forget sooner than it says.
        const windowMs = (list.window_seconds ?? 0) * 1000;
        for (const a of list.assets) if (revocations.add(a.id, Date.parse(a.deleted_at), windowMs)) onRevoked(a.id);
        // Only once the page is applied: a pull that fails half way repeats it.
        cursor = list.cursor;
        if (!list.more || cursor === undefined) break;
      }
      revocations.prune();
      if (failing) log.info({ url }, 'revocation list: the api answers again');
      failing = false;
    } catch (err) {
      if (abort.signal.aborted) return;
      if (!failing) log.warn({ url, err: (err as Error).message }, 'revocation list could not be fetched; retrying every heartbeat');
      else log.debug({ url, err: (err as Error).message }, 'revocation list could not be fetched');
      failing = true;
    } finally {
      pulling = false;
    }
  };

  const first = pull();
  const timer = setInterval(() => void pull(), config.edge.heartbeatSeconds * 1000);
  timer.unref();
  return {
    first,
    stop() {
      clearInterval(timer);
      abort.abort();
    },
  };
}
