import pMap from 'p-map';
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

export interface EdgeOutcome {
  edge: string;
  ok: boolean;
  detail?: string;
}

export interface EdgeCallOptions {
  internalToken: string;
  timeoutMs?: number;
  concurrency?: number;
}

/**
 * POSTs one internal request to every edge with bounded fan-out and a short timeout.
 * Outcomes are reported, never thrown: one edge down must not stop the others.
 */
async function callEdges(edges: EdgeRow[], path: string, payload: unknown, o: EdgeCallOptions): Promise<EdgeOutcome[]> {
  const body = JSON.stringify(payload);
  return pMap(
    edges,
    async (e): Promise<EdgeOutcome> => {
      try {
        const res = await request(`${e.internal_url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${o.internalToken}`, 'content-type': 'application/json' },
          body,
          headersTimeout: o.timeoutMs ?? 5000,
          bodyTimeout: o.timeoutMs ?? 5000,
        });
        const text = await res.body.text();
        return res.statusCode < 300
          ? { edge: e.id, ok: true }
          : { edge: e.id, ok: false, detail: `${res.statusCode} ${text.slice(0, 200)}` };
      } catch (err) {
        return { edge: e.id, ok: false, detail: (err as Error).message };
      }
    },
    { concurrency: o.concurrency ?? 8 },
  );
}

/** Asks every edge to fill its cache with `paths` before anyone asks for them. */
export function warmEdges(edges: EdgeRow[], assetId: string, paths: string[], o: EdgeCallOptions): Promise<EdgeOutcome[]> {
  if (paths.length === 0) return Promise.resolve([]);
  return callEdges(edges, '/internal/warm', { asset_id: assetId, artifact_paths: paths }, o);
}

/**
 * Tells every edge to drop an asset's cached files and to refuse its tokens from now on
 * (a deleted asset). An edge that misses this catches up from the revocation list.
 */
export function purgeEdges(edges: EdgeRow[], assetId: string, o: EdgeCallOptions): Promise<EdgeOutcome[]> {
  return callEdges(edges, '/internal/purge', { asset_id: assetId, revoke: true }, o);
}
