import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAssetById, recordArtifacts, type AssetRow, type Queryable, type Sql } from '@kino/db';
import { finishSegmentJob, SEGMENT_PRIORITY, type SegmentJob } from '@kino/jobs';
import type { RunOptions } from '@kino/media';
import { deleteObject, presignGet, type Storage } from '@kino/storage';
import { publish, type LocalArtifact } from './artifacts.ts';
import { describeFailure } from './failure.ts';
import { NICENESS } from './job-scope.ts';
import { SCRATCH_PREFIX } from './scratch.ts';

// What every artifact made on demand (a just-in-time segment, an image variant) goes
// through on the worker: a scratch directory of its own, the source read from the origin
// through a presigned URL (with a seek, never downloaded whole), the files published, and
// recorded in the transaction that ends the job.

/** Which of `paths` the asset has recorded. */
export async function recorded(sql: Queryable, assetId: string, paths: string[]): Promise<Set<string>> {
  const rows = await sql<{ path: string }[]>`select path from artifacts where asset_id = ${assetId} and path = any(${paths})`;
  return new Set(rows.map((r) => r.path));
}

export interface OnDemandDeps {
  sql: Sql;
  storage: Storage;
  tmpRoot: string;
  timeoutMs: number;
  workerId: string;
}

/**
 * Runs `make` (which writes files under `work` from the presigned `src`) for a claimed job,
 * publishes what it returns and records it as the job ends. A job that is no longer ours
 * because the asset was deleted takes its uploads back with it. Throws scrubbed words
 * only: the runner logs them, and they must never carry a scratch path or a presigned URL.
 */
export async function produceOnDemand(
  deps: OnDemandDeps,
  job: SegmentJob,
  asset: AssetRow,
  signal: AbortSignal,
  hurry: AbortSignal | undefined,
  make: (src: string, work: string, run: RunOptions) => Promise<LocalArtifact[]>,
): Promise<void> {
  const work = await mkdtemp(join(deps.tmpRoot || tmpdir(), `${SCRATCH_PREFIX}seg-${process.pid}-`));
  try {
    const src = await presignGet(deps.storage, asset.source_key, 3600);
    const run = {
      signal,
      timeoutMs: deps.timeoutMs,
      scratchRoot: work,
      // A viewer waits for this one; read-ahead is wanted soon, not now, until a viewer
      // comes to wait for it (hurry).
      nice: job.priority === SEGMENT_PRIORITY.viewer ? NICENESS.waited : NICENESS.soon,
      ...(hurry ? { hurry } : {}),
    };
    const files = await make(src, work, run);
    const published = await Promise.all(files.map((f) => publish(deps.storage, asset.id, f, signal)));
    const ours = await deps.sql.begin(async (tx) => {
      if (!(await finishSegmentJob(tx, job, deps.workerId))) return false;
      await recordArtifacts(tx, asset.id, published);
      return true;
    });
    if (!ours && (await getAssetById(deps.sql, asset.id))?.deleted_at) {
      await Promise.all(published.map((a) => deleteObject(deps.storage, a.key)));
    }
  } catch (err) {
    throw new Error(describeFailure(err).detail);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
