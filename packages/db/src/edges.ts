import type { Queryable } from './client.ts';

export interface EdgeRow {
  id: string;
  region: string;
  public_url: string;
  internal_url: string;
  registered_at: Date;
  last_seen_at: Date;
}

export interface EdgeHeartbeat {
  id: string;
  region: string;
  publicUrl: string;
  internalUrl: string;
}

/** Registers an edge or refreshes it; an edge that moved keeps its id and gets the new URLs. */
export async function recordEdgeHeartbeat(sql: Queryable, e: EdgeHeartbeat): Promise<void> {
  await sql`
    insert into edges (id, region, public_url, internal_url)
    values (${e.id}, ${e.region}, ${e.publicUrl}, ${e.internalUrl})
    on conflict (id) do update set
      region = excluded.region, public_url = excluded.public_url,
      internal_url = excluded.internal_url, last_seen_at = now()`;
}

/** Edges that sent a heartbeat within `maxAgeSeconds`, most recently seen first. */
export async function healthyEdges(sql: Queryable, maxAgeSeconds: number): Promise<EdgeRow[]> {
  return sql<EdgeRow[]>`
    select * from edges
    where last_seen_at > now() - make_interval(secs => ${maxAgeSeconds})
    order by last_seen_at desc`;
}
