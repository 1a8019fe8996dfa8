import { startupPathsOf } from '@kino/artifacts';
import type { ArtifactRow } from '@kino/db';

// The rendition a player starts on, and so the one whose first segments are prefetched and
// warmed. Big enough to look decent, small enough that its first segment arrives fast on a
// modest connection: the largest rung at or under this peak bit rate.
const STARTUP_MAX_BITRATE = 1_800_000;

export interface RenditionInfo {
  name: string;
  bitrate: number;
  height: number | null;
}

/** Video renditions, by bit rate; the audio rendition (no height) plays beside whichever is chosen. */
export function renditionsOf(artifacts: ArtifactRow[]): RenditionInfo[] {
  return artifacts
    .filter((a) => a.kind === 'playlist' && a.rendition && a.height !== null)
    .map((a) => ({ name: a.rendition!, bitrate: a.bitrate ?? 0, height: a.height }))
    .sort((x, y) => x.bitrate - y.bitrate);
}

export function startupRendition(artifacts: ArtifactRow[]): RenditionInfo | undefined {
  const all = renditionsOf(artifacts);
  return all.filter((r) => r.bitrate <= STARTUP_MAX_BITRATE).pop() ?? all[0];
}

/**
 * What a player fetches first, in order: the master playlist, the startup rendition's
 * playlist, its init segment and first two segments, then the same of the audio rendition
 * that plays beside it. Only paths that exist are listed.
 */
export function startupPaths(artifacts: ArtifactRow[]): string[] {
  const startup = startupRendition(artifacts);
  if (!startup) return [];
  const exists = new Set(artifacts.map((a) => a.path));
  const audio = artifacts.filter((a) => a.kind === 'playlist' && a.rendition && a.height === null).map((a) => a.rendition!);
  const paths = [...startupPathsOf(startup.name), ...audio.flatMap((r) => startupPathsOf(r).slice(1))];
  return paths.filter((p) => exists.has(p));
}
