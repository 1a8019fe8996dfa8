import { bootstrapUrl, fetchBootstrap, resolveBootstrap } from './bootstrap.ts';
import { Beacons } from './beacons.ts';
import type { Engine, EngineEvents } from './engine.ts';
import { hlsEngine, mseAvailable } from './engine-hls.ts';
import { nativeEngine } from './engine-native.ts';
import { prefetch, type Prefetched } from './prefetch.ts';
import { QoeTracker } from './qoe.ts';
import { Session } from './session.ts';
import { PlayerError, type Bootstrap, type RefreshBootstrap, type Rendition } from './types.ts';
import type { PlayerUi } from './ui.ts';

export interface PlayerOptions {
  /** The bootstrap, as an object, as JSON, or as a URL answering with it. */
  playback: Bootstrap | string;
  /**
   * Returns a fresh bootstrap when the signed URLs expire, and is polled while only the
   * opener is ready. Read each time it is needed. Defaults to fetching `playback` again
   * when that is a URL.
   */
  refresh?: RefreshBootstrap | undefined;
  autoplay?: boolean;
  muted?: boolean;
  controls?: boolean;
  /** Seconds into the video to start at. */
  startTime?: number;
}

export type PlayerEventType = 'ready' | 'playing' | 'error';

/**
 * Spacing of bootstrap requests while the asset is not playable yet: quick at first (an
 * opener is usually out within a second or two of the upload), then every 3 s, which keeps
 * a page well inside the player routes' per-address rate (PLAYER_RATE_PER_MINUTE). A
 * request the server held (wait=playable) counts towards it: the next goes out at once.
 */
const pollMs = (attempt: number) => (attempt < 6 ? 500 : 3000);
const POLL_MS = 3000;
/** How often HLS playing before hls_ready asks whether the ladder is done. */
const LADDER_POLL_MS = 15_000;
/** The opener's length as the pipeline makes it (packages/media OPENER_SECONDS), until its element says. */
const OPENER_SECONDS = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const asPlayerError = (e: unknown) => (e instanceof PlayerError ? e : new PlayerError('NETWORK', String(e)));

/**
 * One video on one element: resolves the bootstrap, prefetches what the first play needs,
 * picks the engine (hls.js, native HLS, or the opener until HLS is ready), and reports.
 */
export class Player {
  private session: Session | undefined;
  private engine: Engine | undefined;
  private qoe: QoeTracker | undefined;
  /** Playing the opener; HLS (published at probe time, long before the ladder is done) takes over when it ends. */
  private awaitingHls = false;
  private hlsPrefetched: Prefetched | undefined;
  /** The opener's length, once its element has read it. */
  private openerLength: number | undefined;
  private polling = false;
  /** Bumped by every load and teardown, so work for a replaced video stops. */
  private generation = 0;
  private retry: (() => void) | undefined;

  constructor(
    private readonly ui: PlayerUi,
    private readonly emit: (type: PlayerEventType, detail?: unknown) => void,
  ) {
    const v = ui.video;
    ui.onPlay(() => void this.play().catch(() => {}));
    ui.onRetry(() => this.retry?.());
    // Native controls start playback without going through play(); a source set only now
    // (the native engine's) has reset that request, so it is made again.
    v.addEventListener('play', () => {
      this.started();
      if (v.paused) void v.play().catch(() => {});
    });
    v.addEventListener('playing', () => {
      if (this.ui.shown === 'NOT_PLAYABLE') this.ui.show(undefined);
      this.emit('playing');
    });
    v.addEventListener('ended', () => this.onEnded());
    v.addEventListener('loadedmetadata', () => {
      if (this.awaitingHls) this.openerLength = v.duration;
    });
  }

  get video(): HTMLVideoElement {
    return this.ui.video;
  }

  async load(o: PlayerOptions): Promise<void> {
    this.teardown();
    const gen = this.generation;
    const url = bootstrapUrl(o.playback);
    const v = this.ui.video;
    v.muted = !!o.muted;
    v.controls = !!o.controls;

    let block: Bootstrap;
    for (let attempt = 0; ; attempt++) {
      const asked = performance.now();
      try {
        block = await resolveBootstrap(o.playback, { untilPlayable: true });
        break;
      } catch (err) {
        if (gen !== this.generation) return;
        const e = asPlayerError(err);
        // Polling while the asset is processed says so once, not every few seconds.
        if (this.ui.shown !== e.code) this.fail(e, () => void this.load(o));
        if (e.code !== 'NOT_PLAYABLE') return;
        await sleep(pollMs(attempt) - (performance.now() - asked));
        if (gen !== this.generation) return;
      }
    }
    if (gen !== this.generation) return;
    this.ui.show(undefined);
    this.ui.showPlayButton(true);
    const session = (this.session = new Session(block, () => o.refresh ?? (url ? () => fetchBootstrap(url) : undefined)));
    this.ui.setPoster(block.urls.thumbnail ?? undefined);
    this.ui.setStoryboard(block.urls.storyboard ?? undefined, (t) => this.seek(t));
    this.qoe = new QoeTracker(v, new Beacons(() => session.current.beacon));
    this.attach(o.startTime ?? 0);
    try {
      await this.engine!.primed;
    } catch {
      return; // already on screen through fail()
    }
    if (gen !== this.generation) return;
    this.emit('ready', { asset_id: block.asset_id, playable_state: block.playable_state });
    if (o.autoplay) this.play().catch(() => this.ui.showPlayButton(true));
  }

  play(): Promise<void> {
    this.started();
    return this.ui.video.play();
  }

  renditions(): Rendition[] {
    return this.engine?.renditions() ?? [];
  }

  setRendition(name: string): void {
    this.engine?.setRendition(name);
  }

  /** Ends the view and releases the engine. */
  teardown(): void {
    this.generation++;
    this.qoe?.destroy();
    this.engine?.destroy();
    this.qoe = this.engine = this.session = this.hlsPrefetched = this.retry = this.openerLength = undefined;
    this.awaitingHls = this.polling = false;
  }

  /**
   * Picks the engine for the session's current bootstrap and prefetches what it plays first.
   * `handOff`: the opener is done with (it ended, or a seek went past it): HLS from here.
   */
  private attach(position: number, handOff = false): void {
    const s = this.session!;
    const b = s.current;
    const v = this.ui.video;
    const events: EngineEvents = { rendition: (r) => this.qoe?.rendition(r), fatal: (e) => this.fail(e, () => this.reattach()) };
    const opener = b.urls.opener;
    // Until the ladder is done, the opener is the fastest first frame: its segments of HLS
    // may still have to be made on demand. From its end, or a seek past it, HLS plays.
    const openerFirst = opener && !handOff && b.playable_state !== 'hls_ready' && position < OPENER_SECONDS;
    if (b.urls.master && !openerFirst) {
      // The hints start with the opener, which HLS playback never reads.
      const prefetched = this.hlsPrefetched ?? prefetch(b.prefetch.filter((u) => u !== opener));
      this.engine = mseAvailable()
        ? hlsEngine(v, s, prefetched, position, events)
        : nativeEngine(v, s, prefetched, b.urls.master, position, events);
      this.awaitingHls = false;
      if (b.playable_state !== 'hls_ready') void this.watchLadder();
    } else {
      this.engine = nativeEngine(v, s, prefetch(b.prefetch.filter((u) => u === opener)), opener!, position, events);
      this.awaitingHls = true;
    }
  }

  /**
   * Jumps to `seconds`. On the opener, a point past its end hands over to HLS right there
   * (the opener element only knows its own few seconds).
   */
  seek(seconds: number): void {
    const length = this.openerLength ?? OPENER_SECONDS;
    if (this.awaitingHls && this.session?.current.urls.master && !this.openerIsWholeVideo() && seconds >= length) {
      this.reattach(seconds, true);
      return;
    }
    this.ui.video.currentTime = seconds;
  }

  /** A video no longer than the opener is all in it: its end is the video's end. */
  private openerIsWholeVideo(): boolean {
    return this.openerLength !== undefined && this.openerLength < OPENER_SECONDS - 0.1;
  }

  /** A fresh engine at `position` (the current one by default), after a network failure or for the HLS hand-off. */
  private reattach(position = this.ui.video.currentTime, handOff = false): void {
    const v = this.ui.video;
    this.engine?.destroy();
    this.ui.show(undefined);
    this.attach(position, handOff);
    this.engine!.start();
    void v.play().catch(() => {});
  }

  /**
   * HLS before hls_ready stays at or below the startup rendition (see engine-hls.ts); once
   * the ladder is done, adaptation may climb. Asks now and then: a cheap call per view.
   */
  private async watchLadder(): Promise<void> {
    const s = this.session;
    const gen = this.generation;
    if (!s?.canRefresh) return;
    while (s.current.playable_state !== 'hls_ready') {
      await sleep(LADDER_POLL_MS);
      if (gen !== this.generation) return;
      await s.refresh().catch(() => undefined);
      if (gen !== this.generation) return;
    }
    this.engine?.uncap?.();
  }

  /** The first play request, from our button, the native controls or autoplay. */
  private started(): void {
    if (!this.engine) return;
    this.ui.showPlayButton(false);
    this.qoe?.playRequested();
    this.engine.start();
    if (this.awaitingHls) void this.pickUpHls();
  }

  /** Asks for fresh bootstraps until the playlists are published, then prefetches what HLS plays first. */
  private async pickUpHls(): Promise<void> {
    const s = this.session;
    if (this.polling || !s) return;
    this.polling = true;
    const gen = this.generation;
    while (!s.current.urls.master) {
      if (!s.canRefresh) return;
      await s.refresh().catch(() => undefined);
      if (gen !== this.generation) return;
      if (!s.current.urls.master) await sleep(POLL_MS);
      if (gen !== this.generation) return;
    }
    this.hlsPrefetched = prefetch(s.current.prefetch.filter((u) => u !== s.current.urls.opener));
    if (this.ui.video.ended && !this.openerIsWholeVideo()) this.reattach(undefined, true);
  }

  private onEnded(): void {
    if (!this.awaitingHls || this.openerIsWholeVideo()) return this.qoe?.end();
    // The opener ran out: HLS continues from here once it is ready.
    if (this.hlsPrefetched) return this.reattach(undefined, true);
    this.ui.show(new PlayerError('NOT_PLAYABLE', 'The rest of the video is still being processed.'));
  }

  private fail(e: PlayerError, retry: () => void): void {
    this.ui.show(e);
    this.retry = retry;
    this.qoe?.error(e.code);
    this.emit('error', { code: e.code, message: e.message });
  }
}
