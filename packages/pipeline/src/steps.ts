import type { JobKind } from '@kino/jobs';

/**
 * The steps each job reports as `progress.step` (on the asset and in `job.progress`
 * events), in the order they start. The ladder job runs some beside others: `audio` from
 * its start while `download` fetches the source, and `thumbnail` while `ladder` encodes.
 * The README's list is checked against this one.
 */
export const PROGRESS_STEPS = {
  process_source: ['probe', 'playlists', 'opener'],
  encode_ladder: ['audio', 'download', 'probe', 'ladder', 'thumbnail', 'upload'],
  purge_asset: ['purge'],
} as const satisfies Record<JobKind, readonly string[]>;

export type ProgressStep = (typeof PROGRESS_STEPS)[JobKind][number];
