import type { Beacons, BeaconEvent } from './beacons.ts';
import type { Rendition } from './types.ts';

const FLUSH_EVERY_MS = 10_000;

/**
 * Turns what the video element and the engine do into the QoE events of one view: its
 * start, the time from the play request to the first frame, stalls, rendition switches,
 * errors and how long it actually played.
 */
export class QoeTracker {
  private requestedAt: number | undefined;
  private firstFrame = false;
  private stalledAt: number | undefined;
  private playingSince: number | undefined;
  private playedMs = 0;
  private ended = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly off: (() => void)[] = [];

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly beacons: Beacons,
  ) {
    const on = <K extends keyof HTMLMediaElementEventMap>(target: HTMLVideoElement, type: K, fn: () => void) => {
      target.addEventListener(type, fn);
      this.off.push(() => target.removeEventListener(type, fn));
    };
    on(video, 'playing', () => this.onPlaying());
    on(video, 'waiting', () => this.onWaiting());
    for (const type of ['pause', 'ended', 'emptied'] as const) on(video, type, () => this.stopClock());
    // A stall the viewer ends by pausing or seeking lasted until then, not until play resumes.
    for (const type of ['pause', 'seeking'] as const) on(video, type, () => this.endStall());
    const hidden = () => document.visibilityState === 'hidden' && this.beacons.flush();
    const gone = () => this.end();
    document.addEventListener('visibilitychange', hidden);
    window.addEventListener('pagehide', gone);
    this.off.push(
      () => document.removeEventListener('visibilitychange', hidden),
      () => window.removeEventListener('pagehide', gone),
    );
  }

  /** A play request: the first one starts the view. */
  playRequested(): void {
    if (this.requestedAt !== undefined || this.ended) return;
    this.requestedAt = performance.now();
    this.push({ type: 'view_start' });
    this.timer = setInterval(() => this.beacons.flush(), FLUSH_EVERY_MS);
  }

  rendition(r: Rendition): void {
    if (this.requestedAt === undefined) return;
    this.push({ type: 'rendition_switch', rendition: r.name, bitrate: r.bitrate });
  }

  error(code: string): void {
    this.push({ type: 'error', error_code: code });
    this.beacons.flush();
  }

  /** The view is over (the video ended, the page went away, or the player was torn down). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.requestedAt !== undefined) {
      this.stopClock();
      // A view that ends stalled is the worst kind: its stall counts.
      this.endStall();
      this.push({ type: 'view_end', value_ms: Math.round(this.playedMs) });
    }
    clearInterval(this.timer);
    this.beacons.flush();
  }

  destroy(): void {
    this.end();
    for (const off of this.off) off();
  }

  private onPlaying(): void {
    if (this.requestedAt === undefined || this.ended) return;
    this.playingSince = performance.now();
    if (!this.firstFrame) {
      this.firstFrame = true;
      this.push({ type: 'first_frame', value_ms: Math.round(this.playingSince - this.requestedAt) });
      this.beacons.flush();
    } else {
      this.endStall();
    }
  }

  private endStall(): void {
    if (this.stalledAt === undefined) return;
    this.push({ type: 'rebuffer_end', value_ms: Math.round(performance.now() - this.stalledAt) });
    this.stalledAt = undefined;
  }

  // Waiting before the first frame is startup, and waiting for a seek is the viewer's
  // doing; only a stall in the middle of playback is a rebuffer.
  private onWaiting(): void {
    this.stopClock();
    if (!this.firstFrame || this.video.seeking || this.stalledAt !== undefined || this.ended) return;
    this.stalledAt = performance.now();
    this.push({ type: 'rebuffer_start' });
  }

  private stopClock(): void {
    if (this.playingSince === undefined) return;
    this.playedMs += performance.now() - this.playingSince;
    this.playingSince = undefined;
  }

  private push(e: Omit<BeaconEvent, 'at' | 'position'>): void {
    this.beacons.push({ ...e, at: Date.now(), position: this.video.currentTime } as BeaconEvent);
  }
}
