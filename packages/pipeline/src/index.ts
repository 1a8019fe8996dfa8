export * from './artifacts.ts';
export * from './delete-asset.ts';
export * from './process-source.ts';
export * from './purge-asset.ts';
export * from './scratch.ts';
export * from './segments.ts';
