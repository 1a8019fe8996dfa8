import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isArtifactKey } from './artifact.ts';
import { DiskTier, type Logger } from './disk-tier.ts';
import { Fill, FillError, type OriginResult } from './fill.ts';
import type { CachedObject } from './object.ts';
import type { Origin } from './origin.ts';
import { OpenFiles } from './open-files.ts';
import { RamTier } from './ram-tier.ts';

export interface EdgeCacheOptions {
  dir: string;
  diskBytes: number;
  ramBytes: number;
  /** Distinct fills running at once; a new one beyond this is refused, joiners are not. */
  maxFills: number;
  origin: Origin;
  log: Logger;
  /** Largest object copied into RAM; 8 MiB (or an eighth of the RAM budget) by default. */
  ramObjectMaxBytes?: number;
  /** Cached files kept open between HITs; 1024 by default. */
  maxOpenFiles?: number;
}

export class TooManyFillsError extends Error {}

export type WarmResult = 'hit' | 'filled' | 'joined' | 'not_found' | 'busy' | 'failed';

export interface CacheStats {
  ram: { bytes: number; entries: number; evictions: number };
  disk: { bytes: number; entries: number; evictions: number };
  fillsInFlight: number;
  fillsRefused: number;
  openFiles: number;
  originFetches: Record<OriginResult, number>;
}

export interface EdgeCache {
  /** Indexes the files a previous run left and removes its temp files. */
  start(): Promise<void>;
  /** Aborts every fill and waits for them to let go of their files. */
  stop(): Promise<void>;
  /** A cached object, marked as just used; RAM when it has a copy (`body`), else disk. */
  get(key: string): CachedObject | undefined;
  /** The fill in progress for `key`, to join. */
  filling(key: string): Fill | undefined;
  /** Starts a fill; throws TooManyFillsError when maxFills are running. */
  startFill(key: string): Fill;
  /** The object's file vanished (evicted under a reader): drop its entry. */
  forget(obj: CachedObject): void;
  /** An open descriptor of the object's file, for sendFile; pair with closeFile unless it fails. */
  openFile(obj: CachedObject, cb: (err: Error | null, fd: number) => void): void;
  closeFile(obj: CachedObject): void;
  /** Fills `key` unless cached, sharing a fill in progress. */
  warm(key: string): Promise<WarmResult>;
  /** Removes the asset's artifacts (all of them when `paths` is omitted) from both tiers and disk. */
  purge(assetId: string, paths?: string[]): Promise<{ ram: number; disk: number; fills: number }>;
  stats(): CacheStats;
}

const MAX_RAM_OBJECT_BYTES = 8 * 1024 * 1024;

export function createEdgeCache(o: EdgeCacheOptions): EdgeCache {
  const objectsDir = join(o.dir, 'objects');
  const tmpDir = join(o.dir, 'tmp');
  const ram = new RamTier(o.ramBytes, o.ramObjectMaxBytes ?? Math.min(MAX_RAM_OBJECT_BYTES, Math.floor(o.ramBytes / 8)));
  const files = new OpenFiles(o.maxOpenFiles ?? 1024);
  const disk = new DiskTier(objectsDir, o.diskBytes, (obj) => {
    ram.delete(obj.key);
    files.drop(obj);
  });
  const fills = new Map<string, Fill>();
  // Every fill still running, purged ones (no longer in `fills`) included: what maxFills
  // bounds and stop() aborts.
  const running = new Set<Fill>();
  const promoting = new Set<string>();
  const originFetches: Record<OriginResult, number> = { ok: 0, not_found: 0, unavailable: 0, truncated: 0, aborted: 0, failed: 0 };
  let fillsRefused = 0;

  const ctx = {
    origin: o.origin,
    tmpDir,
    disk,
    ram,
    settled(fill: Fill, result: OriginResult) {
      originFetches[result] += 1;
      running.delete(fill);
      if (fills.get(fill.key) === fill) fills.delete(fill.key);
    },
  };

  // A startup artifact found on disk (after a restart, or after RAM let it go) gets its RAM
  // copy back in the background; the request that found it is served from disk meanwhile.
  function promote(obj: CachedObject): void {
    if (promoting.has(obj.key) || !ram.accepts(obj.size)) return;
    promoting.add(obj.key);
    readFile(obj.file)
      .then((body) => {
        if (disk.get(obj.key) === obj && body.length === obj.size) ram.insert(obj, body);
      })
      .catch(() => {})
      .finally(() => promoting.delete(obj.key));
  }

  const cache: EdgeCache = {
    async start() {
      await rm(tmpDir, { recursive: true, force: true });
      await mkdir(tmpDir, { recursive: true });
      await mkdir(objectsDir, { recursive: true });
      await disk.rebuild(o.log);
    },

    async stop() {
      const all = [...running];
      for (const f of all) f.abort('edge stopping');
      await Promise.allSettled(all.map((f) => f.done));
      files.closeAll();
    },

    get(key) {
      const obj = disk.get(key);
      if (obj === undefined) return undefined;
      if (obj.body) ram.touch(obj);
      else if (obj.type.ram) promote(obj);
      return obj;
    },

    filling: (key) => fills.get(key),

    startFill(key) {
      if (running.size >= o.maxFills) {
        fillsRefused += 1;
        throw new TooManyFillsError(`${running.size} fills are already running`);
      }
      const fill = new Fill(key, ctx);
      fills.set(key, fill);
      running.add(fill);
      return fill;
    },

    forget: (obj) => disk.forgetMissing(obj),
    openFile: (obj, cb) => files.acquire(obj, cb),
    closeFile: (obj) => files.release(obj),

    async warm(key) {
      if (disk.get(key)) return 'hit';
      let fill = fills.get(key);
      const joined = fill !== undefined;
      try {
        fill ??= cache.startFill(key);
        await fill.done;
        return joined ? 'joined' : 'filled';
      } catch (err) {
        if (err instanceof TooManyFillsError) return 'busy';
        return err instanceof FillError && err.kind === 'not_found' ? 'not_found' : 'failed';
      }
    },

    async purge(assetId, paths) {
      const keys = paths?.map((p) => `${assetId}/${p}`);
      // The asset id becomes a directory to remove: nothing but a valid key may get that far.
      if (!isArtifactKey(`${assetId}/opener.mp4`) || keys?.some((k) => !isArtifactKey(k))) {
        throw new Error('purge: not an asset id and artifact paths');
      }
      const targets = keys ?? disk.keysOf(assetId);
      let inRam = 0;
      let onDisk = 0;
      let discarded = 0;
      for (const key of targets) {
        if (ram.delete(key)) inRam += 1;
        if (disk.delete(key)) onDisk += 1;
      }
      // A fill still running would put back what was just removed.
      const prefix = `${assetId}/`;
      for (const [key, fill] of fills) {
        if (keys ? !keys.includes(key) : !key.startsWith(prefix)) continue;
        fill.discarded = true;
        fills.delete(key);
        discarded += 1;
      }
      if (!keys) await rm(join(objectsDir, assetId), { recursive: true, force: true });
      return { ram: inRam, disk: onDisk, fills: discarded };
    },

    stats: () => ({
      ram: { bytes: ram.bytes, entries: ram.size, evictions: ram.evictions },
      disk: { bytes: disk.bytes, entries: disk.size, evictions: disk.evictions },
      fillsInFlight: running.size,
      fillsRefused,
      openFiles: files.size,
      originFetches: { ...originFetches },
    }),
  };
  return cache;
}
