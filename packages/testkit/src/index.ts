export * from './config.ts';
export * from './database.ts';
export * from './s3.ts';
export * from './fixtures.ts';
export * from './hostile.ts';
export * from './probe.ts';
