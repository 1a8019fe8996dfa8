import { join } from 'node:path';
import { artifactKeyFor, type ArtifactKind, type NewArtifact } from '@kino/db';
import type { LadderResult } from '@kino/media';
import { putFile, type Storage } from '@kino/storage';

export const CONTENT_TYPES: Record<ArtifactKind, string> = {
  opener: 'video/mp4',
  thumbnail: 'image/jpeg',
  master: 'application/vnd.apple.mpegurl',
  playlist: 'application/vnd.apple.mpegurl',
  init: 'video/mp4',
  segment: 'video/iso.segment',
};

// Segments, init and opener never change under their key; playlists are small and cheap
// to revalidate, and a retried job may rewrite them.
const CACHE_CONTROL: Record<ArtifactKind, string> = {
  opener: 'public, max-age=31536000, immutable',
  thumbnail: 'public, max-age=31536000, immutable',
  master: 'public, max-age=60',
  playlist: 'public, max-age=60',
  init: 'public, max-age=31536000, immutable',
  segment: 'public, max-age=31536000, immutable',
};

export interface LocalArtifact extends Omit<NewArtifact, 'key' | 'content_type' | 'bytes'> {
  file: string;
}

/** Uploads one local file to its origin key and describes it for the artifacts table. */
export async function publish(storage: Storage, assetId: string, a: LocalArtifact, signal?: AbortSignal): Promise<NewArtifact> {
  const { file, ...rest } = a;
  const key = artifactKeyFor(assetId, a.path);
  const bytes = await putFile(storage, key, file, { contentType: CONTENT_TYPES[a.kind], cacheControl: CACHE_CONTROL[a.kind], signal });
  return { ...rest, key, content_type: CONTENT_TYPES[a.kind], bytes };
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** The ladder's files as artifacts: per rendition its playlist, init and segments; the master last. */
export async function ladderArtifacts(hlsDir: string, ladder: LadderResult): Promise<LocalArtifact[]> {
  const out: LocalArtifact[] = [];
  for (const r of ladder.renditions) {
    const dims = { rendition: r.name, width: r.width ?? null, height: r.height ?? null, bitrate: r.bandwidth };
    for (const rel of r.files) {
      const kind: ArtifactKind = rel.endsWith('.m3u8') ? 'playlist' : rel.endsWith('init.mp4') ? 'init' : 'segment';
      out.push({ path: `hls/${rel}`, kind, file: join(hlsDir, rel), ...dims });
    }
  }
  out.push({ path: 'hls/master.m3u8', kind: 'master', file: ladder.masterPath, rendition: null, width: null, height: null, bitrate: null });
  return out;
}
