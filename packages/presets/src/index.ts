export * from './preset.ts';
export * from './store.ts';
