export * from './admit.ts';
export * from './byte-limit.ts';
export * from './errors.ts';
export * from './fingerprint.ts';
export * from './ingest.ts';
export * from './read-head.ts';
export * from './sniff.ts';
export * from './sweep.ts';
