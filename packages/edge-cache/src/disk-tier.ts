import { readdir, stat, unlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { isCacheKey } from '@kino/artifacts';
import { CachedObject } from './object.ts';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

const REBUILD_PROGRESS_EVERY = 10_000;

/**
 * The cache files under `root`, one per key at `root/{key}`, and their index: bounded in
 * bytes, least recently used evicted first (a Map kept in access order). Bytes of fills in
 * progress are reserved up front, so the budget holds while they stream in.
 */
export class DiskTier {
  private readonly entries = new Map<string, CachedObject>();
  private readonly byAsset = new Map<string, Set<string>>();
  // An unlink still running must finish before a new file takes the same name.
  private readonly unlinking = new Map<string, Promise<void>>();
  bytes = 0;
  reserved = 0;
  evictions = 0;

  constructor(
    readonly root: string,
    readonly budget: number,
    /** Called for every object leaving the tier, so the RAM tier lets go of it too. */
    private readonly onDrop: (obj: CachedObject) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  fileOf(key: string): string {
    return join(this.root, key);
  }

  /** Looks up and marks as just used. */
  get(key: string): CachedObject | undefined {
    const obj = this.entries.get(key);
    if (obj) {
      this.entries.delete(key);
      this.entries.set(key, obj);
    }
    return obj;
  }

  /**
   * Makes room for `bytes` about to arrive; false when they cannot fit even with every
   * stored object evicted, because fills in flight hold the rest of the budget.
   */
  reserve(bytes: number): boolean {
    if (this.reserved + bytes > this.budget) return false;
    this.reserved += bytes;
    this.evictToBudget();
    return true;
  }

  release(bytes: number): void {
    this.reserved -= bytes;
  }

  /** Resolves once no unlink of this key's file is pending. */
  settled(key: string): Promise<void> | undefined {
    return this.unlinking.get(key);
  }

  /** Adds an object whose file is in place and whose bytes were reserved. */
  insert(obj: CachedObject): void {
    this.reserved -= obj.size;
    const old = this.entries.get(obj.key);
    if (old) this.forget(old);
    this.entries.set(obj.key, obj);
    this.bytes += obj.size;
    const asset = assetOf(obj.key);
    let keys = this.byAsset.get(asset);
    if (!keys) this.byAsset.set(asset, (keys = new Set()));
    keys.add(obj.key);
    this.evictToBudget();
  }

  /** Removes the object and its file. */
  delete(key: string): boolean {
    const obj = this.entries.get(key);
    if (!obj) return false;
    this.forget(obj);
    this.removeFile(key);
    return true;
  }

  /** Drops the entry of a file that has gone missing, leaving the disk alone. */
  forgetMissing(obj: CachedObject): void {
    if (this.entries.get(obj.key) === obj) this.forget(obj);
  }

  keysOf(assetId: string): string[] {
    return [...(this.byAsset.get(assetId) ?? [])];
  }

  /**
   * Indexes what a previous run left. Least recently used order is approximated by atime
   * (fills set it; relatime refreshes it at most daily), the best the files alone can tell.
   * Files that are not artifacts do not belong here and are removed.
   */
  async rebuild(log: Logger): Promise<void> {
    const found: Array<{ key: string; size: number; mtime: number; atime: number }> = [];
    const dirents = await readdir(this.root, { recursive: true, withFileTypes: true });
    for (const d of dirents) {
      if (!d.isFile()) continue;
      const file = join(d.parentPath, d.name);
      const key = relative(this.root, file);
      if (!isCacheKey(key)) {
        await unlink(file).catch(() => {});
        continue;
      }
      const st = await stat(file).catch(() => undefined);
      if (!st) continue;
      found.push({ key, size: st.size, mtime: Math.floor(st.mtimeMs / 1000), atime: st.atimeMs });
      if (found.length % REBUILD_PROGRESS_EVERY === 0) log.info({ files: found.length }, 'edge cache: indexing');
    }
    found.sort((a, b) => a.atime - b.atime);
    for (const f of found) {
      this.reserved += f.size;
      this.insert(new CachedObject(f.key, this.fileOf(f.key), f.size, f.mtime));
    }
    log.info({ files: this.entries.size, bytes: this.bytes, evicted: found.length - this.entries.size }, 'edge cache: index rebuilt');
  }

  private evictToBudget(): void {
    for (const obj of this.entries.values()) {
      if (this.bytes + this.reserved <= this.budget) return;
      this.forget(obj);
      this.removeFile(obj.key);
      this.evictions += 1;
    }
  }

  private forget(obj: CachedObject): void {
    this.entries.delete(obj.key);
    this.bytes -= obj.size;
    const asset = assetOf(obj.key);
    const keys = this.byAsset.get(asset);
    keys?.delete(obj.key);
    if (keys?.size === 0) this.byAsset.delete(asset);
    this.onDrop(obj);
  }

  private removeFile(key: string): void {
    const prev = this.unlinking.get(key) ?? Promise.resolve();
    const p: Promise<void> = prev
      .then(() => unlink(this.fileOf(key)))
      .catch(() => {})
      .finally(() => {
        if (this.unlinking.get(key) === p) this.unlinking.delete(key);
      });
    this.unlinking.set(key, p);
  }
}

const assetOf = (key: string): string => key.slice(0, key.indexOf('/'));
