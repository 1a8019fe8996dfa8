import { join } from 'node:path';
import { IMAGES_PREFIX, parseImagePath, type ImageVariant } from '@kino/artifacts';
import { getAssetById, type AssetRow, type Queryable } from '@kino/db';
import type { SegmentJob } from '@kino/jobs';
import { renderImage, type ProbeResult } from '@kino/media';
import { produceOnDemand, recorded, type OnDemandDeps } from './on-demand.ts';

// Images made on demand (see packages/artifacts images.ts): an edge misses a variant, asks
// the api like for a just-in-time segment, and a worker's segment runner renders it. The
// same queue, bounds and coalescing: one segment_jobs row per variant, whose path is the
// variant's canonical path.

/** Distinct image variants one asset may have made: each is an object at the origin and a file on every edge. */
export const IMAGE_VARIANTS_PER_ASSET = 200;

/**
 * The variant `path` names, if it is to be made for this asset: not deleted or failed, a
 * video stream, and its time (an animation's start) within the duration. An animation
 * that runs past the end is cut short there.
 */
export function plannedImage(
  asset: Pick<AssetRow, 'media_probe' | 'deleted_at' | 'source_state' | 'error'>,
  path: string,
): { variant: ImageVariant; probe: ProbeResult } | undefined {
  if (asset.deleted_at || !asset.media_probe || asset.source_state === 'failed' || asset.error) return undefined;
  const variant = parseImagePath(path);
  const probe = asset.media_probe as unknown as ProbeResult;
  if (!variant || !probe.video) return undefined;
  const durationMs = probe.durationSec * 1000;
  if (variant.type === 'still' ? variant.timeMs > durationMs : variant.startMs >= durationMs) return undefined;
  return { variant, probe };
}

/**
 * Whether the asset may have one more image variant made: those made and those queued or
 * being made count, so that many requests at once for new variants cannot all pass on the
 * same count (only requests checked in the same instant can overshoot, by their number).
 */
export async function roomForImage(sql: Queryable, assetId: string, limit = IMAGE_VARIANTS_PER_ASSET): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`
    select ((select count(*) from artifacts where asset_id = ${assetId} and kind = 'image')
          + (select count(*) from segment_jobs where asset_id = ${assetId} and starts_with(path, ${IMAGES_PREFIX})))::int as n`;
  return row!.n < limit;
}

/** The worker's side: renders the variant with a seek into the source, at a viewer's priority. */
export async function produceImage(deps: OnDemandDeps, job: SegmentJob, signal: AbortSignal): Promise<void> {
  const asset = await getAssetById(deps.sql, job.asset_id);
  const planned = asset && plannedImage(asset, job.path);
  if (!asset || !planned) return;
  if ((await recorded(deps.sql, asset.id, [job.path])).size > 0) return;
  await produceOnDemand(deps, job, asset, signal, undefined, async (src, work, run) => {
    const file = join(work, 'image');
    await renderImage(src, planned.probe, planned.variant, file, run);
    return [{ path: job.path, kind: 'image' as const, file, rendition: null, width: null, height: null, bitrate: null }];
  });
}
