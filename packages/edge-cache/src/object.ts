import { contentDispositionOf, pathOfCacheKey, policyOf, type ArtifactPolicy } from '@kino/artifacts';

/**
 * One cached artifact. Its validators come from the file alone, so they survive a restart
 * without a metadata sidecar: the file's mtime is set to the origin's Last-Modified when
 * the fill completes, and the ETag is nginx's `"{mtime hex}-{size hex}"` of it. Every edge
 * that fills the same origin object therefore hands out the same ETag, and so does an
 * nginx pointed at the cache directory.
 */
export class CachedObject {
  readonly type: ArtifactPolicy;
  /** `attachment; filename=…` for downloads (static renditions); undefined for the rest. */
  readonly disposition: string | undefined;
  readonly etag: string;
  readonly lastModified: string;
  /** The bytes, while the RAM tier holds a copy. */
  body: Buffer | undefined;
  /** Response headers of a whole-body HIT, built on first use (see http.ts). */
  hitHeaders: string[] | undefined;
  /** The file kept open for HITs (-1 when closed), and the readers using it; see OpenFiles. */
  fd = -1;
  fdUsers = 0;
  /** Callbacks waiting for the file to open, while it is being opened. */
  fdWaiters: Array<(err: Error | null, fd: number) => void> | undefined;
  /** Left the cache: its file closes once the last reader lets go. */
  dropped = false;

  constructor(
    readonly key: string,
    /** Absolute path of the cached file (or of the file it will become). */
    readonly file: string,
    readonly size: number,
    /** Origin Last-Modified in whole seconds, the resolution of HTTP dates. */
    readonly mtime: number,
  ) {
    this.type = policyOf(pathOfCacheKey(key));
    this.disposition = this.type.attachment ? contentDispositionOf(key) : undefined;
    this.etag = `"${mtime.toString(16)}-${size.toString(16)}"`;
    this.lastModified = new Date(mtime * 1000).toUTCString();
  }
}
