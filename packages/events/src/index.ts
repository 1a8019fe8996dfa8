export * from './bus.ts';
export * from './log.ts';
export * from './notify.ts';
export * from './types.ts';
export * from './wait.ts';
