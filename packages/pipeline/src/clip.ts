import { join } from 'node:path';
import { getAssetById, type ClipRange } from '@kino/db';
import { queueCheckedSource, type AdmitDeps } from '@kino/ingest';
import { JobFailure, type JobContext, type MediaJob } from '@kino/jobs';
import { clipMode, cutClip as cutSource, keyframesNear, type ProbeResult } from '@kino/media';
import { presignGet, putFile } from '@kino/storage';
import { withJobScope, type PipelineDeps } from './job-scope.ts';

/** The clip's own source, written once cut: what makes it outlive its parent. */
const CLIP_CONTENT_TYPE = 'video/mp4';

/**
 * The `cut_clip` job: [start, end) of the parent's source, read from the origin over a
 * presigned URL (never downloaded whole), copied when the cut starts on a keyframe and
 * encoded otherwise (the mode is kept on the clip), stored as the clip's own source, and
 * then queued for processing as any arrived source is (`queueCheckedSource`). The parent
 * gone meanwhile fails the clip with PARENT_DELETED.
 */
export async function cutClip(deps: PipelineDeps & { admit: AdmitDeps }, job: MediaJob, ctx: JobContext): Promise<void> {
  await withJobScope(deps, job, ctx, async (scope) => {
    const clip = scope.asset;
    const range = clip.clip as ClipRange | null;
    // Admitted by an attempt that died before it could record its success.
    if (clip.source_state !== 'importing' || !clip.clip_of || !range) return;
    const parent = await getAssetById(deps.sql, clip.clip_of);
    const p = parent?.media_probe as ProbeResult | null | undefined;
    if (!parent || parent.deleted_at || !p) {
      const error = { code: 'PARENT_DELETED', message: 'The asset this clip was cut from was deleted before the cut.' };
      throw new JobFailure({ detail: 'clip: parent deleted', retryable: false, error });
    }
    ctx.progress({ step: 'cut', fraction: 0 });
    const src = await presignGet(deps.storage, parent.source_key, 3600);
    const mode = clipMode(p, range.start, await keyframesNear(src, p, range.start, scope.run('cut')));
    const file = join(scope.work, 'clip.mp4');
    await cutSource(src, file, p, { ...range, mode }, scope.run('cut'));
    ctx.progress({ step: 'upload', fraction: 0 });
    const bytes = await putFile(deps.storage, clip.source_key, file, { contentType: CLIP_CONTENT_TYPE, signal: scope.signal });
    await scope.commit([], async (tx) => {
      await tx`update assets set clip = ${tx.json({ ...range, mode } as never)}, updated_at = now() where id = ${clip.id}`;
    });
    await queueCheckedSource(deps.admit, clip, { bytes, contentType: CLIP_CONTENT_TYPE, holdLease: ctx.holdLease });
  });
}
