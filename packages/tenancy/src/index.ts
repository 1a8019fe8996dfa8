export * from './access.ts';
export * from './authenticator.ts';
export * from './limits.ts';
export * from './usage.ts';
export * from './accounts.ts';
export * from './key-watch.ts';
