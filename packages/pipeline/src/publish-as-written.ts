import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HLS_FILES, initPath, segmentFile, segmentPath } from '@kino/artifacts';
import { recordArtifacts } from '@kino/db';
import type { MediaPlan } from '@kino/media';
import { publish, renditionColumns, type LocalArtifact } from './artifacts.ts';
import type { JobScope, PipelineDeps } from './job-scope.ts';

const POLL_MS = 250;

export interface WrittenPublisher {
  /** Stops looking; resolves once the round in hand has ended. Never rejects. */
  stop(): Promise<void>;
}

/**
 * Publishes the segments of renditions that ffmpeg is still encoding, as each is complete,
 * so that on a long source the origin has the start of a track long before its end, and
 * viewers there need no just-in-time encode. ffmpeg's HLS muxer writes a rendition's
 * segments in order and starts segment n + 1 only once n is written: n is complete when
 * n + 1 exists, and the init segment with segment 0. What was being written when ffmpeg
 * stopped is never published; the caller checks the whole encode and publishes the rest,
 * the last segment at least (publishRenditions skips what is recorded). Segments already recorded (made just in
 * time) are not uploaded again.
 */
export function publishAsWritten(deps: PipelineDeps, scope: JobScope, plan: MediaPlan, renditions: string[]): WrittenPublisher {
  const id = scope.asset.id;
  const published = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  async function complete(rendition: string): Promise<LocalArtifact[]> {
    const dir = join(scope.hlsDir, rendition);
    const names = new Set(await readdir(dir).catch(() => []));
    const columns = renditionColumns(plan, rendition);
    const found: LocalArtifact[] = [];
    for (let n = 0; n + 1 < plan.segments.length && names.has(segmentFile(n + 1)); n++) {
      if (n === 0 && names.has(HLS_FILES.init))
        found.push({ path: initPath(rendition), kind: 'init', file: join(dir, HLS_FILES.init), ...columns });
      found.push({ path: segmentPath(rendition, n), kind: 'segment', file: join(dir, segmentFile(n)), ...columns });
    }
    return found.filter((f) => !published.has(f.path));
  }

  async function round(): Promise<void> {
    const candidates = (await Promise.all(renditions.map(complete))).flat();
    if (candidates.length === 0) return;
    // Just in time may have made some meanwhile: those stay as they are.
    const made = new Set(
      (
        await deps.sql<{ path: string }[]>`
          select path from artifacts where asset_id = ${id} and path = any(${candidates.map((f) => f.path)})`
      ).map((r) => r.path),
    );
    const files = candidates.filter((f) => !made.has(f.path));
    const uploaded = await Promise.all(files.map((f) => publish(deps.storage, id, f, scope.signal)));
    if (uploaded.length > 0) await scope.commit([], (tx) => recordArtifacts(tx, id, uploaded));
    // Only now: a round that failed leaves its files to the next.
    for (const f of candidates) published.add(f.path);
  }

  const loop = (async () => {
    while (!stopped && !scope.signal.aborted) {
      // Best effort: a failed upload (the origin slow or away for a moment) is tried again
      // next round, and what is still unpublished at the end goes up with the checked
      // encode. Failing here would throw away a long encode for one segment's upload.
      await round().catch(() => {});
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, POLL_MS);
      });
    }
  })();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}
