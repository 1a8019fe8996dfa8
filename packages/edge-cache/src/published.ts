import { HLS_FILES, HLS_PREFIX, isArtifactPath, MASTER_PATH, playlistOf, segmentFile, segmentIndexOf } from '@kino/artifacts';

// What an asset's published HLS playlists list, as far as this edge has seen them. Once the
// edge knows the master, a media playlist the master does not name is not published, and
// once it knows a media playlist, an init segment or segment it does not list is not
// either: both are refused without asking the origin. A viewer's player only ever asks for
// what the playlists list, so this costs real viewers nothing; it stops anyone holding a
// token from turning made-up segment names into origin GETs.
//
// Knowledge is per asset, bounded (the asset learned longest ago forgotten first) and compact:
// a media playlist listing 0.m4s … N-1.m4s in its own directory is stored as N. Anything the
// parser cannot place is ignored rather than guessed at, and an asset whose playlists list
// files outside their own directory ("irregular", never written by our pipeline) only ever
// gets "listed" or "open" for its segments, never "unlisted": the rule may let through, it
// must never refuse what a player was told to fetch.

/**
 * How the playlists rule on an artifact path:
 * - `open`: no playlist governs it (opener, thumbnail, the master itself, or an irregular
 *   asset's unlisted segment);
 * - `listed` / `unlisted`: the playlist that governs it is known and lists it, or does not;
 * - `needs_master` / `needs_media`: that playlist (the master; the media playlist of the
 *   path's rendition directory, `playlistOf(path)`) must be known first.
 */
export type Verdict = 'open' | 'listed' | 'unlisted' | 'needs_master' | 'needs_media';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const URI_ATTRIBUTE = /URI="([^"]*)"/g;

/** What one media playlist lists. */
class MediaListing {
  constructor(
    /** `hls/{rendition}/` */
    readonly dir: string,
    /** Segments `{dir}0.m4s` … `{dir}{count-1}.m4s` are listed. */
    readonly count: number,
    /** Everything else it lists (init segments, segments outside that run). */
    readonly others: ReadonlySet<string>,
  ) {}

  lists(path: string): boolean {
    if (this.others.has(path)) return true;
    if (!path.startsWith(this.dir)) return false;
    const n = segmentIndexOf(path.slice(this.dir.length));
    return n !== undefined && n < this.count;
  }
}

class AssetPlaylists {
  /** Playlist paths the master names, once it is known. */
  master: ReadonlySet<string> | undefined;
  readonly media = new Map<string, MediaListing>();
  /** Lists something outside a rendition's own directory: segments are never refused. */
  irregular = false;
  /** A "playlist" that is not one (no #EXTM3U): nothing of the asset is refused. */
  opaque = false;
}

export class PublishedPaths {
  private readonly assets = new Map<string, AssetPlaylists>();

  constructor(readonly maxAssets = 10_000) {}

  get size(): number {
    return this.assets.size;
  }

  /** Whether the playlist at `playlistPath` of the asset has been learned. */
  knows(assetId: string, playlistPath: string): boolean {
    const rec = this.assets.get(assetId);
    if (rec === undefined) return false;
    return playlistPath === MASTER_PATH ? rec.master !== undefined : rec.media.has(playlistPath);
  }

  /** Reads a playlist the origin published (`playlistPath` is `hls/master.m3u8` or `hls/{r}/index.m3u8`). */
  learn(assetId: string, playlistPath: string, text: string): void {
    let rec = this.assets.get(assetId);
    if (rec === undefined) {
      rec = new AssetPlaylists();
      if (this.assets.size >= this.maxAssets) {
        const oldest = this.assets.keys().next();
        if (!oldest.done) this.assets.delete(oldest.value);
      }
    } else {
      this.assets.delete(assetId);
    }
    this.assets.set(assetId, rec);
    // RFC 8216: a playlist starts with #EXTM3U. Anything else is not ours to read; it is
    // remembered as such, so that it is not read again on every request.
    if (!text.trimStart().startsWith('#EXTM3U')) {
      rec.opaque = true;
      if (playlistPath === MASTER_PATH) rec.master = new Set();
      else rec.media.set(playlistPath, new MediaListing(playlistPath, 0, new Set()));
      return;
    }
    const listed = listedPaths(playlistPath, text);
    if (playlistPath === MASTER_PATH) {
      const playlists = new Set<string>();
      const others: string[] = [];
      for (const p of listed) {
        if (p.endsWith(`/${HLS_FILES.playlist}`)) playlists.add(p);
        else others.push(p);
      }
      rec.master = playlists;
      // A master that lists media itself (a one-rendition "master" that is a media playlist).
      if (others.length > 0) {
        rec.irregular = true;
        rec.media.set(MASTER_PATH, new MediaListing(HLS_PREFIX, 0, new Set(others)));
      }
      return;
    }
    const dir = playlistPath.slice(0, playlistPath.length - HLS_FILES.playlist.length);
    const numbers: number[] = [];
    const others = new Set<string>();
    for (const p of listed) {
      const n = p.startsWith(dir) ? segmentIndexOf(p.slice(dir.length)) : undefined;
      if (n !== undefined) numbers.push(n);
      else {
        others.add(p);
        if (!p.startsWith(dir)) rec.irregular = true;
      }
    }
    // The usual case, 0 … N-1 in order, is kept as N; anything else path by path.
    let count = 0;
    while (count < numbers.length && numbers[count] === count) count += 1;
    for (let i = count; i < numbers.length; i += 1) others.add(`${dir}${segmentFile(numbers[i]!)}`);
    rec.media.set(playlistPath, new MediaListing(dir, count, others));
  }

  /** How the asset's playlists rule on `path` (an artifact path already known to be valid). */
  judge(assetId: string, path: string): Verdict {
    if (!path.startsWith(HLS_PREFIX) || path === MASTER_PATH) return 'open';
    const rec = this.assets.get(assetId);
    if (rec?.opaque) return 'open';
    if (path.endsWith(`/${HLS_FILES.playlist}`)) {
      if (rec?.master === undefined) return 'needs_master';
      return rec.master.has(path) ? 'listed' : 'unlisted';
    }
    const owner = playlistOf(path);
    if (rec?.irregular) {
      for (const m of rec.media.values()) if (m.lists(path)) return 'listed';
      return 'open';
    }
    if (rec?.master === undefined) return 'needs_master';
    if (!rec.master.has(owner)) return 'unlisted';
    const media = rec.media.get(owner);
    if (media === undefined) return 'needs_media';
    return media.lists(path) ? 'listed' : 'unlisted';
  }

  /** Forgets the asset (purged: it may be published anew). */
  forget(assetId: string): void {
    this.assets.delete(assetId);
  }
}

/**
 * The artifact paths a playlist refers to: every URI line and every `URI="…"` attribute,
 * resolved against the playlist's directory. Absolute URLs, absolute paths and anything that
 * does not resolve to an artifact path are not the edge's to serve, so they are skipped.
 */
export function listedPaths(playlistPath: string, text: string): string[] {
  const base = playlistPath.slice(0, playlistPath.lastIndexOf('/') + 1);
  const out: string[] = [];
  const add = (uri: string) => {
    const p = resolve(base, uri);
    if (p !== undefined) out.push(p);
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (!line.startsWith('#EXT')) continue;
      for (const m of line.matchAll(URI_ATTRIBUTE)) add(m[1]!);
    } else {
      add(line);
    }
  }
  return out;
}

function resolve(base: string, uri: string): string | undefined {
  const end = uri.search(/[?#]/);
  const rel = end === -1 ? uri : uri.slice(0, end);
  if (rel === '' || rel.startsWith('/') || HAS_SCHEME.test(rel)) return undefined;
  const parts = base.split('/').slice(0, -1);
  for (const seg of rel.split('/')) {
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else if (seg !== '.' && seg !== '') {
      parts.push(seg);
    }
  }
  const path = parts.join('/');
  return isArtifactPath(path) ? path : undefined;
}
