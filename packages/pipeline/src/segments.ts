import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classify, initPath, segmentPath } from '@kino/artifacts';
import { getAssetById, recordArtifacts, type AssetRow, type Queryable, type Sql } from '@kino/db';
import { waitWoken, type RedisBus } from '@kino/events';
import {
  announceSegmentJobs,
  announceSegmentWanted,
  finishSegmentJob,
  leaveSegment,
  requestSegment,
  SEGMENT_DONE_CHANNEL,
  SEGMENT_PRIORITY,
  segmentPending,
  type SegmentJob,
} from '@kino/jobs';
import { encodeAudioSegment, encodeSegment, type MediaPlan, type ProbeResult } from '@kino/media';
import { assetMedia } from './asset-plan.ts';
import { deleteObject, presignGet, type Storage } from '@kino/storage';
import { publish, renditionColumns, type LocalArtifact } from './artifacts.ts';
import { describeFailure } from './failure.ts';
import { NICENESS } from './job-scope.ts';
import { SCRATCH_PREFIX } from './scratch.ts';

// Just-in-time segments: an edge misses a planned segment the origin does not have yet,
// asks the api (answerSegmentRequest), which queues it and waits; a worker's segment runner
// encodes it (produceSegment) and records it; the edge fills it from the origin like any
// other artifact. Audio segments too: the whole track is encoded once, early, by the media
// job, but on a long source a viewer who seeks far does not wait for it.

export interface SegmentBounds {
  /** Pending viewer requests across the tier (JIT_QUEUE_LIMIT). */
  limit: number;
  /** Of those, per account. */
  accountLimit: number;
}

/** The asset's plan, as published, and what a path of it is; undefined for anything outside it. */
export function plannedSegment(
  asset: Pick<AssetRow, 'media_probe' | 'preset' | 'deleted_at' | 'source_state' | 'error'>,
  path: string,
): { plan: MediaPlan; probe: ProbeResult; rendition: string; index: number; audio: boolean } | undefined {
  // A deleted asset, or one whose source turned out unplayable or whose processing failed
  // for good: nothing more of it is made.
  if (asset.deleted_at || !asset.media_probe || asset.source_state === 'failed' || asset.error) return undefined;
  const info = classify(path);
  if (info.kind !== 'init' && info.kind !== 'segment') return undefined;
  const { probe, plan } = assetMedia(asset, asset.media_probe as unknown as ProbeResult);
  const audio = plan.audio?.name === info.rendition;
  if (!audio && !plan.video.some((r) => r.name === info.rendition)) return undefined;
  // An init segment comes with any segment's encode; segment 0's is as good as any.
  const index = info.kind === 'init' ? 0 : info.segment!;
  if (index >= plan.segments.length) return undefined;
  return { plan, probe, rendition: info.rendition, index, audio };
}

async function recorded(sql: Queryable, assetId: string, paths: string[]): Promise<Set<string>> {
  const rows = await sql<{ path: string }[]>`select path from artifacts where asset_id = ${assetId} and path = any(${paths})`;
  return new Set(rows.map((r) => r.path));
}

export type SegmentAnswer = { status: 'ready' } | { status: 'refused' } | { status: 'busy'; retryAfterSec: number };

export interface AnswerDeps {
  sql: Sql;
  bus?: RedisBus;
  bounds: SegmentBounds;
  /** How long a request waits for its segment before the edge is told to come back. */
  waitMs: number;
  /** How often a waiter looks at the tables when no notice arrives (Redis away). */
  pollMs?: number;
}

/**
 * The api's side of a just-in-time request: refuses what the plan does not list (and
 * deleted assets) without queuing anything, answers at once for what exists, and otherwise
 * queues the segment (joining a pending request for it) and waits, within `waitMs`, for
 * its artifact row. `busy` when the queue is full or the wait ran out: the edge answers 503
 * with Retry-After, and the player asks again. `signal` aborts when the asker went away:
 * a queued segment nobody else waits for is then dropped (leaveSegment).
 */
export async function answerSegmentRequest(deps: AnswerDeps, assetId: string, path: string, signal: AbortSignal): Promise<SegmentAnswer> {
  const asset = await getAssetById(deps.sql, assetId);
  const planned = asset && plannedSegment(asset, path);
  if (!asset || !planned) return { status: 'refused' };
  if ((await recorded(deps.sql, assetId, [path])).size > 0) return { status: 'ready' };
  // An init segment comes with segment 0's encode: asking for either joins the same job.
  const job = segmentPath(planned.rendition, planned.index);
  const queued = await requestSegment(deps.sql, {
    assetId,
    accountId: asset.account_id,
    path: job,
    priority: SEGMENT_PRIORITY.viewer,
    ...deps.bounds,
  });
  if (queued === 'full') return { status: 'busy', retryAfterSec: 2 };
  if (queued === 'queued' && deps.bus) await announceSegmentJobs(deps.bus.redis).catch(() => {});
  // It may be read-ahead being encoded niced: the worker raises it.
  if (queued === 'joined' && deps.bus) await announceSegmentWanted(deps.bus.redis, assetId, job).catch(() => {});
  try {
    return await waitForSegment(deps, assetId, path, job, signal);
  } finally {
    await leaveSegment(deps.sql, assetId, job, { gone: signal.aborted });
  }
}

/** Waits for `path`'s artifact row; `job` is the segment job that makes it. */
async function waitForSegment(deps: AnswerDeps, assetId: string, path: string, job: string, signal: AbortSignal): Promise<SegmentAnswer> {
  const answer = await waitWoken<SegmentAnswer | null>({
    read: async () => {
      if ((await recorded(deps.sql, assetId, [path])).size > 0) return { status: 'ready' };
      // Its job ended without recording it: the encode failed. Nothing was cached; the
      // player's retry asks again.
      if (!(await segmentPending(deps.sql, assetId, job))) {
        return (await recorded(deps.sql, assetId, [path])).size > 0 ? { status: 'ready' } : { status: 'busy', retryAfterSec: 1 };
      }
      return null;
    },
    done: (a) => a !== null,
    subscribe: (wake) => {
      const notice = deps.bus?.subscribe(SEGMENT_DONE_CHANNEL, (message) => {
        if (message === `${assetId} ${job}`) wake();
      });
      return () => notice?.close();
    },
    timeoutMs: deps.waitMs,
    recheckMs: deps.pollMs ?? 500,
    signal,
  });
  return answer ?? { status: 'busy', retryAfterSec: 1 };
}

export interface ProduceDeps {
  sql: Sql;
  storage: Storage;
  bus?: RedisBus;
  tmpRoot: string;
  timeoutMs: number;
  workerId: string;
  bounds: SegmentBounds;
  /** Segments after a viewer's miss to queue at read-ahead priority, so watching on never waits. */
  readAhead: number;
}

/**
 * The worker's side: encodes one planned segment, video or audio, from the source (read
 * from the origin with a seek, never downloaded whole), publishes it and, when the
 * rendition has no init segment yet, that too; then records them in the transaction that ends the job. A
 * job that is no longer ours because the asset was deleted takes its uploads back with it.
 */
export async function produceSegment(deps: ProduceDeps, job: SegmentJob, signal: AbortSignal, hurry?: AbortSignal): Promise<void> {
  const asset = await getAssetById(deps.sql, job.asset_id);
  const planned = asset && plannedSegment(asset, job.path);
  if (!asset || !planned) return;
  const { plan, probe, rendition, index } = planned;
  const wanted = [segmentPath(rendition, index), initPath(rendition)];
  const have = await recorded(deps.sql, asset.id, wanted);
  if (wanted.every((p) => have.has(p))) return;

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
    const out = planned.audio
      ? await encodeAudioSegment(src, probe, plan, index, join(work, 'out'), run)
      : await encodeSegment(src, probe, plan, rendition, index, join(work, 'out'), run);
    // The same columns the ladder records, so the rendition reads the same whoever made its files.
    const dims = renditionColumns(plan, rendition);
    const files: LocalArtifact[] = [
      { path: wanted[0]!, kind: 'segment' as const, file: out.segment, ...dims },
      { path: wanted[1]!, kind: 'init' as const, file: out.init, ...dims },
    ].filter((f) => !have.has(f.path));
    const published = await Promise.all(files.map((f) => publish(deps.storage, asset.id, f, signal)));
    const ours = await deps.sql.begin(async (tx) => {
      if (!(await finishSegmentJob(tx, job, deps.workerId))) return false;
      await recordArtifacts(tx, asset.id, published);
      return true;
    });
    if (!ours && (await getAssetById(deps.sql, asset.id))?.deleted_at) {
      await Promise.all(published.map((a) => deleteObject(deps.storage, a.key)));
      return;
    }
  } catch (err) {
    // The runner logs what this throws: the same scrubbed words as a media job's failure,
    // never a scratch path or a presigned URL.
    throw new Error(describeFailure(err).detail);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (job.priority === SEGMENT_PRIORITY.viewer) await readAhead(deps, asset, rendition, index, plan.segments.length);
}

async function readAhead(deps: ProduceDeps, asset: AssetRow, rendition: string, index: number, count: number): Promise<void> {
  const next = Array.from({ length: deps.readAhead }, (_, k) => index + 1 + k).filter((n) => n < count);
  await queueReadAhead(
    deps,
    { id: asset.id, accountId: asset.account_id },
    next.map((n) => segmentPath(rendition, n)),
  );
}

/**
 * Queues segments at read-ahead priority, those not made yet, within the bounds (a full
 * queue skips them: read-ahead only ever makes watching smoother). Init segments are queued
 * as their rendition's segment 0, which makes them.
 */
export async function queueReadAhead(
  deps: { sql: Sql; bus?: RedisBus; bounds: SegmentBounds },
  asset: { id: string; accountId: string },
  paths: string[],
): Promise<void> {
  const jobs = [...new Set(paths.map((p) => (classify(p).kind === 'init' ? segmentPath(classify(p).rendition, 0) : p)))];
  const have = await recorded(deps.sql, asset.id, jobs);
  let queued = false;
  for (const path of jobs.filter((p) => !have.has(p))) {
    const r = { assetId: asset.id, accountId: asset.accountId, path, priority: SEGMENT_PRIORITY.readAhead, ...deps.bounds };
    if ((await requestSegment(deps.sql, r)) === 'queued') queued = true;
  }
  if (queued && deps.bus) await announceSegmentJobs(deps.bus.redis).catch(() => {});
}
