import { DONE_STEP, type JobKind } from '@kino/jobs';

/**
 * The steps each job reports as `progress.step` (in `job.progress` events; the asset's
 * `progress` is written at most twice a second, so a short step may not show there), in
 * the order they are first reported. A URL import's job reports `fetch` (its fraction known
 * when the source announced its size) before the first job. Some run beside others: the
 * first job publishes the `playlists` while it makes the `opener`; the ladder job encodes
 * `audio` from its start, beside `download` and `probe`, and the `thumbnail` and `storyboard` while
 * `ladder` encodes; `metrics` (each rendition's PSNR/SSIM) comes after hls_ready. The README's list is rendered from this one.
 */
export const PROGRESS_STEPS = {
  import_source: ['fetch'],
  process_source: ['probe', 'opener', 'playlists'],
  encode_ladder: ['download', 'probe', 'audio', 'ladder', 'thumbnail', 'storyboard', 'upload', 'metrics'],
  purge_asset: ['purge'],
  // A job of the jobs API: its inputs fetched, the ffmpeg run, its outputs probed and
  // stored, and (analyze, enable_metrics) the quality measured.
  run_job: ['fetch', 'encode', 'probe', 'upload', 'measure'],
} as const satisfies Record<JobKind, readonly string[]>;

export { DONE_STEP };

export type ProgressStep = (typeof PROGRESS_STEPS)[JobKind][number] | typeof DONE_STEP;
