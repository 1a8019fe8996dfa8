import { randomUUID } from 'node:crypto';
import { getAsset, type AssetRow } from '@kino/db';
import { appendEvent } from '@kino/events';
import { enqueueJob } from '@kino/jobs';
import type { UploadQuota } from '@kino/tenancy';
import { insertAnnouncedAsset } from './admit.ts';
import { IngestError } from './errors.ts';
import type { ImportRequestDeps } from './import-request.ts';

// A clip is a fifth door: a new asset whose source is cut from another asset's source by a
// `cut_clip` job (packages/pipeline clip.ts), and from then on processed like an upload.

/** Shorter than this is not worth a video of its own (and leaves no room for a keyframe). */
export const MIN_CLIP_SECONDS = 0.5;

export type ClipRangeProblem = 'negative_start' | 'empty' | 'past_end' | 'too_short';

/** What is wrong with [start, end) of a source `duration` long, if anything. */
export function clipRangeProblem(start: number, end: number, duration: number): ClipRangeProblem | undefined {
  if (start < 0) return 'negative_start';
  if (end <= start) return 'empty';
  // A hair of slack: a duration printed to microseconds may end a rounding step short.
  if (end > duration + 1e-3) return 'past_end';
  if (end - start < MIN_CLIP_SECONDS) return 'too_short';
  return undefined;
}

const RANGE_REFUSALS: Record<ClipRangeProblem, { path: 'start' | 'end'; message: (d: number) => string }> = {
  negative_start: { path: 'start', message: () => '`start` must be 0 or more.' },
  empty: { path: 'end', message: () => '`end` must be after `start`.' },
  past_end: { path: 'end', message: (d) => `\`end\` is past the end of the asset (${d.toFixed(3)} s).` },
  too_short: { path: 'end', message: () => `A clip must be at least ${MIN_CLIP_SECONDS} s long.` },
};

export interface ClipInput {
  accountId: string;
  parentId: string;
  start: number;
  end: number;
  title?: string | undefined;
  /** The account's quotas: a clip counts as an upload in progress until it is cut, then as an asset. */
  quota?: UploadQuota | undefined;
}

/**
 * Takes a clip request: checks the parent (the account's, not deleted: else 404; probed and
 * not failed: else 409) and the range (400), then inserts the clip (source_state
 * `importing`, `clip_of` and `clip` set, the parent's playback policy), `asset.created` and
 * the `cut_clip` job, in one transaction.
 */
export async function createClip(deps: ImportRequestDeps, input: ClipInput): Promise<AssetRow> {
  const id = randomUUID();
  const clip = await deps.sql.begin(async (tx) => {
    const parent = await getAsset(tx, input.accountId, input.parentId);
    if (!parent || parent.deleted_at) throw new IngestError(404, 'NOT_FOUND', 'Asset not found.');
    if (parent.source_state === 'failed') throw new IngestError(409, 'ASSET_FAILED', 'The asset failed; it cannot be clipped.');
    const probe = parent.media_probe as { durationSec?: number } | null;
    if (!probe?.durationSec) {
      throw new IngestError(409, 'ASSET_NOT_READY', 'The asset is not processed yet; clip it once it is playable.');
    }
    const problem = clipRangeProblem(input.start, input.end, probe.durationSec);
    if (problem) {
      const r = RANGE_REFUSALS[problem];
      const message = r.message(probe.durationSec);
      throw new IngestError(400, 'INVALID_CLIP_RANGE', message, [{ path: r.path, message: problem }]);
    }
    const inserted = await insertAnnouncedAsset(
      tx,
      {
        id,
        accountId: input.accountId,
        title: input.title,
        contentType: null,
        playbackPolicy: parent.playback_policy,
        state: 'importing',
        clipOf: parent.id,
        clip: { start: input.start, end: input.end },
      },
      input.quota,
    );
    const job = await enqueueJob(tx, { assetId: id, accountId: input.accountId, maxAttempts: deps.maxAttempts, kind: 'cut_clip' });
    await appendEvent(tx, { accountId: input.accountId, assetId: id, type: 'job.queued', data: { job_id: job.id, reason: 'clip' } });
    return inserted!.asset;
  });
  deps.onJobQueued?.();
  deps.onEvents?.(input.accountId);
  return clip;
}
