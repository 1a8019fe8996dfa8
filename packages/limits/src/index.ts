export * from './headers.ts';
export * from './shared-limiter.ts';
