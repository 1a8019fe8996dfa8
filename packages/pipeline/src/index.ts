export * from './artifacts.ts';
export * from './process-source.ts';
