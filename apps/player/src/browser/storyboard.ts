// Seek-bar previews from the asset's storyboard: a WebVTT file whose cues name a region of
// a sprite sheet (`sprite.jpg#xywh=x,y,w,h`) for each stretch of time. The file is fetched
// once, on the first hover; each preview after that is a background position, no request.

export interface StoryboardCue {
  start: number;
  end: number;
  /** The sprite sheet, resolved against the VTT's URL (so it carries the same token). */
  url: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

const TIME = '(?:(\\d+):)?(\\d{2}):(\\d{2})\\.(\\d{3})';
const CUE_TIMING = new RegExp(`^${TIME}\\s+-->\\s+${TIME}`);
const XYWH = '#xywh=';

const seconds = (m: RegExpExecArray, at: number) =>
  Number(m[at] ?? 0) * 3600 + Number(m[at + 1]) * 60 + Number(m[at + 2]) + Number(m[at + 3]) / 1000;

/** The cues of a storyboard WebVTT file that point at a region of an image; anything else is skipped. */
export function parseStoryboard(text: string, base: string): StoryboardCue[] {
  const lines = text.split(/\r?\n/);
  const cues: StoryboardCue[] = [];
  for (let i = 0; i < lines.length - 1; i++) {
    const m = CUE_TIMING.exec(lines[i]!.trim());
    if (!m) continue;
    const target = lines[i + 1]!.trim();
    const hash = target.indexOf(XYWH);
    if (hash < 0) continue;
    const [x, y, w, h] = target
      .slice(hash + XYWH.length)
      .split(',')
      .map(Number);
    if (![x, y, w, h].every((n) => Number.isFinite(n) && n! >= 0)) continue;
    let url: string;
    try {
      url = new URL(target.slice(0, hash), base).href;
    } catch {
      continue;
    }
    cues.push({ start: seconds(m, 1), end: seconds(m, 5), url, x: x!, y: y!, w: w!, h: h! });
  }
  return cues;
}

/** The cue showing second `t`: the one whose span holds it, else the nearest end. */
export function cueAt(cues: StoryboardCue[], t: number): StoryboardCue | undefined {
  return cues.find((c) => t >= c.start && t < c.end) ?? (t < (cues[0]?.start ?? 0) ? cues[0] : cues.at(-1));
}

/**
 * A thin seek bar along the bottom of the player, shown while the asset has a storyboard:
 * hovering it shows the frame of the time under the pointer, clicking seeks there. Its
 * length is the storyboard's (the whole video), not the element's current media, which may
 * be the opener's first seconds.
 */
export class SeekPreview {
  private url: string | undefined;
  private cues: Promise<StoryboardCue[]> | undefined;
  private hovering = false;

  constructor(
    private readonly bar: HTMLElement,
    private readonly fill: HTMLElement,
    private readonly preview: HTMLElement,
    private readonly video: HTMLVideoElement,
    private readonly seek: (seconds: number) => void,
  ) {
    bar.addEventListener('pointerenter', () => (this.hovering = true));
    bar.addEventListener('pointermove', (e) => void this.hover(e.clientX));
    bar.addEventListener('pointerleave', () => {
      this.hovering = false;
      preview.hidden = true;
    });
    bar.addEventListener('click', (e) => void this.click(e.clientX));
    video.addEventListener('timeupdate', () => void this.progress());
  }

  /** The storyboard's WebVTT URL, or undefined when the asset has none (yet). */
  set(url: string | undefined): void {
    if (url === this.url) return;
    this.url = url;
    this.cues = undefined;
    this.bar.hidden = !url;
    this.preview.hidden = true;
  }

  private load(): Promise<StoryboardCue[]> {
    const url = this.url!;
    this.cues ??= fetch(url)
      .then((r) => (r.ok ? r.text() : ''))
      .then((text) => parseStoryboard(text, url))
      .catch(() => []);
    return this.cues;
  }

  /** Where along the whole video `clientX` points, in seconds; undefined without cues. */
  private async timeAt(clientX: number): Promise<{ t: number; cues: StoryboardCue[] } | undefined> {
    if (!this.url) return undefined;
    const cues = await this.load();
    const duration = cues.at(-1)?.end ?? 0;
    if (!duration) return undefined;
    const r = this.bar.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (clientX - r.left) / r.width));
    return { t: f * duration, cues };
  }

  private async hover(clientX: number): Promise<void> {
    const at = await this.timeAt(clientX);
    if (!at || !this.hovering) return;
    const cue = cueAt(at.cues, at.t)!;
    const host = (this.bar.getRootNode() as ShadowRoot).host.getBoundingClientRect();
    const p = this.preview;
    p.style.width = `${cue.w}px`;
    p.style.height = `${cue.h}px`;
    p.style.backgroundImage = `url("${cue.url}")`;
    p.style.backgroundPosition = `${-cue.x}px ${-cue.y}px`;
    p.style.left = `${Math.min(Math.max(0, clientX - host.left - cue.w / 2), Math.max(0, host.width - cue.w))}px`;
    p.dataset['time'] = at.t.toFixed(3);
    p.hidden = false;
  }

  private async click(clientX: number): Promise<void> {
    const at = await this.timeAt(clientX);
    if (at) this.seek(at.t);
  }

  private async progress(): Promise<void> {
    if (!this.url || !this.cues) return;
    const duration = (await this.cues).at(-1)?.end ?? 0;
    if (duration) this.fill.style.width = `${Math.min(100, (this.video.currentTime / duration) * 100)}%`;
  }
}
