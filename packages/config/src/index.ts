export * from './config.ts';
export * from './run-role.ts';
export * from './plans.ts';
