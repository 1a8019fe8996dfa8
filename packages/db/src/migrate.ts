import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Sql } from './client.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK = 0x6b696e6f; // "kino"

export interface MigrateResult {
  applied: string[];
}

/**
 * Applies the numbered SQL files in migrations/ that this database has not seen, in order,
 * in one transaction. The transaction-scoped advisory lock makes a second process that
 * starts at the same moment wait and then find nothing left to do.
 */
export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const files = (await readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`
      create table if not exists schema_migrations (
        name text primary key,
        applied_at timestamptz not null default now()
      )`;
    const done = new Set((await tx<{ name: string }[]>`select name from schema_migrations`).map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await tx.unsafe(await readFile(`${dir}/${file}`, 'utf8'));
      await tx`insert into schema_migrations (name) values (${file})`;
      applied.push(file);
    }
    return { applied };
  });
}
