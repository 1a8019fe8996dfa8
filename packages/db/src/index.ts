export * from './client.ts';
export * from './migrate.ts';
export * from './accounts.ts';
export * from './assets.ts';
export * from './edges.ts';
export * from './revocations.ts';
export * from './static-renditions.ts';
export * from './account-usage.ts';
