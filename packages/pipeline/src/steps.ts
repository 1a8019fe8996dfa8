import type { JobKind } from '@kino/jobs';

/**
 * The steps each job reports as `progress.step` (on the asset and in `job.progress`
 * events), in the order they start. Some run beside others: the first job publishes the
 * `playlists` while it makes the `opener`; the ladder job runs `audio` from its start while
 * `download` fetches the source, and `thumbnail` while `ladder` encodes. The README's list
 * is rendered from this one.
 */
export const PROGRESS_STEPS = {
  process_source: ['probe', 'opener', 'playlists'],
  encode_ladder: ['audio', 'download', 'probe', 'ladder', 'thumbnail', 'upload'],
  purge_asset: ['purge'],
} as const satisfies Record<JobKind, readonly string[]>;

/** What the queue sets a job's step to once it succeeded (packages/jobs). */
export const DONE_STEP = 'done';

export type ProgressStep = (typeof PROGRESS_STEPS)[JobKind][number] | typeof DONE_STEP;
