import { getAssetById } from '@kino/db';
import { ImportError, importFromUrl, type ImportDeps } from '@kino/ingest';
import { JobFailure, LeaseLostError, type FailureReport, type JobContext, type MediaJob } from '@kino/jobs';
import { describeFailure } from './failure.ts';

/**
 * The `import_source` job: fetches a URL import into storage (@kino/ingest importFromUrl)
 * and queues its processing, as an upload's arrival does. What the source did becomes the
 * asset's error: SOURCE_UNREACHABLE (tried again while attempts remain when it may pass: a
 * timeout, a refused or cut connection, a 5xx, 408 or 429), SOURCE_FORBIDDEN,
 * SOURCE_TOO_LARGE or NOT_MEDIA. The attempt that gives up fails the source with it, in
 * the transaction that fails the job (failJob), and nothing is left in storage.
 */
export async function importSource(deps: ImportDeps & { deadlineMs: number }, job: MediaJob, ctx: JobContext): Promise<void> {
  const asset = job.asset_id ? await getAssetById(deps.sql, job.asset_id) : null;
  // Deleted, or admitted by an attempt that died before it could record its success.
  if (!asset?.import_url || asset.deleted_at || asset.source_state !== 'importing') return;
  ctx.progress({ step: 'fetch', fraction: 0 });
  // The timeouts bound each pause; this bounds the whole: a source that sends a byte now and
  // then must not hold a first-lane slot (openers wait on those) for ever.
  const deadline = AbortSignal.timeout(deps.deadlineMs);
  try {
    await importFromUrl(deps, asset, asset.import_url, {
      signal: AbortSignal.any([ctx.signal, deadline]),
      holdLease: ctx.holdLease,
      onProgress: (bytes, total) => ctx.progress({ step: 'fetch', fraction: total ? Math.min(1, bytes / total) : 0 }),
    });
  } catch (err) {
    if (ctx.signal.aborted || err instanceof LeaseLostError) throw err;
    if (deadline.aborted) {
      const seconds = Math.round(deps.deadlineMs / 1000);
      const message = `The source could not be fetched: it took longer than ${seconds} s in all.`;
      throw new JobFailure({ detail: `import: over ${seconds} s`, retryable: false, error: { code: 'SOURCE_UNREACHABLE', message } });
    }
    throw new JobFailure(err instanceof ImportError ? importFailure(err) : describeFailure(err));
  }
}

function importFailure(err: ImportError): FailureReport {
  return { detail: err.detail, retryable: err.retryable, error: { code: err.code, message: err.message } };
}
