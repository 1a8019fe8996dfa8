import { randomBytes, randomUUID } from 'node:crypto';
import { copyFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { scratchDir, testClickHousePath } from '@kino/testkit';
import { CLICKHOUSE_DIR, migrateClickHouse, openClickHouse, type ClickHouseHandle, type PlaybackRequestRow } from '../src/index.ts';

/**
 * A migrated ClickHouse database of its own on this process's embedded engine; with
 * `upTo`, migrated only up to that file number, as an older deployment would be.
 */
export async function openTestClickHouse(o: { upTo?: string } = {}): Promise<ClickHouseHandle & { drop(): Promise<void> }> {
  const database = `kino_test_${randomBytes(6).toString('hex')}`;
  const ch = await openClickHouse({ url: process.env['CLICKHOUSE_URL'], path: testClickHousePath(), database });
  let dir = CLICKHOUSE_DIR;
  if (o.upTo !== undefined) {
    dir = await scratchDir('kino-clickhouse-sql-');
    for (const f of await readdir(CLICKHOUSE_DIR))
      if (f.endsWith('.sql') && f.slice(0, 3) <= o.upTo) await copyFile(join(CLICKHOUSE_DIR, f), join(dir, f));
  }
  await migrateClickHouse(ch.client, { retentionDays: 400, dir });
  return {
    ...ch,
    async drop() {
      await ch.client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
      await ch.close();
    },
  };
}

export function requestRow(o: Partial<PlaybackRequestRow> = {}): PlaybackRequestRow {
  return {
    event_id: randomUUID(),
    observed_at: Date.now(),
    account_id: 'acct-a',
    asset_id: ASSET,
    artifact_path: 'hls/720p/3.m4s',
    artifact_kind: 'segment',
    rendition: '720p',
    edge_id: 'edge-1',
    region: 'eu',
    cache_status: 'HIT',
    status_code: 200,
    bytes_served: 1000,
    duration_ms: 2,
    error_code: '',
    ...o,
  };
}

export const ASSET = '0b6c3c6e-1a52-4a0e-9a4e-2f4f1f0c9b11';
