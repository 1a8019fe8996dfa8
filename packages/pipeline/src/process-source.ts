import { join } from 'node:path';
import { initPath, MASTER_PATH, OPENER_PATH, segmentPath } from '@kino/artifacts';
import { advancePlayableState, listArtifacts, markSourceFailed, recordArtifacts, setSourceMeta, type AssetRow, type Sql } from '@kino/db';
import { appendEvent } from '@kino/events';
import { enqueueJobOnce, type JobContext, type MediaJob } from '@kino/jobs';
import {
  MediaError,
  makeOpener,
  renditionNames,
  probe,
  writePlaylists,
  type MediaPlan,
  type ProbeResult,
  type RunOptions,
} from '@kino/media';
import { presignGet } from '@kino/storage';
import { startupPaths, startupRendition } from '@kino/playback';
import { hlsArtifacts, publish } from './artifacts.ts';
import { assetMedia, type AssetMedia } from './asset-plan.ts';
import { SOURCE_ERRORS } from './failure.ts';
import { withJobScope, type JobScope, type PipelineDeps } from './job-scope.ts';

/** The segments a player plays right after the opener (4 s of it: segment 1 starts there). */
const HANDOFF_SEGMENTS = [1, 2];

/**
 * The first media job of an upload, and the most urgent: what a viewer waits for. Probe the
 * source, then at once publish the segment plan's playlists (from then on every second of
 * the video plays, each missing segment made just in time: segments.ts) while the opener,
 * the fastest first frame, encodes. Then queue the ladder's job (encode-ladder.ts), which
 * runs in a lane of its own. Steps already recorded are skipped, so an attempt after a
 * killed one resumes instead of starting over.
 */
export async function processSource(deps: PipelineDeps, job: MediaJob, ctx: JobContext): Promise<void> {
  await withJobScope(deps, job, ctx, async (scope) => {
    const { asset } = scope;
    ctx.progress({ step: 'probe', fraction: 0 });
    // The opener needs only the first seconds: ffmpeg reads them straight from the origin,
    // so opener_ready does not wait on a download that grows with the video's length.
    const remote = await presignGet(deps.storage, asset.source_key, 3600);
    let input = remote;
    // Once playlists are published the plan must not change: an attempt after the first
    // plans from the probe the first one recorded.
    let p = (asset.media_probe as ProbeResult | null) ?? (await probe(remote, scope.run('probe')).catch(() => null));
    // A failed remote probe says nothing certain about the file (the origin may have
    // hiccupped): only the probe of the downloaded copy may declare the source unplayable.
    if (!p) {
      await scope.download();
      input = scope.src;
      p = await probeOrReject(deps.sql, asset, scope.src, scope.run('probe'));
    }
    const probed = p;
    if (!asset.media_probe) await setSourceMeta(deps.sql, asset.id, sourceMeta(probed), probed);
    const media = assetMedia(asset, probed);
    const { plan } = media;
    const done = new Set((await listArtifacts(deps.sql, asset.id)).map((a) => a.path));

    // The playlists' publishing is storage and database round trips, the opener's encode is
    // CPU: they overlap. The segments a player needs at the opener's end are queued only
    // once the opener is out, so they do not take cores from the first frame.
    const steps = await Promise.allSettled([
      done.has(MASTER_PATH) ? Promise.resolve(false) : publishPlaylists(deps, scope, plan).then(() => true),
      done.has(OPENER_PATH) ? Promise.resolve() : publishOpener(deps, scope, input, media, ctx),
    ]);
    for (const step of steps) if (step.status === 'rejected') throw step.reason;
    if (steps[0].status === 'fulfilled' && steps[0].value) await prepareHandOff(deps, scope, plan);

    // The ladder's job, queued once whatever the number of attempts of this one.
    let queued = false;
    await scope.commit([], async (tx) => {
      const ladder = await enqueueJobOnce(tx, {
        assetId: asset.id,
        accountId: asset.account_id,
        kind: 'encode_ladder',
        maxAttempts: job.max_attempts,
      });
      if (ladder) {
        queued = true;
        await appendEvent(tx, {
          accountId: asset.account_id,
          assetId: asset.id,
          type: 'job.queued',
          data: { job_id: ladder.id, reason: 'ladder' },
        });
      }
    });
    if (queued) {
      deps.onEvents?.(asset.account_id);
      deps.onJobQueued?.();
    }
  });
}

/** The segment plan's playlists, master last: once it exists, every playlist it names does. */
async function publishPlaylists(deps: PipelineDeps, scope: JobScope, plan: MediaPlan): Promise<void> {
  const { asset, ref } = scope;
  const files = hlsArtifacts(scope.hlsDir, plan, await writePlaylists(scope.hlsDir, plan));
  const master = files.pop()!;
  const published = await scope.publishAll('playlists', files);
  published.push(await publish(deps.storage, asset.id, master, scope.signal));
  const renditions = renditionNames(plan);
  await scope.commit(
    [{ type: 'asset.playlists_ready', data: { renditions, segments: plan.segments.length, duration_sec: plan.durationSec } }],
    (tx) => recordArtifacts(tx, asset.id, published),
  );
  deps.warm?.(ref, [...new Set([MASTER_PATH, ...startupPaths(await listArtifacts(deps.sql, asset.id))])]);
}

/**
 * What a player needs at the opener's end, made now rather than when it asks: the startup
 * rendition's init segment and the segments after the opener, and the same of the audio
 * (whose whole track takes a while on a long source).
 */
async function prepareHandOff(deps: PipelineDeps, scope: JobScope, plan: MediaPlan): Promise<void> {
  const startup = startupRendition(await listArtifacts(deps.sql, scope.asset.id))?.name;
  if (!startup) return;
  const renditions = [startup, plan.audio?.name].filter((r): r is string => r !== undefined);
  deps.prepareSegments?.(
    scope.ref,
    renditions.flatMap((r) => [initPath(r), ...HANDOFF_SEGMENTS.map((n) => segmentPath(r, n))]),
  );
}

/** The first seconds as one MP4: the fastest first frame; the asset is opener_ready with it. */
async function publishOpener(deps: PipelineDeps, scope: JobScope, input: string, media: AssetMedia, ctx: JobContext): Promise<void> {
  const { asset, ref } = scope;
  ctx.progress({ step: 'opener', fraction: 0 });
  const file = join(scope.work, OPENER_PATH);
  await makeOpener(input, file, media.probe, scope.run('opener'), media.preset);
  const artifact = await publish(
    deps.storage,
    asset.id,
    { path: OPENER_PATH, kind: 'opener', file, rendition: null, width: null, height: null, bitrate: null },
    scope.signal,
  );
  await scope.commit([{ type: 'asset.opener_ready', data: { path: OPENER_PATH, bytes: artifact.bytes } }], async (tx) => {
    await recordArtifacts(tx, asset.id, [artifact]);
    await advancePlayableState(tx, asset.id, 'opener_ready');
  });
  deps.warm?.(ref, [OPENER_PATH]);
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
