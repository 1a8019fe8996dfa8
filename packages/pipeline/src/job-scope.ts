import { mkdtemp, rm } from 'node:fs/promises';
import type { ProgressStep } from './steps.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pMap from 'p-map';
import { getAssetById, type AssetRow, type NewArtifact, type Queryable, type Sql } from '@kino/db';
import { appendEvents, type NewEvent } from '@kino/events';
import { JobFailure, LeaseLostError, type JobContext, type Logger, type MediaJob } from '@kino/jobs';
import type { RunOptions } from '@kino/media';
import { downloadToFile, type Storage } from '@kino/storage';
import { publish, type LocalArtifact } from './artifacts.ts';
import { describeFailure } from './failure.ts';
import { SCRATCH_PREFIX } from './scratch.ts';

export interface PipelineDeps {
  sql: Sql;
  storage: Storage;
  /** Where per-job scratch directories go; the OS temp dir when empty. */
  tmpRoot: string;
  ffmpegTimeoutMs: number;
  /** Parallel PUTs when publishing a ladder. */
  uploadConcurrency?: number;
  /**
   * Asks the edges to cache freshly published artifacts. Called without waiting, and it
   * must not throw: warming speeds up the first viewer, it is never a reason to fail.
   */
  warm?: (asset: { id: string; accountId: string }, paths: string[]) => void;
  /** Called after a commit that wrote events, to wake their readers. */
  onEvents?: (accountId: string) => void;
  /** Called after a commit that queued a job, to wake a worker without waiting for its poll. */
  onJobQueued?: () => void;
  /**
   * Queues segments for just-in-time encoding at read-ahead priority (see segments.ts).
   * Called without waiting; like warming, it only ever makes a viewer's start faster.
   */
  prepareSegments?: (asset: { id: string; accountId: string }, paths: string[]) => void;
  /** For what fails without failing the job (a rendition's quality measurement). */
  log?: Pick<Logger, 'warn'>;
}

/**
 * CPU niceness by what a viewer is waiting for: openers and segments a viewer asked for
 * run at 0; the audio rendition and read-ahead segments (wanted soon) at 10; ladders
 * (wanted by nobody in particular) at 19. Priorities without pausing anything. The steps
 * are wide on purpose: the kernel's weights for 0, 10 and 19 are about 1024, 110 and 15,
 * so a waited-for encode keeps ~90 % of the cores against two read-aheads, where 5 (335)
 * left it ~60 % and doubled a seek's wait.
 */
export const NICENESS = { waited: 0, soon: 10, background: 19 } as const;

/** What one attempt of a media job works with; see withJobScope. */
export interface JobScope {
  asset: AssetRow;
  ref: { id: string; accountId: string };
  /** The job's scratch directory, and where the source and the HLS files go in it. */
  work: string;
  src: string;
  hlsDir: string;
  /** Aborted when the job must stop, or when one of its steps failed. */
  signal: AbortSignal;
  /**
   * Runs `fn` in a transaction that first proves this worker still holds the job, and
   * records `events` in it: a step and its events commit together or not at all.
   */
  commit(events: Array<Omit<NewEvent, 'accountId' | 'assetId'>>, fn: (tx: Queryable) => Promise<void>): Promise<void>;
  /** ffmpeg options for a step, progress reported as `step`, at a NICENESS. */
  run(step: ProgressStep, nice?: number): RunOptions;
  /** Work that runs beside the step in hand and must be over (or stopped) when the job ends. */
  start<T>(p: Promise<T>): Promise<T>;
  /** Uploads files, several at a time, reporting progress as `step`. */
  publishAll(step: ProgressStep, files: LocalArtifact[]): Promise<NewArtifact[]>;
  /** The whole source into `src`, once however often asked. */
  download(): Promise<void>;
}

/**
 * Runs one attempt of a media job for a live asset: a scratch directory of its own (the
 * pid in its name lets a restarted worker recognise a dead one's), one abort for every step,
 * failures turned into a JobFailure the runner records, and nothing left running or on disk
 * when it returns.
 */
export async function withJobScope(
  deps: PipelineDeps,
  job: MediaJob,
  ctx: JobContext,
  body: (scope: JobScope) => Promise<void>,
): Promise<void> {
  const asset = job.asset_id ? await getAssetById(deps.sql, job.asset_id) : null;
  if (!asset || asset.deleted_at) return;
  const work = await mkdtemp(join(deps.tmpRoot || tmpdir(), `${SCRATCH_PREFIX}${job.id}-${process.pid}-`));
  const inner = new AbortController();
  const stopAll = () => inner.abort();
  ctx.signal.addEventListener('abort', stopAll, { once: true });
  const running: Array<Promise<unknown>> = [];
  const src = join(work, 'source');
  let downloading: Promise<void> | undefined;
  const scope: JobScope = {
    asset,
    ref: { id: asset.id, accountId: asset.account_id },
    work,
    src,
    hlsDir: join(work, 'hls'),
    signal: inner.signal,
    async commit(events, fn) {
      await deps.sql.begin(async (tx) => {
        await ctx.holdLease(tx);
        await fn(tx);
        await appendEvents(
          tx,
          events.map((e) => ({ ...e, accountId: asset.account_id, assetId: asset.id })),
        );
      });
      if (events.length > 0) deps.onEvents?.(asset.account_id);
    },
    run: (step, nice = NICENESS.waited) => ({
      signal: inner.signal,
      timeoutMs: deps.ffmpegTimeoutMs,
      // Each ffmpeg gets an empty directory of its own inside the job's.
      scratchRoot: work,
      nice,
      onProgress: ({ fraction }) => ctx.progress({ step, fraction }),
    }),
    start(p) {
      running.push(p.catch(() => {}));
      return p;
    },
    async publishAll(step, files) {
      let uploaded = 0;
      return pMap(
        files,
        async (f) => {
          const a = await publish(deps.storage, asset.id, f, inner.signal);
          ctx.progress({ step, fraction: ++uploaded / files.length });
          return a;
        },
        { concurrency: deps.uploadConcurrency ?? 8 },
      );
    },
    download: () => (downloading ??= scope.start(downloadToFile(deps.storage, asset.source_key, src, inner.signal))),
  };
  try {
    await body(scope);
  } catch (err) {
    if (err instanceof JobFailure || err instanceof LeaseLostError) throw err;
    throw new JobFailure(describeFailure(err));
  } finally {
    // Whatever failed, nothing keeps running (a download or a ladder) after the job.
    inner.abort();
    ctx.signal.removeEventListener('abort', stopAll);
    await Promise.all(running);
    await rm(work, { recursive: true, force: true });
  }
}
