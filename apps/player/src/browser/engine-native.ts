import type { Engine, EngineEvents } from './engine.ts';
import type { Prefetched } from './prefetch.ts';
import type { Session } from './session.ts';
import { PlayerError } from './types.ts';

/**
 * The element plays `url` itself: the opener MP4, or HLS where the browser has it natively
 * and no MSE (iOS Safari). The source is set on the first play, when its bytes are in the
 * cache from the prefetch: Chrome starts a pipeline it was asked to play before its data
 * arrived sooner than one that preloaded and sat paused. An expired token surfaces only as
 * a media error here, so one is met, once, with a fresh bootstrap and a reload at the same
 * position.
 */
export function nativeEngine(
  video: HTMLVideoElement,
  session: Session,
  prefetched: Prefetched,
  url: string,
  startPosition: number,
  events: EngineEvents,
): Engine {
  let started = false;
  let refreshed = false;
  const expired = () => events.fatal(new PlayerError('TOKEN_EXPIRED', 'This video link has expired.'));

  const onLoaded = () => {
    if (startPosition > 0 && video.currentTime === 0) video.currentTime = startPosition;
  };
  const onError = () => {
    const code = video.error?.code;
    if (code === MediaError.MEDIA_ERR_NETWORK || code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED) {
      if (session.expired && !refreshed && session.canRefresh) {
        refreshed = true;
        return void session.refresh().then(reload, expired);
      }
      if (session.expired) return expired();
      if (code === MediaError.MEDIA_ERR_NETWORK)
        return events.fatal(new PlayerError('NETWORK', 'The video could not be loaded; check the connection.'));
    }
    events.fatal(new PlayerError('MEDIA', 'This video cannot be played here.'));
  };
  const reload = () => {
    const playing = !video.paused;
    startPosition = video.currentTime;
    video.src = session.rewrite(url);
    if (playing) void video.play().catch(() => {});
  };

  video.addEventListener('loadeddata', onLoaded);
  video.addEventListener('error', onError);
  return {
    primed: prefetched.settled(session.rewrite(url)) ?? Promise.resolve(),
    start() {
      if (started) return;
      started = true;
      video.preload = 'auto';
      video.src = session.rewrite(url);
    },
    renditions: () => [],
    setRendition() {},
    destroy() {
      video.removeEventListener('loadeddata', onLoaded);
      video.removeEventListener('error', onError);
      video.removeAttribute('src');
      video.load();
    },
  };
}
