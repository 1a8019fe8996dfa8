// @kino/sdk: the browser-safe entry (fetch, WebCrypto and web streams only). Node-only
// helpers (uploading a file by path) are in '@kino/sdk/node'.
export { createKino, type Kino, type KinoOptions } from './client.ts';
export { isAbort, KinoError } from './errors.ts';
export type { ListOptions, WaitOptions, WaitState } from './assets.ts';
export type { StreamOptions } from './events.ts';
export type { ImportOptions } from './videos.ts';
export type { UploadBody, UploadInput, UploadOptions, UploadProgress, UploadResumeStore, UploadSource } from './uploads.ts';
export type { VerifyOptions, WebhookHeaders } from './verify.ts';
export { verifyWebhook } from './verify.ts';
export type { Asset, KinoEvent, KinoEventType, PlayableState, Playback, PlaybackUrl, WebhookEvent } from './types.ts';
export type { components, operations, paths } from './openapi.ts';
