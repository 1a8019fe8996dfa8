import { BEACON_LIMITS, type PlayerEventType } from '@kino/artifacts';

export interface BeaconEvent {
  type: PlayerEventType;
  /** Epoch milliseconds. */
  at: number;
  /** Playback position in seconds. */
  position: number;
  value_ms?: number;
  rendition?: string;
  bitrate?: number;
  error_code?: string;
}

export type BeaconTarget = () => { url: string; token: string } | undefined;

const { maxEvents: MAX_EVENTS, maxBytes: MAX_BYTES } = BEACON_LIMITS;

/** Random v4 UUID; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
export function uuidv4(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Queued QoE events of one view, sent with sendBeacon: it survives the page going away,
 * and a text/plain body needs no CORS preflight. The target is read at each flush, so a
 * refreshed token is used from then on.
 */
export class Beacons {
  private queue: BeaconEvent[] = [];
  readonly viewId = uuidv4();

  constructor(private readonly target: BeaconTarget) {}

  push(e: BeaconEvent): void {
    this.queue.push(e);
  }

  flush(): void {
    const t = this.target();
    if (!t) return void (this.queue = []);
    while (this.queue.length > 0) {
      let n = Math.min(this.queue.length, MAX_EVENTS);
      let body = this.body(t.token, n);
      while (body.size > MAX_BYTES && n > 1) body = this.body(t.token, --n);
      this.queue.splice(0, n);
      // A refused beacon (the browser's own quota) is dropped: QoE must never cost playback.
      navigator.sendBeacon(t.url, body);
    }
  }

  private body(token: string, n: number): Blob {
    const json = JSON.stringify({ token, view_id: this.viewId, events: this.queue.slice(0, n) });
    return new Blob([json], { type: 'text/plain;charset=UTF-8' });
  }
}
