import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isPlaylist, originKeyOf } from '@kino/artifacts';
import type { DiskTier } from './disk-tier.ts';
import { CachedObject } from './object.ts';
import { OriginError, type Origin } from './origin.ts';
import type { RamTier } from './ram-tier.ts';
import { FillReader } from './fill-reader.ts';
import type { FillHolder } from './fill-budget.ts';

// Playlists are read to learn what an asset published (see published.ts); a "playlist"
// larger than this is not one we wrote, and is cached without being read.
export const MAX_PLAYLIST_BYTES = 4 * 1024 * 1024;

export type OriginResult = 'ok' | 'not_found' | 'not_ready' | 'limited' | 'unavailable' | 'truncated' | 'aborted' | 'failed';

export interface FillContext {
  origin: Origin;
  tmpDir: string;
  disk: DiskTier;
  ram: RamTier;
  /** Called once, as soon as the fill has succeeded or failed: from then on nobody may join it. */
  settled(fill: Fill, result: OriginResult): void;
  /** A playlist's whole body, once its fill has completed and was not purged meanwhile. */
  playlist(fill: Fill, body: Buffer): void;
  /** Every viewer left before the origin answered: nobody may join it any more. */
  abandoned(fill: Fill): void;
}

export class FillError extends Error {
  constructor(
    readonly kind: 'not_found' | 'not_ready' | 'limited' | 'unavailable' | 'truncated' | 'aborted' | 'failed',
    message: string,
    /** For not_ready: the origin's word on when to ask again, in seconds. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

/**
 * One origin fetch of one artifact, shared by everyone who asks while it runs. The body
 * goes to a temp file as it arrives; each reader (a FillReader) reads that file up to the
 * bytes written so far and parks until more arrive, so every client has its own pace and
 * none can slow the fill or the others. Only a complete file, its length equal to the
 * origin's Content-Length, is renamed into the cache; anything else is deleted.
 */
export class Fill {
  /** The object being filled, once the origin has answered. */
  object: CachedObject | undefined;
  /** Resolves with the object once the origin has answered and the temp file is open. */
  readonly ready: Promise<CachedObject>;
  /** Resolves once the object is in the cache (or the fill was purged and kept nothing). */
  readonly done: Promise<void>;
  written = 0;
  state: 'starting' | 'streaming' | 'complete' | 'failed' = 'starting';
  error: FillError | undefined;
  /** Purged while running: the waiting readers still get their bytes, the cache gets nothing. */
  discarded = false;
  file: FileHandle | undefined;
  /** Readers waiting for bytes the fill has not brought yet. */
  readonly parked = new Set<FillReader>();

  private readonly abortController = new AbortController();
  // The writer holds one reference, each reader another; the file closes at zero.
  private refs = 1;
  // Those waiting for the origin's answer (see want).
  private wanted = 0;

  constructor(
    readonly key: string,
    private readonly ctx: FillContext,
    /** The viewer whose request started it, for the fill budget; none for warms. */
    readonly holder?: FillHolder,
  ) {
    let resolveReady!: (o: CachedObject) => void;
    let rejectReady!: (e: FillError) => void;
    this.ready = new Promise((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    this.done = this.run(resolveReady, rejectReady);
    // Nobody may be waiting (a viewer left, a warm gave up); the failure is reported anyway.
    this.ready.catch(() => {});
    this.done.catch(() => {});
  }

  abort(reason: string): void {
    this.abortController.abort(new FillError('aborted', reason));
  }

  /**
   * Someone waits for the origin's answer; call what this returns when they stop waiting
   * (it is idempotent). A viewer's fill that every waiter left before the origin answered
   * is abandoned: its origin request is called off, and with it a segment it asked the
   * encoders for, so their slots go to what viewers want now (a seek elsewhere). Once the
   * origin has answered, the fill runs to its end whoever leaves: the bytes are coming.
   */
  want(): () => void {
    this.wanted += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.wanted -= 1;
      if (this.wanted === 0 && this.state === 'starting' && this.holder !== undefined) {
        this.ctx.abandoned(this);
        this.abort('every viewer left before the origin answered');
      }
    };
  }

  /** A stream of the whole object; call once `ready` has resolved. */
  createReader(): FillReader {
    this.refs += 1;
    return new FillReader(this, this.object!.size);
  }

  /** A reader let go of the file. */
  unref(): void {
    this.refs -= 1;
    if (this.refs === 0) void this.file?.close().catch(() => {});
  }

  private async run(resolveReady: (o: CachedObject) => void, rejectReady: (e: FillError) => void): Promise<void> {
    const { origin, disk, ram } = this.ctx;
    const signal = this.abortController.signal;
    const tmp = join(this.ctx.tmpDir, `${randomBytes(8).toString('hex')}.part`);
    let reserved: number | undefined;
    try {
      const [res, file] = await Promise.allSettled([origin.get(originKeyOf(this.key), signal), open(tmp, 'wx+')]);
      if (file.status === 'fulfilled') this.file = file.value;
      if (res.status === 'rejected') throw res.reason;
      if (file.status === 'rejected') {
        res.value.body.destroy();
        throw file.reason;
      }
      const { body, size, lastModified } = res.value;
      const mtime = Math.floor((lastModified?.getTime() ?? Date.now()) / 1000);
      const obj = new CachedObject(this.key, disk.fileOf(this.key), size, mtime);
      // No room in the disk budget, even after eviction: still streamed to whoever waits,
      // never kept.
      if (disk.reserve(size)) reserved = size;
      // The SDK stops watching the signal once headers are in; the body is ours to stop.
      signal.addEventListener('abort', () => body.destroy(signal.reason as Error), { once: true });
      const keepInRam = obj.type.ram && ram.accepts(size);
      const playlist = isPlaylist(this.key) && size <= MAX_PLAYLIST_BYTES;
      const keepChunks = keepInRam || playlist;
      const chunks: Buffer[] = [];
      this.object = obj;
      this.state = 'streaming';
      resolveReady(obj);

      for await (const chunk of body as AsyncIterable<Buffer>) {
        if (this.written + chunk.length > size) throw new FillError('truncated', `origin sent more than ${size} bytes`);
        await this.write(chunk);
        if (keepChunks) chunks.push(chunk);
      }
      if (signal.aborted) throw signal.reason;
      if (this.written !== size) throw new FillError('truncated', `origin sent ${this.written} of ${size} bytes`);

      await this.file!.utimes(new Date(), mtime);
      await this.file!.datasync();
      const bytes = keepChunks ? Buffer.concat(chunks, size) : undefined;
      if (playlist && !this.discarded) this.ctx.playlist(this, bytes!);
      if (this.discarded || reserved === undefined) {
        await unlink(tmp);
      } else {
        await disk.settled(this.key);
        await moveIntoPlace(tmp, obj.file);
        disk.insert(obj);
        reserved = undefined;
        // Purged while the file was being moved: the index routes the removal.
        if (this.discarded) disk.delete(this.key);
        else if (keepInRam) ram.insert(obj, bytes!);
      }
      this.state = 'complete';
      this.settle('ok');
    } catch (err) {
      const e = toFillError(err, signal);
      this.error = e;
      this.state = 'failed';
      rejectReady(e);
      // Settled before the cleanup, so nobody joins a fill that has already failed.
      this.settle(e.kind);
      if (this.file) await unlink(tmp).catch(() => {});
      throw e;
    } finally {
      if (reserved !== undefined) disk.release(reserved);
      this.unref();
    }
  }

  private settle(result: OriginResult): void {
    for (const reader of [...this.parked]) reader.wake(undefined, -1);
    this.ctx.settled(this, result);
  }

  private async write(chunk: Buffer): Promise<void> {
    const offset = this.written;
    // Readers parked exactly here take the chunk as it is, before it reaches the disk: a
    // client that keeps up never waits for a file write.
    for (const reader of [...this.parked]) reader.wake(chunk, offset);
    let done = 0;
    while (done < chunk.length) {
      const { bytesWritten } = await this.file!.write(chunk, done, chunk.length - done, offset + done);
      done += bytesWritten;
    }
    this.written = offset + chunk.length;
    // Those that fell behind meanwhile read on from the file.
    for (const reader of [...this.parked]) reader.wake(undefined, -1);
  }
}

async function moveIntoPlace(tmp: string, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  try {
    await rename(tmp, file);
  } catch (err) {
    // A purge of the whole asset may have removed the directory just now.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dirname(file), { recursive: true });
    await rename(tmp, file);
  }
}

function toFillError(err: unknown, signal: AbortSignal): FillError {
  if (err instanceof FillError) return err;
  if (signal.aborted) return signal.reason instanceof FillError ? signal.reason : new FillError('aborted', 'fill aborted');
  if (err instanceof OriginError) return new FillError(err.kind, err.message, err.retryAfterSec);
  const code = (err as NodeJS.ErrnoException).code;
  // The origin connection broke mid-body.
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error).message === 'aborted') {
    return new FillError('truncated', `origin body broke off: ${(err as Error).message}`);
  }
  return new FillError('failed', `fill failed: ${(err as Error).message}`);
}
