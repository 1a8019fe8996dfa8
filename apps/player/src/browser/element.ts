import { Player, type PlayerOptions } from './player.ts';
import type { Bootstrap, RefreshBootstrap, Rendition } from './types.ts';
import { PlayerUi } from './ui.ts';

/**
 * `<kino-player playback="{bootstrap JSON or URL}" controls muted autoplay start-time="12">`.
 * Events: `ready` (can start at once), `playing`, `error` (detail `{code, message}`).
 * Set `refresh` to a function returning a fresh bootstrap so expired URLs are renewed.
 */
export class KinoPlayerElement extends HTMLElement {
  static readonly observedAttributes = ['playback', 'muted', 'controls'];

  /** The page's way to a fresh bootstrap (usually its own backend). */
  refresh: RefreshBootstrap | undefined;

  private readonly ui = new PlayerUi(this);
  private readonly player = new Player(this.ui, (type, detail) => this.dispatchEvent(new CustomEvent(type, { detail })));
  private loadedWith: string | undefined;

  connectedCallback(): void {
    this.load();
  }

  disconnectedCallback(): void {
    this.player.teardown();
    this.loadedWith = undefined;
  }

  attributeChangedCallback(name: string): void {
    if (name === 'playback') return this.load();
    this.ui.video[name as 'muted' | 'controls'] = this.hasAttribute(name);
  }

  /** The bootstrap as an object, JSON or URL; an object is kept as JSON in the attribute. */
  set playback(value: Bootstrap | string) {
    this.setAttribute('playback', typeof value === 'string' ? value : JSON.stringify(value));
  }

  get playback(): string {
    return this.getAttribute('playback') ?? '';
  }

  get video(): HTMLVideoElement {
    return this.ui.video;
  }

  play(): Promise<void> {
    return this.player.play();
  }

  pause(): void {
    this.ui.video.pause();
  }

  /** Jumps to `seconds`, anywhere in the video, also while the opener plays (HLS takes over there). */
  seek(seconds: number): void {
    this.player.seek(seconds);
  }

  get renditions(): Rendition[] {
    return this.player.renditions();
  }

  /** Plays one rendition by name from now on, or 'auto' to let bandwidth decide. */
  set rendition(name: string) {
    this.player.setRendition(name);
  }

  private load(): void {
    const playback = this.getAttribute('playback');
    if (!this.isConnected || !playback || playback === this.loadedWith) return;
    this.loadedWith = playback;
    const element = this;
    const options: PlayerOptions = {
      playback,
      get refresh() {
        return element.refresh;
      },
      autoplay: this.hasAttribute('autoplay'),
      muted: this.hasAttribute('muted'),
      controls: this.hasAttribute('controls'),
      startTime: Number(this.getAttribute('start-time')) || 0,
    };
    void this.player.load(options);
  }
}
