export * from './client.ts';
export type { ClickHouseClient } from '@clickhouse/client';
export * from './emitter.ts';
export * from './queries.ts';
export * from './rows.ts';
export * from './schema.ts';
export * from './spool.ts';
export * from './store.ts';
export * from './window.ts';
