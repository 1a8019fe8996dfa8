import { resolve } from 'node:path';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

export interface ClickHouseOptions {
  /** A server's HTTP interface; unset means the embedded engine at `path`. */
  url?: string | undefined;
  path: string;
  database: string;
  username?: string;
  password?: string;
}

export interface ClickHouseHandle {
  client: ClickHouseClient;
  /** True for the in-process engine (chdb). */
  embedded: boolean;
  database: string;
  close(): Promise<void>;
}

// chdb is one engine per process bound to one data directory: every role in the process
// shares it, and it is closed when the last of them lets go.
let engine: { path: string; users: number; admin: ClickHouseClient } | undefined;

// UInt64 counts fit a double for any realistic total; numbers keep server and chdb alike.
const SETTINGS = { output_format_json_quote_64bit_integers: 0, date_time_input_format: 'best_effort' } as const;
// Telemetry batches arrive already encoded (rows.ts): a string value is sent as it is.
const JSON_CODEC = { parse: JSON.parse, stringify: (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)) };

type Connection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

// chdb types its connection against @clickhouse/client-common, while the client bundles its
// own copy of those types; the shapes are the same interface, so the cast only bridges copies.
const chdbConnection = (path: string): Connection => createChdbConnection({ path }) as unknown as Connection;

/**
 * A @clickhouse/client on the configured database, created if missing: a server over HTTP,
 * or chdb through `chdb/connection`. Every query and insert is then the same code.
 */
export async function openClickHouse(o: ClickHouseOptions): Promise<ClickHouseHandle> {
  if (o.url) {
    // The client would log every failed request; the store and emitter log outages once.
    const auth = { username: o.username ?? 'default', password: o.password ?? '', log: { level: ClickHouseLogLevel.OFF } };
    const admin = createClient({ url: o.url, ...auth, request_timeout: 10_000 });
    try {
      await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${o.database}` });
    } finally {
      await admin.close();
    }
    const client = createClient({
      url: o.url,
      ...auth,
      database: o.database,
      clickhouse_settings: SETTINGS,
      json: JSON_CODEC,
      request_timeout: 30_000,
    });
    return { client, embedded: false, database: o.database, close: () => client.close() };
  }

  const path = resolve(o.path);
  if (engine === undefined) {
    engine = { path, users: 0, admin: createClient({ connection: chdbConnection(path) }) };
  } else if (engine.path !== path) {
    throw new Error(`embedded ClickHouse is already open at ${engine.path} in this process; it cannot also open ${path}`);
  }
  const shared = engine;
  shared.users++;
  const release = async () => {
    if (--shared.users === 0 && engine === shared) {
      engine = undefined;
      await shared.admin.close();
    }
  };
  try {
    await shared.admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${o.database}` });
  } catch (err) {
    await release();
    throw err;
  }
  // chdb's connection ignores `database`; USE sets it for this connection's session. The
  // session also keeps every setting a query passes (as SET), which is why each insert
  // carries its own insert_deduplication_token: an insert without one would inherit the
  // last one and be dropped as a duplicate of that batch.
  const client = createClient({ connection: chdbConnection(path), clickhouse_settings: SETTINGS, json: JSON_CODEC });
  try {
    await client.command({ query: `USE ${o.database}` });
  } catch (err) {
    await client.close();
    await release();
    throw err;
  }
  let closed = false;
  return {
    client,
    embedded: true,
    database: o.database,
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
      await release();
    },
  };
}
