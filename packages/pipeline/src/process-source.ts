import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pMap from 'p-map';
import {
  advancePlayableState,
  getAssetById,
  listArtifacts,
  markSourceFailed,
  recordArtifacts,
  setSourceMeta,
  type AssetRow,
  type Queryable,
  type Sql,
} from '@kino/db';
import { artifactPrefix, HLS_PREFIX, initPath, MASTER_PATH, OPENER_PATH, playlistPath, segmentPath, THUMBNAIL_PATH } from '@kino/artifacts';
import { appendEvents, type NewEvent } from '@kino/events';
import { JobFailure, LeaseLostError, type FailureReport, type JobContext, type MediaJob } from '@kino/jobs';
import {
  declaredBandwidth,
  MediaError,
  makeAudio,
  makeLadder,
  makeOpener,
  makeThumbnail,
  planMedia,
  probe,
  scrub,
  writePlaylists,
  type LadderRendition,
  type MediaPlan,
  type ProbeResult,
  type RunOptions,
} from '@kino/media';
import { deleteObject, deletePrefix, downloadToFile, listKeys, presignGet, type Storage } from '@kino/storage';
import { startupPaths, startupRendition } from '@kino/playback';
import { hlsArtifacts, publish, renditionArtifacts, renditionColumns, type LocalArtifact } from './artifacts.ts';
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
  /**
   * Queues segments for just-in-time encoding at read-ahead priority (see segments.ts).
   * Called without waiting; like warming, it only ever makes a viewer's start faster.
   */
  prepareSegments?: (asset: { id: string; accountId: string }, paths: string[]) => void;
}

/** Failures that no retry can fix: the file itself is not something we can play. */
const SOURCE_ERRORS = new Set(['NO_MEDIA_STREAMS', 'ZERO_DURATION', 'CORRUPT_SOURCE']);

/**
 * How a failure reads on the asset and whether another attempt could succeed. `detail`
 * goes to the job record and the logs: like the asset's error, it is scrubbed of URLs,
 * paths and hosts (ffmpeg's words already are, by the runner; an S3 or database error's
 * are here), so a presigned URL or a scratch path never reaches either.
 */
export function describeFailure(err: unknown): FailureReport {
  if (err instanceof MediaError) {
    const detail = scrub([err.message, err.stderrTail].filter(Boolean).join('\n'));
    if (SOURCE_ERRORS.has(err.code)) return { detail, retryable: false, error: { code: err.code, message: err.message } };
    if (err.code === 'FFMPEG_TIMEOUT') {
      return {
        detail,
        retryable: false,
        error: { code: 'PROCESSING_TIMEOUT', message: 'Processing took longer than the configured limit.' },
      };
    }
    if (err.code === 'UNSAFE_COMMAND') {
      return { detail, retryable: false, error: { code: 'PROCESSING_FAILED', message: 'Processing failed: the command was refused.' } };
    }
    const last = err.stderrTail?.trim().split('\n').pop();
    return {
      detail,
      retryable: true,
      error: { code: 'ENCODING_FAILED', message: scrub(`The video could not be encoded${last ? `: ${last}` : '.'}`) },
    };
  }
  return {
    detail: scrub(err instanceof Error ? `${err.name}: ${err.message}` : String(err)),
    retryable: true,
    error: { code: 'PROCESSING_FAILED', message: 'Processing failed after several attempts.' },
  };
}

/** The probe as users see it on the asset, in the API's snake_case. */
function sourceMeta(p: ProbeResult) {
  const v = p.video;
  const a = p.audio;
  return {
    duration_sec: p.durationSec,
    size_bytes: p.sizeBytes,
    format: p.formatName,
    bit_rate: p.bitRate ?? null,
    video: v
      ? {
          codec: v.codec,
          width: v.width,
          height: v.height,
          display_width: v.displayWidth,
          display_height: v.displayHeight,
          rotation: v.rotation,
          fps: v.fps,
          pix_fmt: v.pixFmt ?? null,
          bit_depth: v.bitDepth ?? null,
          field_order: v.fieldOrder ?? null,
          color_transfer: v.colorTransfer ?? null,
          color_primaries: v.colorPrimaries ?? null,
          color_space: v.colorSpace ?? null,
          bit_rate: v.bitRate ?? null,
        }
      : null,
    audio: a ? { codec: a.codec, channels: a.channels, sample_rate: a.sampleRate, bit_rate: a.bitRate ?? null } : null,
  };
}

/**
 * The media job. Probe the source and publish the segment plan's playlists at once: from
 * then on every second of the video plays, each missing segment made just in time
 * (segments.ts). Then the opener (the fastest first frame), the audio rendition (once,
 * early: it is cheap), and the video ladder at a lower CPU priority, beside the thumbnail.
 * Each step that is already recorded is skipped, so an attempt that follows a killed one
 * resumes instead of starting over; segments made just in time are not uploaded again.
 */
export async function processSource(deps: PipelineDeps, job: MediaJob, ctx: JobContext): Promise<void> {
  const asset = await getAssetById(deps.sql, job.asset_id);
  if (!asset || asset.deleted_at) return;
  const work = await mkdtemp(join(deps.tmpRoot || tmpdir(), `${SCRATCH_PREFIX}${job.id}-${process.pid}-`));
  /**
   * Runs `fn` in a transaction that first proves this worker still holds the job, and
   * records `events` in it: a step and its events commit together or not at all.
   */
  const commit = async (events: Array<Omit<NewEvent, 'accountId' | 'assetId'>>, fn: (tx: Queryable) => Promise<void>) => {
    await deps.sql.begin(async (tx) => {
      await ctx.holdLease(tx);
      await fn(tx);
      await appendEvents(
        tx,
        events.map((e) => ({ ...e, accountId: asset.account_id, assetId: asset.id })),
      );
    });
    if (events.length > 0) deps.onEvents?.(asset.account_id);
  };
  const ref = { id: asset.id, accountId: asset.account_id };

  // The opener needs only the first seconds: ffmpeg reads them straight from the origin,
  // so opener_ready does not wait on a download that grows with the video's length. The
  // download for the ladder starts once the opener is encoded, so the two do not compete.
  const src = join(work, 'source');
  const hlsDir = join(work, 'hls');
  const inner = new AbortController(); // one step failing stops the others
  const stopAll = () => inner.abort();
  ctx.signal.addEventListener('abort', stopAll, { once: true });
  const running: Array<Promise<unknown>> = [];
  const start = <T>(p: Promise<T>): Promise<T> => {
    running.push(p.catch(() => {}));
    return p;
  };
  const run = (step: string, background = false): RunOptions => ({
    signal: inner.signal,
    timeoutMs: deps.ffmpegTimeoutMs,
    // Each ffmpeg gets an empty directory of its own inside the job's.
    scratchRoot: work,
    ...(background ? { nice: BACKGROUND_NICENESS } : {}),
    onProgress: ({ fraction }) => ctx.progress({ step, fraction }),
  });
  /** Uploads files, `concurrency` at a time, reporting progress as `step`. */
  const publishAll = async (step: string, files: LocalArtifact[]) => {
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
  };
  let downloading: Promise<void> | undefined;
  const download = () => (downloading ??= start(downloadToFile(deps.storage, asset.source_key, src, inner.signal)));
  try {
    ctx.progress({ step: 'probe', fraction: 0 });
    const remote = await presignGet(deps.storage, asset.source_key, 3600);
    // Once playlists are published the plan must not change: an attempt after the first
    // plans from the probe the first one recorded.
    let input = remote;
    let p = (asset.media_probe as ProbeResult | null) ?? (await probe(remote, run('probe')).catch(() => null));
    // A failed remote probe says nothing certain about the file (the origin may have
    // hiccupped): only the probe of the downloaded copy may declare the source unplayable.
    if (!p) {
      await download();
      input = src;
      p = await probeOrReject(deps.sql, asset, src, run('probe'));
    }
    const probed = p;
    if (!asset.media_probe) await setSourceMeta(deps.sql, asset.id, sourceMeta(probed), probed);
    const plan = planMedia(probed);
    const done = new Set((await listArtifacts(deps.sql, asset.id)).map((a) => a.path));

    if (!done.has(MASTER_PATH)) {
      const files = hlsArtifacts(hlsDir, plan, await writePlaylists(hlsDir, plan));
      // The master goes last: once it exists, every playlist it names does.
      const master = files.pop()!;
      const published = await publishAll('playlists', files);
      published.push(await publish(deps.storage, asset.id, master, inner.signal));
      const renditions = [...plan.video.map((r) => r.name), ...(plan.audio ? [plan.audio.name] : [])];
      await commit(
        [{ type: 'asset.playlists_ready', data: { renditions, segments: plan.segments.length, duration_sec: plan.durationSec } }],
        (tx) => recordArtifacts(tx, asset.id, published),
      );
      const artifacts = await listArtifacts(deps.sql, asset.id);
      deps.warm?.(ref, [...new Set([MASTER_PATH, ...startupPaths(artifacts)])]);
      // What a player needs at the opener's end: the startup rendition's init segment and
      // the segments after the opener, made now rather than when it asks.
      const startup = startupRendition(artifacts)?.name;
      if (startup && plan.video.length > 0)
        deps.prepareSegments?.(ref, [initPath(startup), ...HANDOFF_SEGMENTS.map((n) => segmentPath(startup, n))]);
    }

    if (!done.has(OPENER_PATH)) {
      ctx.progress({ step: 'opener', fraction: 0 });
      const file = join(work, OPENER_PATH);
      await makeOpener(input, file, probed, run('opener'));
      void download();
      const artifact = await publish(deps.storage, asset.id, { path: OPENER_PATH, kind: 'opener', file, ...renditionless }, inner.signal);
      await commit([{ type: 'asset.opener_ready', data: { path: OPENER_PATH, bytes: artifact.bytes } }], async (tx) => {
        await recordArtifacts(tx, asset.id, [artifact]);
        await advancePlayableState(tx, asset.id, 'opener_ready');
      });
      deps.warm?.(ref, [OPENER_PATH]);
    }

    await download();
    if (input === remote) {
      // Only the whole file shows whether it is complete (a faststart MP4 cut short has a
      // fine beginning): if not, an opener made from that beginning must go again.
      try {
        await probe(src, run('probe'));
      } catch (err) {
        if (err instanceof MediaError && SOURCE_ERRORS.has(err.code)) {
          await markSourceFailed(deps.sql, asset.id);
          await deletePrefix(deps.storage, artifactPrefix(asset.id));
        }
        throw err;
      }
    }

    /** Publishes an encoded rendition's files that are not recorded yet (just in time made them). */
    const publishRenditions = async (step: string, encoded: LadderRendition[]) => {
      const have = new Set((await listArtifacts(deps.sql, asset.id)).map((a) => a.path));
      const files = encoded.flatMap((r) => renditionArtifacts(hlsDir, plan, r)).filter((f) => !have.has(f.path));
      const published = await publishAll(step, files);
      const events = encoded.map((r) => {
        const columns = renditionColumns(plan, r.name);
        const video = plan.video.find((v) => v.name === r.name);
        return {
          type: 'asset.rendition_ready' as const,
          data: {
            rendition: r.name,
            width: columns.width,
            height: columns.height,
            bitrate: video ? declaredBandwidth(plan, video).peak : columns.bitrate,
            codecs: video?.codecs ?? plan.audio!.codecs,
          },
        };
      });
      await commit(events, (tx) => recordArtifacts(tx, asset.id, published));
    };

    if (plan.audio && !renditionDone(done, plan, plan.audio.name)) {
      ctx.progress({ step: 'audio', fraction: 0 });
      await publishRenditions('audio', [await makeAudio(src, hlsDir, probed, plan, run('audio'))]);
    }

    // The ladder is background work: just-in-time segments and other assets' openers take
    // the cores first. The small thumbnail encode runs beside it.
    const ladder = plan.video.every((r) => renditionDone(done, plan, r.name))
      ? null
      : start(makeLadder(src, hlsDir, probed, plan, run('ladder', true)));

    if (!done.has(THUMBNAIL_PATH)) {
      const file = join(work, THUMBNAIL_PATH);
      await makeThumbnail(src, file, probed, run('thumbnail', true));
      const artifact = await publish(
        deps.storage,
        asset.id,
        { path: THUMBNAIL_PATH, kind: 'thumbnail', file, ...renditionless },
        inner.signal,
      );
      await commit([{ type: 'asset.thumbnail_ready', data: { path: THUMBNAIL_PATH, bytes: artifact.bytes } }], (tx) =>
        recordArtifacts(tx, asset.id, [artifact]),
      );
      deps.warm?.(ref, [THUMBNAIL_PATH]);
    }

    if (ladder) await publishRenditions('upload', await ladder);
    await removeUnplanned(deps, asset.id, plan, (tx) => ctx.holdLease(tx));
    if (asset.playable_state !== 'hls_ready') {
      const renditions = [...plan.video.map((r) => r.name), ...(plan.audio ? [plan.audio.name] : [])];
      await commit([{ type: 'asset.hls_ready', data: { renditions } }], (tx) => advancePlayableState(tx, asset.id, 'hls_ready'));
    }
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

/** The ladder runs at this niceness: below openers and just-in-time segments, which run at 0. */
const BACKGROUND_NICENESS = 10;
/** The segments a player plays right after the opener (4 s of it: segment 1 starts there). */
const HANDOFF_SEGMENTS = [1, 2];

/**
 * Removes HLS files the plan does not list, rows and objects: what an attempt under another
 * plan (an earlier version, a bug) left, which no playlist names and nothing would clean.
 */
async function removeUnplanned(
  deps: PipelineDeps,
  assetId: string,
  plan: MediaPlan,
  holdLease: (tx: Queryable) => Promise<void>,
): Promise<void> {
  const planned = new Set(plannedPaths(plan));
  const stale = (await listKeys(deps.storage, artifactPrefix(assetId, HLS_PREFIX))).filter(
    (key) => !planned.has(key.slice(artifactPrefix(assetId).length)),
  );
  await deps.sql.begin(async (tx) => {
    await holdLease(tx);
    await tx`delete from artifacts where asset_id = ${assetId} and starts_with(path, ${HLS_PREFIX}) and not path = any(${[...planned]})`;
  });
  await Promise.all(stale.map((key) => deleteObject(deps.storage, key)));
}

/** Every HLS artifact path of the plan: the master, and each rendition's playlist, init segment and segments. */
function plannedPaths(plan: MediaPlan): string[] {
  const renditions = [...plan.video.map((r) => r.name), ...(plan.audio ? [plan.audio.name] : [])];
  return [MASTER_PATH, ...renditions.flatMap((r) => [playlistPath(r), initPath(r), ...plan.segments.map((_, n) => segmentPath(r, n))])];
}

/** Whether every file of a rendition (init and each planned segment) is recorded. */
function renditionDone(done: Set<string>, plan: MediaPlan, rendition: string): boolean {
  return done.has(initPath(rendition)) && plan.segments.every((_, n) => done.has(segmentPath(rendition, n)));
}

const renditionless = { rendition: null, width: null, height: null, bitrate: null };

async function probeOrReject(sql: Sql, asset: AssetRow, src: string, opts: RunOptions): Promise<ProbeResult> {
  try {
    return await probe(src, opts);
  } catch (err) {
    if (err instanceof MediaError && SOURCE_ERRORS.has(err.code)) {
      // The upload arrived whole but is not something we can play: the source failed.
      await markSourceFailed(sql, asset.id);
    }
    throw err;
  }
}
