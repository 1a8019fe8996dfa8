import type { PlayerError, Rendition } from './types.ts';

/** What an engine reports to the player. */
export interface EngineEvents {
  rendition(r: Rendition): void;
  fatal(e: PlayerError): void;
}

/** One way of feeding the video element: hls.js over MSE, or the element's own loader. */
export interface Engine {
  /** Settles once a play request can start from what is loaded or prefetched. */
  readonly primed: Promise<void>;
  /** Begins loading at the start position; called on the first play, then a no-op. */
  start(): void;
  renditions(): Rendition[];
  /** A rendition by name, or 'auto' for adaptive switching. */
  setRendition(name: string): void;
  /** Lets adaptation use every rendition (a cap set while the ladder was encoding). */
  uncap?(): void;
  destroy(): void;
}
