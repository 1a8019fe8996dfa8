export * from './preset.ts';
export * from './store.ts';
export * from './estimate.ts';
