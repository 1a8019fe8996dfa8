import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheKeyFor, isCacheKey, MASTER_PATH, OPENER_PATH, playlistOf } from '@kino/artifacts';
import { DiskTier, type Logger } from './disk-tier.ts';
import { Fill, FillError, MAX_PLAYLIST_BYTES, type OriginResult } from './fill.ts';
import { FillBudget, type FillHolder } from './fill-budget.ts';
import { NegativeCache } from './negative-cache.ts';
import { PublishedPaths } from './published.ts';
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
  /** How long an origin 404 is remembered, in ms (0: not at all); 5 s by default. */
  negativeTtlMs?: number;
  /** Origin 404s remembered at once; 10 000 by default. */
  negativeMaxEntries?: number;
  /** Viewer fills one token may run at once (see fill-budget.ts); maxFills by default. */
  fillsPerToken?: number;
  /** Viewer fills for one asset at once, whatever the token; maxFills by default. */
  fillsPerAsset?: number;
  /** Assets whose published playlists are remembered; 10 000 by default. */
  publishedMaxAssets?: number;
  /** Epoch ms; tests move time instead of waiting for it. */
  now?: () => number;
}

export class TooManyFillsError extends Error {}

/**
 * Why `admit` started no fill:
 * - `not_found`: the origin said 404 for this key moments ago (negative cache);
 * - `unpublished`: the asset's playlists, known to the edge, do not list it (or the playlist
 *   that would list it does not exist);
 * - `busy`: EDGE_MAX_FILLS fills are running;
 * - `token_busy` / `asset_busy`: this token's (asset's) share of them is in use.
 */
export type FillRefusal = 'not_found' | 'unpublished' | 'busy' | 'token_busy' | 'asset_busy';

export type WarmResult = 'hit' | 'filled' | 'joined' | 'not_found' | 'busy' | 'failed';

export interface CacheStats {
  ram: { bytes: number; entries: number; evictions: number };
  disk: { bytes: number; entries: number; evictions: number };
  fillsInFlight: number;
  /** New fills refused because maxFills were running. */
  fillsRefused: number;
  /** Viewer requests `admit` answered without an origin GET, by reason. */
  fillsAvoided: Record<Exclude<FillRefusal, 'busy'>, number>;
  negativeEntries: number;
  /** Assets whose playlists (some of them) the edge knows. */
  publishedAssets: number;
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
  /** Starts a fill; throws TooManyFillsError when maxFills are running. For warms: no budget, no playlist rule. */
  startFill(key: string): Fill;
  /**
   * A viewer's cold request for `key` (neither cached nor filling): starts its fill, or says
   * why not without an origin GET for the key. Refusals come from the negative cache, the
   * asset's published playlists, EDGE_MAX_FILLS, then the holder's budget. While the
   * asset's playlists are unknown the edge learns them alongside (from its disk, or by
   * filling the playlist: one GET per playlist however many ask), and a request the budget
   * would refuse meanwhile gets a promise instead, settled once they are learned: the caller
   * then looks again (cached? filling?) and admits again, with `discover` false on its last
   * round so that playlists the edge cannot learn end in the refusal rather than a loop.
   */
  admit(key: string, holder: FillHolder, discover: boolean): Fill | FillRefusal | Promise<void>;
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
const noop = () => {};

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
  const originFetches: Record<OriginResult, number> = {
    ok: 0,
    not_found: 0,
    not_ready: 0,
    limited: 0,
    unavailable: 0,
    truncated: 0,
    aborted: 0,
    failed: 0,
  };
  let fillsRefused = 0;
  const fillsAvoided = { not_found: 0, unpublished: 0, token_busy: 0, asset_busy: 0 };
  const negative = new NegativeCache(o.negativeMaxEntries ?? 10_000, o.negativeTtlMs ?? 5000, o.now);
  const published = new PublishedPaths(o.publishedMaxAssets ?? 10_000);
  const budget = new FillBudget(o.fillsPerToken ?? o.maxFills, o.fillsPerAsset ?? o.maxFills);
  // Playlists being learned, by key: every request waiting on one shares this promise.
  const learning = new Map<string, Promise<void>>();

  const learnPlaylist = (key: string, body: Buffer) => {
    const slash = key.indexOf('/');
    published.learn(key.slice(0, slash), key.slice(slash + 1), body.toString('utf8'));
  };

  const ctx = {
    origin: o.origin,
    tmpDir,
    disk,
    ram,
    settled(fill: Fill, result: OriginResult) {
      originFetches[result] += 1;
      running.delete(fill);
      if (fills.get(fill.key) === fill) fills.delete(fill.key);
      if (fill.holder !== undefined) budget.give(fill.holder);
      if (result === 'not_found') negative.add(fill.key);
      else if (result === 'ok') negative.delete(fill.key);
    },
    playlist: (fill: Fill, body: Buffer) => learnPlaylist(fill.key, body),
    abandoned(fill: Fill) {
      if (fills.get(fill.key) === fill) fills.delete(fill.key);
    },
  };

  function begin(key: string, holder: FillHolder | undefined): Fill {
    const fill = new Fill(key, ctx, holder);
    fills.set(key, fill);
    running.add(fill);
    return fill;
  }

  // Learns the playlist at `key` from the cache, or from a fill of it (shared with whoever
  // else asks for it). Undefined when it cannot be tried now (every fill slot taken).
  function learn(key: string): Promise<void> | undefined {
    const pending = learning.get(key);
    if (pending !== undefined) return pending;
    let p: Promise<void>;
    const obj = disk.get(key);
    if (obj !== undefined) {
      if (obj.size > MAX_PLAYLIST_BYTES) return undefined;
      p = (obj.body ? Promise.resolve(obj.body) : readFile(obj.file)).then((body) => learnPlaylist(key, body), noop);
    } else {
      let fill = fills.get(key);
      if (fill === undefined) {
        if (running.size >= o.maxFills) return undefined;
        // On the asset's behalf, not the token's: at most the master and one playlist per
        // published rendition, each fetched once however many requests wait for it.
        fill = begin(key, undefined);
      }
      p = fill.done.then(noop, noop);
    }
    p = p.finally(() => learning.delete(key));
    learning.set(key, p);
    return p;
  }

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

  function avoided(reason: 'not_found' | 'unpublished'): FillRefusal {
    fillsAvoided[reason] += 1;
    return reason;
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
      return begin(key, undefined);
    },

    admit(key, holder, discover) {
      if (negative.has(key)) return avoided('not_found');
      const slash = key.indexOf('/');
      const assetId = key.slice(0, slash);
      const path = key.slice(slash + 1);
      const verdict = published.judge(assetId, path);
      if (verdict === 'unlisted') return avoided('unpublished');
      // The playlist that would rule on it is not known yet: learn it alongside (one GET per
      // playlist, shared), without holding this request up, and never with the fill slot
      // this request needs. A playlist the origin does not have (a 404 remembered) rules on
      // nothing: the asset has no ladder yet, and only the budget bounds such requests.
      let playlist: string | undefined;
      if (verdict === 'needs_master' || verdict === 'needs_media') {
        playlist = cacheKeyFor(assetId, verdict === 'needs_master' ? MASTER_PATH : playlistOf(path));
        if (negative.has(playlist)) playlist = undefined;
      }
      let refused: 'busy' | 'token_busy' | 'asset_busy' | undefined = 'busy';
      if (running.size < o.maxFills) {
        refused = budget.take(holder);
        if (refused === undefined) {
          const fill = begin(key, holder);
          if (playlist !== undefined) learn(playlist);
          return fill;
        }
      }
      // Refused while the playlists are unknown: wait for them and ask again rather than
      // refuse now, since the answer may well be a plain 404 (a flood of made-up names ends
      // here, one origin GET per playlist however many requests wait).
      const learning = discover && playlist !== undefined ? learn(playlist) : undefined;
      if (learning !== undefined) return learning;
      if (refused === 'busy') fillsRefused += 1;
      else fillsAvoided[refused] += 1;
      return refused;
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
        // Waits to the end: the viewers it may have joined leaving does not call it off.
        fill.want();
        await fill.done;
        return joined ? 'joined' : 'filled';
      } catch (err) {
        if (err instanceof TooManyFillsError) return 'busy';
        return err instanceof FillError && err.kind === 'not_found' ? 'not_found' : 'failed';
      }
    },

    async purge(assetId, paths) {
      const keys = paths?.map((p) => cacheKeyFor(assetId, p));
      // The asset id becomes a directory to remove: nothing but a valid key may get that far.
      if (!isCacheKey(cacheKeyFor(assetId, OPENER_PATH)) || keys?.some((k) => !isCacheKey(k))) {
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
      // What was learned about the asset goes too: it may be published anew.
      published.forget(assetId);
      negative.forgetAsset(assetId);
      if (!keys) await rm(join(objectsDir, assetId), { recursive: true, force: true });
      return { ram: inRam, disk: onDisk, fills: discarded };
    },

    stats: () => ({
      ram: { bytes: ram.bytes, entries: ram.size, evictions: ram.evictions },
      disk: { bytes: disk.bytes, entries: disk.size, evictions: disk.evictions },
      fillsInFlight: running.size,
      fillsRefused,
      fillsAvoided: { ...fillsAvoided },
      negativeEntries: negative.size,
      publishedAssets: published.size,
      openFiles: files.size,
      originFetches: { ...originFetches },
    }),
  };
  return cache;
}
