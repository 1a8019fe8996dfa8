export * from './client.ts';
export * from './objects.ts';
export * from './embedded.ts';
