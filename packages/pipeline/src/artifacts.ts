import { join } from 'node:path';
import { artifactKeyFor, classify, hlsPath, policyOf } from '@kino/artifacts';
import type { NewArtifact } from '@kino/db';
import { declaredBandwidth, type LadderRendition, type MediaPlan } from '@kino/media';
import { putFile, type Storage } from '@kino/storage';

export interface LocalArtifact extends Omit<NewArtifact, 'key' | 'content_type' | 'bytes'> {
  file: string;
}

/** Uploads one local file to its origin key and describes it for the artifacts table. */
export async function publish(storage: Storage, assetId: string, a: LocalArtifact, signal?: AbortSignal): Promise<NewArtifact> {
  const { file, ...rest } = a;
  const key = artifactKeyFor(assetId, a.path);
  const { contentType, originCacheControl } = policyOf(a.path);
  const bytes = await putFile(storage, key, file, { contentType, cacheControl: originCacheControl, signal });
  return { ...rest, key, content_type: contentType, bytes };
}

/**
 * What a rendition's rows say about it: its picture size and the average bit rate it was
 * planned at (video and audio together), from which the startup rendition is chosen.
 */
export function renditionColumns(plan: MediaPlan, rendition: string): Pick<NewArtifact, 'rendition' | 'width' | 'height' | 'bitrate'> {
  const video = plan.video.find((r) => r.name === rendition);
  if (video) return { rendition, width: video.width, height: video.height, bitrate: declaredBandwidth(plan, video).average };
  return { rendition, width: null, height: null, bitrate: plan.audio?.bitrate ?? null };
}

/** Files under the HLS directory (`720p/index.m3u8`, `master.m3u8`) as artifacts of the plan's renditions. */
export function hlsArtifacts(
  hlsDir: string,
  plan: MediaPlan,
  files: Array<{ relative: string; rendition: string | null }>,
): LocalArtifact[] {
  return files.map(({ relative, rendition }) => {
    const path = hlsPath(relative);
    const columns = rendition ? renditionColumns(plan, rendition) : { rendition: null, width: null, height: null, bitrate: null };
    return { path, kind: classify(path).kind, file: join(hlsDir, relative), ...columns };
  });
}

/** An encoded rendition's init segment and segments, as artifacts. */
export function renditionArtifacts(hlsDir: string, plan: MediaPlan, r: LadderRendition): LocalArtifact[] {
  return hlsArtifacts(
    hlsDir,
    plan,
    r.files.map((relative) => ({ relative, rendition: r.name })),
  );
}
