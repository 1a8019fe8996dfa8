export * from './breaker.ts';
export * from './dispatcher.ts';
export * from './retry.ts';
export * from './send.ts';
export * from './signing.ts';
export * from './store.ts';
