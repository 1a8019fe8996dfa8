export * from './artifact.ts';
export * from './playback-path.ts';
export * from './origin.ts';
export * from './object.ts';
export * from './cache.ts';
export { Fill, FillError, type OriginResult } from './fill.ts';
export type { Logger } from './disk-tier.ts';
export * from './http.ts';
export { sendFile } from './send-file.ts';
