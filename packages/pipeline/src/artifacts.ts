import { join } from 'node:path';
import { artifactKeyFor, classify, hlsPath, MASTER_PATH, POLICIES } from '@kino/artifacts';
import type { NewArtifact } from '@kino/db';
import type { LadderResult } from '@kino/media';
import { putFile, type Storage } from '@kino/storage';

export interface LocalArtifact extends Omit<NewArtifact, 'key' | 'content_type' | 'bytes'> {
  file: string;
}

/** Uploads one local file to its origin key and describes it for the artifacts table. */
export async function publish(storage: Storage, assetId: string, a: LocalArtifact, signal?: AbortSignal): Promise<NewArtifact> {
  const { file, ...rest } = a;
  const key = artifactKeyFor(assetId, a.path);
  const { contentType, originCacheControl } = POLICIES[a.kind];
  const bytes = await putFile(storage, key, file, { contentType, cacheControl: originCacheControl, signal });
  return { ...rest, key, content_type: contentType, bytes };
}

/** The ladder's files as artifacts: per rendition its playlist, init and segments; the master last. */
export async function ladderArtifacts(hlsDir: string, ladder: LadderResult): Promise<LocalArtifact[]> {
  const out: LocalArtifact[] = [];
  for (const r of ladder.renditions) {
    const dims = { rendition: r.name, width: r.width ?? null, height: r.height ?? null, bitrate: r.bandwidth };
    for (const rel of r.files) {
      const path = hlsPath(rel);
      out.push({ path, kind: classify(path).kind, file: join(hlsDir, rel), ...dims });
    }
  }
  out.push({ path: MASTER_PATH, kind: 'master', file: ladder.masterPath, rendition: null, width: null, height: null, bitrate: null });
  return out;
}
