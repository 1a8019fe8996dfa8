import { join } from 'node:path';
import { classify, initPath, segmentPath } from '@kino/artifacts';
import { getAssetById, type AssetRow, type Sql } from '@kino/db';
import { waitWoken, type RedisBus } from '@kino/events';
import {
  announceSegmentJobs,
  announceSegmentWanted,
  leaveSegment,
  requestSegment,
  SEGMENT_DONE_CHANNEL,
  SEGMENT_PRIORITY,
  segmentPending,
  type SegmentJob,
} from '@kino/jobs';
import { encodeAudioSegment, encodeSegment, type MediaPlan, type ProbeResult } from '@kino/media';
import { renditionColumns } from './artifacts.ts';
import { plannedImage, produceImage, roomForImage } from './images.ts';
import { produceOnDemand, recorded, type OnDemandDeps } from './on-demand.ts';
import { assetMedia } from './asset-plan.ts';

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

/**
 * The on-demand job that makes `path`: a segment's own, its rendition's segment 0 for an
 * init segment (which comes with that encode), an image variant's own; undefined for what
 * is not to be made.
 */
function jobPathOf(asset: AssetRow, path: string): string | undefined {
  if (classify(path).kind === 'image') return plannedImage(asset, path) && path;
  const planned = plannedSegment(asset, path);
  return planned && segmentPath(planned.rendition, planned.index);
}

/**
 * `limited`: an image variant the asset has no room for (IMAGE_VARIANTS_PER_ASSET), or whose
 * account has no stored bytes left; it is not made, however often it is asked for.
 */
export type SegmentAnswer = { status: 'ready' } | { status: 'refused' } | { status: 'limited' } | { status: 'busy'; retryAfterSec: number };

export interface AnswerDeps {
  sql: Sql;
  bus?: RedisBus;
  bounds: SegmentBounds;
  /** How long a request waits for its segment before the edge is told to come back. */
  waitMs: number;
  /** How often a waiter looks at the tables when no notice arrives (Redis away). */
  pollMs?: number;
  /** The account's stored bytes left: an image variant is an artifact it stores (segments are its ladder's, already admitted). */
  storageLeft?: (accountId: string) => Promise<number>;
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
  const job = asset && jobPathOf(asset, path);
  if (!asset || !job) return { status: 'refused' };
  if ((await recorded(deps.sql, assetId, [path])).size > 0) return { status: 'ready' };
  if (job === path && classify(path).kind === 'image') {
    if (!(await roomForImage(deps.sql, assetId))) return { status: 'limited' };
    if (deps.storageLeft && (await deps.storageLeft(asset.account_id)) <= 0) return { status: 'limited' };
  }
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

export interface ProduceDeps extends OnDemandDeps {
  bus?: RedisBus;
  bounds: SegmentBounds;
  /** Segments after a viewer's miss to queue at read-ahead priority, so watching on never waits. */
  readAhead: number;
}

/**
 * The worker's side: encodes one planned segment, video or audio, from the source, and,
 * when the rendition has no init segment yet, that too (see produceOnDemand); then
 * queues read-ahead after a viewer's miss.
 */
export async function produceSegment(deps: ProduceDeps, job: SegmentJob, signal: AbortSignal, hurry?: AbortSignal): Promise<void> {
  const asset = await getAssetById(deps.sql, job.asset_id);
  const planned = asset && plannedSegment(asset, job.path);
  if (!asset || !planned) return;
  const { plan, probe, rendition, index } = planned;
  const wanted = [segmentPath(rendition, index), initPath(rendition)];
  const have = await recorded(deps.sql, asset.id, wanted);
  if (wanted.every((p) => have.has(p))) return;

  await produceOnDemand(deps, job, asset, signal, hurry, async (src, work, run) => {
    const out = planned.audio
      ? await encodeAudioSegment(src, probe, plan, index, join(work, 'out'), run)
      : await encodeSegment(src, probe, plan, rendition, index, join(work, 'out'), run);
    // The same columns the ladder records, so the rendition reads the same whoever made its files.
    const dims = renditionColumns(plan, rendition);
    return [
      { path: wanted[0]!, kind: 'segment' as const, file: out.segment, ...dims },
      { path: wanted[1]!, kind: 'init' as const, file: out.init, ...dims },
    ].filter((f) => !have.has(f.path));
  });
  if (job.priority === SEGMENT_PRIORITY.viewer) await readAhead(deps, asset, rendition, index, plan.segments.length);
}

/** The segment runner's handler: a segment, or an image variant, by what the job's path is. */
export function produceOnDemandJob(deps: ProduceDeps, job: SegmentJob, signal: AbortSignal, hurry?: AbortSignal): Promise<void> {
  return classify(job.path).kind === 'image' ? produceImage(deps, job, signal) : produceSegment(deps, job, signal, hurry);
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
