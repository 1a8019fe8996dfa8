export * from './block.ts';
export * from './edges.ts';
export * from './startup.ts';
