import type { components } from './openapi.ts';

// The names the SDK's users write, over the generated OpenAPI types.

export type Asset = components['schemas']['Asset'];
/** An event of the log (a union discriminated by `type`). */
export type KinoEvent = components['schemas']['Event'];
export type KinoEventType = KinoEvent['type'];
/** A webhook delivery's body (Standard Webhooks' `{type, timestamp, data}`): `data` is the event. */
export type WebhookEvent = components['schemas']['WebhookEvent'];
export type Playback = components['schemas']['Playback'];
export type PlayableState = NonNullable<Asset['playable_state']>;

/** A playback answer, plus `url`: the master playlist when there is one, else the opener MP4. */
export type PlaybackUrl = Playback & { url: string };
