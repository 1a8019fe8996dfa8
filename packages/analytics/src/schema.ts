import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ClickHouseClient } from '@clickhouse/client';

export const CLICKHOUSE_DIR = fileURLToPath(new URL('../../../clickhouse/', import.meta.url));

/** Tables whose TTL follows CLICKHOUSE_RETENTION_DAYS, with the column it counts from. */
const RETAINED: Record<string, string> = {
  playback_requests: 'toDateTime(observed_at)',
  playback_hourly: 'hour',
  asset_hourly: 'hour',
  player_events: 'toDateTime(observed_at)',
};

/**
 * Applies the numbered SQL files in clickhouse/ this database has not seen, in order, and
 * records each in `schema_versions`. ClickHouse has no DDL transactions: every statement is
 * written `IF NOT EXISTS`, so two processes starting together, or a file cut off half way,
 * simply run it again. Then sets the retention TTL where it differs from the configured one.
 */
export async function migrateClickHouse(client: ClickHouseClient, o: { retentionDays: number; dir?: string }): Promise<string[]> {
  const dir = o.dir ?? CLICKHOUSE_DIR;
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_versions (name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
            ENGINE = ReplacingMergeTree ORDER BY name`,
  });
  const rows = await (await client.query({ query: 'SELECT name FROM schema_versions FINAL', format: 'JSONEachRow' })).json<{
    name: string;
  }>();
  const done = new Set(rows.map((r) => r.name));
  const applied: string[] = [];
  for (const file of (await readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort()) {
    if (done.has(file)) continue;
    for (const statement of splitStatements(await readFile(`${dir}/${file}`, 'utf8'))) {
      await client.command({ query: statement });
    }
    await client.insert({
      table: 'schema_versions',
      values: [{ name: file }],
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: `schema:${file}` },
    });
    applied.push(file);
  }
  await applyRetention(client, o.retentionDays);
  return applied;
}

/** Statements end with `;` at the end of a line; `--` comment lines are dropped first. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !/^\s*--/.test(line))
    .join('\n')
    .split(/;[ \t]*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

// MODIFY TTL rewrites every part to apply it, so it only runs when the days changed.
async function applyRetention(client: ClickHouseClient, days: number): Promise<void> {
  for (const [table, column] of Object.entries(RETAINED)) {
    const shown = await (
      await client.query({
        query: 'SELECT create_table_query AS q FROM system.tables WHERE database = currentDatabase() AND name = {table:String}',
        query_params: { table },
        format: 'JSONEachRow',
      })
    ).json<{ q: string }>();
    const current = shown[0]?.q;
    // ClickHouse shows `INTERVAL 400 DAY` back as `toIntervalDay(400)`.
    const ttl = current === undefined ? undefined : /toIntervalDay\((\d+)\)|INTERVAL (\d+) DAY/.exec(current);
    if (ttl == null || Number(ttl[1] ?? ttl[2]) === days) continue;
    await client.command({ query: `ALTER TABLE ${table} MODIFY TTL ${column} + INTERVAL ${days} DAY` });
  }
}
