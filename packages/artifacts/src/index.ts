export * from './images.ts';
export * from './keys.ts';
export * from './paths.ts';
export * from './playback-url.ts';
export * from './policy.ts';
export * from './wire.ts';
