import { request } from 'undici';
import { healthyEdges, type EdgeRow, type Queryable } from '@kino/db';

export interface ChosenEdge {
  id: string | null;
  region: string | null;
  url: string;
}

/**
 * The edge a viewer is sent to: a healthy edge in the hinted region, else any healthy edge,
 * else the configured fallback; null when there is none at all.
 */
export async function pickEdge(
  sql: Queryable,
  o: { region?: string | undefined; healthySeconds: number; fallbackUrl?: string | undefined },
): Promise<ChosenEdge | null> {
  const edges = await healthyEdges(sql, o.healthySeconds);
  const edge = edges.find((e) => e.region === o.region) ?? edges[0];
  if (edge) return { id: edge.id, region: edge.region, url: edge.public_url };
  return o.fallbackUrl ? { id: null, region: null, url: o.fallbackUrl } : null;
}

export interface WarmOutcome {
  edge: string;
  ok: boolean;
  detail?: string;
}

/**
 * Asks every edge to fill its cache with `paths` before anyone asks for them. Bounded
 * fan-out and a short timeout: warming is an optimisation, so failures are reported,
 * never thrown.
 */
export async function warmEdges(
  edges: EdgeRow[],
  assetId: string,
  paths: string[],
  o: { internalToken: string; timeoutMs?: number; concurrency?: number },
): Promise<WarmOutcome[]> {
  if (paths.length === 0) return [];
  const body = JSON.stringify({ asset_id: assetId, artifact_paths: paths });
  const outcomes: WarmOutcome[] = [];
  const queue = [...edges];
  const lane = async () => {
    for (let e = queue.shift(); e; e = queue.shift()) {
      try {
        const res = await request(`${e.internal_url}/internal/warm`, {
          method: 'POST',
          headers: { authorization: `Bearer ${o.internalToken}`, 'content-type': 'application/json' },
          body,
          headersTimeout: o.timeoutMs ?? 5000,
          bodyTimeout: o.timeoutMs ?? 5000,
        });
        const text = await res.body.text();
        outcomes.push(res.statusCode < 300 ? { edge: e.id, ok: true } : { edge: e.id, ok: false, detail: `${res.statusCode} ${text.slice(0, 200)}` });
      } catch (err) {
        outcomes.push({ edge: e.id, ok: false, detail: (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 8, edges.length) }, lane));
  return outcomes;
}
