import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDb, migrate, type Sql } from '@kino/db';

export interface TestDatabase {
  url: string;
  /** Also the test's ClickHouse database name (see createTestConfig). */
  name: string;
  sql: Sql;
  drop(): Promise<void>;
}

/**
 * A new, migrated database on the server of DATABASE_URL, so test files run in parallel
 * and beside a running `npm run up` without seeing each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = new URL(process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/kino');
  const name = `kino_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres({ ...connectionOf(base, 'postgres'), max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const sql = createDb(url.toString(), { max: 10, applicationName: 'kino-test' });
  await migrate(sql);
  return {
    url: url.toString(),
    name,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const admin = postgres({ ...connectionOf(base, 'postgres'), max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

function connectionOf(url: URL, database: string) {
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
    database,
  };
}
