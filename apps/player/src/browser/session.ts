import { checkBootstrap } from './bootstrap.ts';
import type { Bootstrap, RefreshBootstrap } from './types.ts';

/**
 * The playback grant in force. Signed URLs carry their token in the path
 * (`{edge}/p/{token}/{asset_id}/{path}`), so once a fresh bootstrap arrives every URL the
 * engines still hold, including ones hls.js resolved from old playlists, is rewritten onto
 * the new edge and token instead of reloading anything.
 */
export class Session {
  private pending: Promise<Bootstrap> | undefined;
  private readonly listeners = new Set<(b: Bootstrap) => void>();

  /** `refresher` is looked up at each use: a page may set its callback after the player started. */
  constructor(
    public current: Bootstrap,
    private readonly refresher: () => RefreshBootstrap | undefined,
  ) {}

  get canRefresh(): boolean {
    return this.refresher() !== undefined;
  }

  /** True once the grant is past its expiry by this browser's clock. */
  get expired(): boolean {
    return Date.now() >= Date.parse(this.current.expires_at);
  }

  /** `url` under the current edge and token; URLs of other assets or origins pass unchanged. */
  rewrite(url: string): string {
    const marker = `/${this.current.asset_id}/`;
    const at = url.indexOf(marker);
    const base = this.current.urls.opener ?? this.current.urls.master;
    if (at < 0 || !base || !/\/p\/[^/]+\/$/.test(url.slice(0, at + 1))) return url;
    return base.slice(0, base.indexOf(marker) + marker.length) + url.slice(at + marker.length);
  }

  /**
   * One refresh at a time: every request refused meanwhile waits for the same answer. A
   * refresh that returns something else than a bootstrap rejects (INVALID_PLAYBACK) and
   * leaves the grant in force as it was.
   */
  refresh(): Promise<Bootstrap> {
    const refresher = this.refresher();
    if (!refresher) return Promise.reject(new Error('no refresh callback'));
    this.pending ??= refresher()
      .then((fresh) => {
        const b = checkBootstrap(fresh);
        this.current = b;
        for (const l of this.listeners) l(b);
        return b;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  onChange(listener: (b: Bootstrap) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
