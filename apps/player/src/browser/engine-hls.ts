// The full build: the light one cannot play alternate audio renditions, and ours carry the
// sound in one (hls/audio/, beside video-only ladders), so the light build played silently.
import Hls, { ErrorTypes, Events, type Level } from 'hls.js';
import type { Engine, EngineEvents } from './engine.ts';
import { fetchSetup, tokenRefreshingLoader } from './hls-loader.ts';
import type { Prefetched } from './prefetch.ts';
import type { Session } from './session.ts';
import { PlayerError, type Rendition } from './types.ts';

export const mseAvailable = (): boolean => Hls.isSupported();

/** hls.js settings while segments may still be made on demand (before hls_ready). */
const JUST_IN_TIME = {
  fragLoadPolicy: {
    default: {
      maxTimeToFirstByteMs: 25_000,
      maxLoadTimeMs: 120_000,
      timeoutRetry: { maxNumRetry: 4, retryDelayMs: 0, maxRetryDelayMs: 0 },
      errorRetry: { maxNumRetry: 12, retryDelayMs: 1000, maxRetryDelayMs: 8000 },
    },
  },
  // Three segments ahead, not hls.js's 30 s: each is an encode the tier makes on demand,
  // and read-ahead keeps a viewer going straight on ahead anyway; another viewer's seek
  // must not queue behind this one's buffering. Lifted with the cap (uncap).
  maxBufferLength: 12,
};

/** Our ladder names renditions by directory (`hls/720p/index.m3u8`); NAME or height otherwise. */
function renditionOf(level: Level): Rendition {
  const name = level.name || /\/([^/]+)\/[^/]*$/.exec(level.uri)?.[1] || `${level.height}p`;
  return { name, height: level.height, bitrate: level.bitrate };
}

/**
 * hls.js on the video element. The manifest is parsed and MSE attached at once, from the
 * prefetch; segments are loaded (from the prefetch too) only on the first play request.
 * Appending the first segment ahead looks faster but is not: Chrome then starts a paused
 * pipeline on play, and its first new frame comes ~140 ms later, against ~30 ms when play
 * is requested before the data arrives.
 */
export function hlsEngine(
  video: HTMLVideoElement,
  session: Session,
  prefetched: Prefetched,
  startPosition: number,
  events: EngineEvents,
): Engine {
  const hls = new Hls({
    autoStartLoad: false,
    // Our segments are fMP4: there is nothing to transmux, and a worker only costs startup.
    enableWorker: false,
    loader: tokenRefreshingLoader(session),
    fetchSetup: fetchSetup(session, prefetched),
    // Before hls_ready, a segment not encoded yet is made while its request waits (up to
    // JIT_WAIT_SECONDS, 20 s by default), and a 503 SEGMENT_NOT_READY (the encoders are
    // busy) is worth waiting out; after, hls.js's own defaults hold.
    ...(session.current.playable_state === 'hls_ready' ? {} : JUST_IN_TIME),
  });
  let started = false;
  let recoveredMedia = false;
  /** On the startup rendition by our choice (before hls_ready), not the viewer's. */
  let pinned = false;
  let rejectPrimed: (e: PlayerError) => void = () => {};

  const primed = new Promise<void>((resolve, reject) => {
    rejectPrimed = reject;
    hls.once(Events.MANIFEST_PARSED, () => {
      const startup = hls.levels.findIndex((l) => renditionOf(l).name === session.current.startup_rendition);
      if (startup >= 0) {
        hls.startLevel = startup;
        // Until the ladder is done, segments may be made as they are asked for: the player
        // stays on the startup rendition until then. Adaptation would read encode time as
        // bandwidth and switch, and every switch makes the tier encode another rendition's
        // segments (a lower one costs nearly as much: decoding the source dominates). The
        // player lifts this once the ladder is done (uncap).
        if (session.current.playable_state !== 'hls_ready') {
          hls.autoLevelCapping = startup;
          hls.loadLevel = startup;
          pinned = true;
        }
      }
      resolve();
    });
  });
  // A failure before anyone asked to play is reported through `fatal` as well.
  primed.catch(() => {});

  hls.on(Events.LEVEL_SWITCHED, (_e, data) => {
    const level = hls.levels[data.level];
    if (level) events.rendition(renditionOf(level));
  });
  hls.on(Events.ERROR, (_e, data) => {
    if (!data.fatal) return;
    // A decoder hiccup is usually recoverable once; twice in a row is not.
    if (data.type === ErrorTypes.MEDIA_ERROR && !recoveredMedia) {
      recoveredMedia = true;
      return hls.recoverMediaError();
    }
    const e =
      data.response?.code === 401
        ? new PlayerError('TOKEN_EXPIRED', 'This video link has expired.')
        : data.type === ErrorTypes.NETWORK_ERROR
          ? new PlayerError('NETWORK', 'The video could not be loaded; check the connection.')
          : new PlayerError('MEDIA', 'This video cannot be played here.');
    rejectPrimed(e);
    events.fatal(e);
  });

  hls.loadSource(session.rewrite(session.current.urls.master!));
  hls.attachMedia(video);

  return {
    primed,
    start() {
      if (started) return;
      started = true;
      // Called before the manifest is parsed, hls.js would forget the position.
      void primed.then(
        () => hls.startLoad(startPosition),
        () => {},
      );
    },
    renditions: () => hls.levels.map(renditionOf),
    setRendition(name) {
      // currentLevel switches at once (flushing what is buffered); -1 is adaptive again.
      hls.currentLevel = name === 'auto' ? -1 : hls.levels.findIndex((l) => renditionOf(l).name === name);
      pinned = false;
    },
    uncap() {
      hls.autoLevelCapping = -1;
      if (pinned) hls.loadLevel = -1;
      pinned = false;
      hls.config.maxBufferLength = Hls.DefaultConfig.maxBufferLength;
    },
    destroy: () => hls.destroy(),
  };
}
