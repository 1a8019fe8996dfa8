import { initPath, segmentPath } from '@kino/artifacts';
import { listArtifacts, recordArtifacts } from '@kino/db';
import { declaredBandwidth, type LadderRendition, type MediaPlan } from '@kino/media';
import { renditionArtifacts, renditionColumns } from './artifacts.ts';
import type { JobScope, PipelineDeps } from './job-scope.ts';
import type { ProgressStep } from './steps.ts';

/** Publishes an encoded rendition's files that are not recorded yet (just in time made them) and says each is ready. */
export async function publishRenditions(
  deps: PipelineDeps,
  scope: JobScope,
  plan: MediaPlan,
  step: ProgressStep,
  encoded: LadderRendition[],
) {
  const have = new Set((await listArtifacts(deps.sql, scope.asset.id)).map((a) => a.path));
  const files = encoded.flatMap((r) => renditionArtifacts(scope.hlsDir, plan, r)).filter((f) => !have.has(f.path));
  const published = await scope.publishAll(step, files);
  const events = encoded.map((r) => {
    const columns = renditionColumns(plan, r.name);
    const video = plan.video.find((v) => v.name === r.name);
    return {
      type: 'asset.rendition_ready' as const,
      data: {
        rendition: r.name,
        width: columns.width,
        height: columns.height,
        bitrate: video ? declaredBandwidth(plan, video).peak : columns.bitrate,
        codecs: video?.codecs ?? plan.audio!.codecs,
      },
    };
  });
  await scope.commit(events, (tx) => recordArtifacts(tx, scope.asset.id, published));
}

/** Whether every file of a rendition (init and each planned segment) is recorded. */
export function renditionDone(done: Set<string>, plan: MediaPlan, rendition: string): boolean {
  return done.has(initPath(rendition)) && plan.segments.every((_, n) => done.has(segmentPath(rendition, n)));
}
