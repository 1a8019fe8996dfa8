import postgres from 'postgres';

export type Sql = postgres.Sql;
/** Anything that runs a query: the pool or a transaction. */
export type Queryable = postgres.Sql | postgres.TransactionSql;

export interface DbOptions {
  max?: number;
  /** Shown in pg_stat_activity, so a stuck connection can be traced to its role. */
  applicationName?: string;
}

export function createDb(url: string, opts: DbOptions = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: opts.applicationName ?? 'kino' },
    // bigint ids and byte counts come back as JS numbers: they stay far below 2^53.
    types: {
      bigint: { to: 20, from: [20], serialize: (n: number) => String(n), parse: (s: string) => Number(s) },
    },
  });
}
