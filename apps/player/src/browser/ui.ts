import { SeekPreview } from './storyboard.ts';
import type { PlayerError, PlayerErrorCode } from './types.ts';

/** What the viewer reads: a fixed text, or for errors only their message explains, the message. */
const MESSAGES: Record<PlayerErrorCode, string | ((e: PlayerError) => string)> = {
  NOT_PLAYABLE: 'This video is still being processed. It will start as soon as it is ready.',
  NOT_FOUND: (e) => e.message,
  UNAVAILABLE: (e) => `${e.message} Click to try again.`,
  INVALID_PLAYBACK: (e) => e.message,
  TOKEN_EXPIRED: 'This video link has expired. Reload the page to watch it.',
  NETWORK: 'The video could not be loaded. Check your connection, then click to try again.',
  MEDIA: 'This video cannot be played in this browser.',
};
const messageOf = (e: PlayerError): string => {
  const m = MESSAGES[e.code];
  return typeof m === 'function' ? m(e) : m;
};
/** Errors whose message offers a retry on click. */
const RETRYABLE: ReadonlySet<PlayerErrorCode | undefined> = new Set<PlayerErrorCode>(['NETWORK', 'UNAVAILABLE']);

const STYLE = `
:host { display: block; position: relative; background: #000; aspect-ratio: 16 / 9; overflow: hidden; }
video, img { display: block; width: 100%; height: 100%; object-fit: contain; }
img { position: absolute; inset: 0; pointer-events: none; }
button { position: absolute; inset: 0; margin: auto; width: 72px; height: 72px; border: 0; border-radius: 50%;
  background: rgba(0, 0, 0, .6); cursor: pointer; padding: 0; }
button::after { content: ''; position: absolute; left: 29px; top: 22px; border-style: solid;
  border-width: 14px 0 14px 24px; border-color: transparent transparent transparent #fff; }
[part=message] { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  padding: 1.5em; text-align: center; color: #fff; background: rgba(0, 0, 0, .75); font: 15px/1.4 system-ui, sans-serif; }
[part=seekbar] { position: absolute; left: 0; right: 0; bottom: 0; height: 6px; background: rgba(255, 255, 255, .3);
  cursor: pointer; transition: height .1s; }
[part=seekbar]:hover { height: 12px; }
[part=seekbar-fill] { height: 100%; width: 0; background: #60a5fa; pointer-events: none; }
[part=preview] { position: absolute; bottom: 20px; background-repeat: no-repeat; border: 1px solid #fff;
  box-shadow: 0 2px 8px rgba(0, 0, 0, .5); pointer-events: none; }
[hidden] { display: none !important; }
`;

/**
 * The player's shadow DOM: the video, the thumbnail over it until playback starts, a play
 * button until the first play, a seek bar with storyboard previews (when the asset has a
 * storyboard), and a message layer. The thumbnail is an image rather than
 * the video's poster: a poster keeps the video off the compositor, and the first play then
 * waits a few frames for it to be set up, while under an image the first frame is there already.
 */
export class PlayerUi {
  readonly video: HTMLVideoElement;
  private readonly poster: HTMLImageElement;
  private readonly button: HTMLButtonElement;
  private readonly message: HTMLDivElement;
  private seekPreview: SeekPreview | undefined;
  /** The code on screen, if any. */
  shown: PlayerErrorCode | undefined;

  constructor(host: HTMLElement) {
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML =
      `<style>${STYLE}</style><video part="video" playsinline></video><img part="poster" alt="" hidden>` +
      '<button part="play" aria-label="Play"></button>' +
      '<div part="seekbar" hidden><div part="seekbar-fill"></div></div><div part="preview" hidden></div>' +
      '<div part="message" role="alert" hidden></div>';
    this.video = root.querySelector('video')!;
    this.poster = root.querySelector('img')!;
    this.video.addEventListener('playing', () => (this.poster.hidden = true));
    this.button = root.querySelector('button')!;
    this.message = root.querySelector('[part=message]')!;
  }

  onPlay(fn: () => void): void {
    this.button.addEventListener('click', fn);
  }

  /** `fn` runs when the viewer clicks a message that offers a retry. */
  onRetry(fn: () => void): void {
    this.message.addEventListener('click', () => RETRYABLE.has(this.shown) && fn());
  }

  /** Seek-bar previews from the storyboard at `url` (its WebVTT file); none for undefined. `seek` jumps. */
  setStoryboard(url: string | undefined, seek: (seconds: number) => void): void {
    const root = this.video.getRootNode() as ShadowRoot;
    this.seekPreview ??= new SeekPreview(
      root.querySelector('[part=seekbar]')!,
      root.querySelector('[part=seekbar-fill]')!,
      root.querySelector('[part=preview]')!,
      this.video,
      seek,
    );
    this.seekPreview.set(url);
  }

  /** Shows `url` until playback starts; none for undefined. */
  setPoster(url: string | undefined): void {
    if (url) this.poster.src = url;
    this.poster.hidden = !url;
  }

  showPlayButton(on: boolean): void {
    this.button.hidden = !on;
  }

  show(e: PlayerError | undefined): void {
    this.shown = e?.code;
    this.message.hidden = !e;
    this.message.textContent = e ? messageOf(e) : '';
    if (e) this.showPlayButton(false);
  }
}
