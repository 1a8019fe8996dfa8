import { join } from 'node:path';
import {
  artifactPrefix,
  HLS_PREFIX,
  initPath,
  MASTER_PATH,
  playlistPath,
  segmentPath,
  STORYBOARD_SPRITE_PATH,
  STORYBOARD_VTT_PATH,
  THUMBNAIL_PATH,
} from '@kino/artifacts';
import { advancePlayableState, listArtifacts, markSourceFailed, recordArtifacts, type Queryable } from '@kino/db';
import type { JobContext, MediaJob } from '@kino/jobs';
import {
  MediaError,
  makeAudio,
  makeLadder,
  makeStoryboard,
  makeThumbnail,
  renditionNames,
  probe,
  type MediaPlan,
  type ProbeResult,
} from '@kino/media';
import { deleteObject, deletePrefix, listKeys, presignGet } from '@kino/storage';
import { publish } from './artifacts.ts';
import { assetMedia } from './asset-plan.ts';
import { recordLadderSpeed } from './encode-speed.ts';
import { publishAsWritten } from './publish-as-written.ts';
import { recordRenditionQuality } from './rendition-quality.ts';
import { publishRenditions, renditionDone } from './renditions.ts';
import { SOURCE_ERRORS } from './failure.ts';
import { NICENESS, withJobScope, type JobScope, type PipelineDeps } from './job-scope.ts';

/**
 * The second media job, queued by processSource once the opener is out, and claimed after
 * in the ladder lane, apart from every upload's first frames: the audio rendition (at once,
 * from the origin), the thumbnail, and the video ladder at the lowest CPU priority.
 * Segments made just in time are not uploaded again. Steps already recorded are skipped.
 */
export async function encodeLadder(deps: PipelineDeps, job: MediaJob, ctx: JobContext): Promise<void> {
  await withJobScope(deps, job, ctx, async (scope) => {
    const { asset, ref } = scope;
    // The plan the playlists were published from (processSource recorded its probe).
    if (!asset.media_probe) throw new Error('the asset has no segment plan: its first job did not run');
    const { probe: probed, plan, preset } = assetMedia(asset, asset.media_probe as unknown as ProbeResult);
    const done = new Set((await listArtifacts(deps.sql, asset.id)).map((a) => a.path));

    // The audio rendition first, the whole track once, read straight from the origin while
    // the source downloads: every viewer's video segment plays with it, and until it exists
    // each one's audio is made on demand too. It is cheap (~1 % of the ladder's CPU), so it
    // runs at a viewer's niceness. Segments viewers needed sooner were made just in time and
    // are not uploaded again.
    const stopAudio = new AbortController();
    const audio =
      plan.audio && !renditionDone(done, plan, plan.audio.name)
        ? scope.start(
            (async () => {
              const remote = await presignGet(deps.storage, asset.source_key, 3600);
              const run = { ...scope.run('audio'), signal: AbortSignal.any([scope.signal, stopAudio.signal]) };
              const encoded = await whilePublishing(
                deps,
                scope,
                plan,
                [plan.audio!.name],
                makeAudio(remote, scope.hlsDir, probed, plan, run),
              );
              await publishRenditions(deps, scope, plan, 'audio', [encoded]);
            })(),
          )
        : undefined;

    ctx.progress({ step: 'download', fraction: 0 });
    await scope.download();
    // Only the whole file shows whether it is complete (a faststart MP4 cut short has a
    // fine beginning): if not, the opener made from that beginning goes too. Before the
    // audio's outcome: a source cut short fails as such, not as a failed audio encode.
    try {
      ctx.progress({ step: 'probe', fraction: 0 });
      await probe(scope.src, scope.run('probe'));
    } catch (err) {
      if (err instanceof MediaError && SOURCE_ERRORS.has(err.code)) {
        // The audio stops, and what it was publishing lands, before the origin is emptied.
        stopAudio.abort();
        await audio?.catch(() => {});
        await markSourceFailed(deps.sql, asset.id);
        await deletePrefix(deps.storage, artifactPrefix(asset.id));
      }
      throw err;
    }
    await audio;

    // Background work: just-in-time segments and other assets' openers take the cores first.
    // The small thumbnail encode runs beside it.
    const ladder = plan.video.every((r) => renditionDone(done, plan, r.name))
      ? null
      : scope.start(
          whilePublishing(
            deps,
            scope,
            plan,
            plan.video.map((r) => r.name),
            timed(makeLadder(scope.src, scope.hlsDir, probed, plan, scope.run('ladder', NICENESS.background)), (wall) =>
              recordLadderSpeed(deps.sql, job.locked_by ?? 'unknown', preset, plan, wall).catch(() => {}),
            ),
          ),
        );

    if (!done.has(THUMBNAIL_PATH)) {
      const file = join(scope.work, THUMBNAIL_PATH);
      await makeThumbnail(scope.src, file, probed, scope.run('thumbnail'));
      const artifact = await publish(
        deps.storage,
        asset.id,
        { path: THUMBNAIL_PATH, kind: 'thumbnail', file, rendition: null, width: null, height: null, bitrate: null },
        scope.signal,
      );
      await scope.commit([{ type: 'asset.thumbnail_ready', data: { path: THUMBNAIL_PATH, bytes: artifact.bytes } }], (tx) =>
        recordArtifacts(tx, asset.id, [artifact]),
      );
      deps.warm?.(ref, [THUMBNAIL_PATH]);
    }

    if (!done.has(STORYBOARD_VTT_PATH)) await storyboard(deps, scope, probed);

    const encoded = ladder ? await ladder : [];
    if (encoded.length > 0) await publishRenditions(deps, scope, plan, 'upload', encoded);
    await removeUnplanned(deps, scope, plan);
    if (asset.playable_state !== 'hls_ready') {
      const renditions = renditionNames(plan);
      await scope.commit([{ type: 'asset.hls_ready', data: { renditions } }], (tx) => advancePlayableState(tx, asset.id, 'hls_ready'));
    }
    // Only what this attempt encoded is on disk to compare; a retry after the ladder was
    // published leaves the earlier attempt's measurements (or none) as they are.
    await recordRenditionQuality(deps, scope, encoded);
  });
}

/**
 * The storyboard: a separate decode of the downloaded source at the ladder's niceness,
 * beside it (a few small JPEG tiles cost little next to the ladder's encodes). The VTT is
 * recorded last: its row says the storyboard is complete. Nothing for a source without video.
 */
async function storyboard(deps: PipelineDeps, scope: JobScope, probed: ProbeResult): Promise<void> {
  const { asset, ref } = scope;
  const files = { sprite: join(scope.work, STORYBOARD_SPRITE_PATH), vtt: join(scope.work, STORYBOARD_VTT_PATH) };
  const layout = await makeStoryboard(scope.src, probed, files, scope.run('storyboard', NICENESS.background));
  if (!layout) return;
  const none = { rendition: null, width: null, height: null, bitrate: null };
  const [sprite, vtt] = await Promise.all([
    publish(deps.storage, asset.id, { path: STORYBOARD_SPRITE_PATH, kind: 'storyboard', file: files.sprite, ...none }, scope.signal),
    publish(deps.storage, asset.id, { path: STORYBOARD_VTT_PATH, kind: 'storyboard', file: files.vtt, ...none }, scope.signal),
  ]);
  sprite.width = layout.columns * layout.tileWidth;
  sprite.height = layout.rows * layout.tileHeight;
  const data = {
    paths: [STORYBOARD_VTT_PATH, STORYBOARD_SPRITE_PATH],
    tiles: layout.tiles,
    interval_seconds: layout.intervalSec,
    tile_width: layout.tileWidth,
    tile_height: layout.tileHeight,
  };
  await scope.commit([{ type: 'asset.storyboard_ready', data }], (tx) => recordArtifacts(tx, asset.id, [sprite, vtt]));
  deps.warm?.(ref, [STORYBOARD_VTT_PATH, STORYBOARD_SPRITE_PATH]);
}

/**
 * Awaits an encode of `renditions` while publishing their segments as they are written,
 * so viewers ahead of just-in-time find the start of a long source at the origin.
 */
async function whilePublishing<T>(
  deps: PipelineDeps,
  scope: JobScope,
  plan: MediaPlan,
  renditions: string[],
  encode: Promise<T>,
): Promise<T> {
  const writing = publishAsWritten(deps, scope, plan, renditions);
  try {
    return await encode;
  } finally {
    await writing.stop();
  }
}

/**
 * Removes HLS files the plan does not list, rows and objects: what an attempt under another
 * plan (an earlier version, a bug) left, which no playlist names and nothing would clean.
 */
async function removeUnplanned(deps: PipelineDeps, scope: JobScope, plan: MediaPlan): Promise<void> {
  const id = scope.asset.id;
  const planned = new Set(plannedPaths(plan));
  const stale = (await listKeys(deps.storage, artifactPrefix(id, HLS_PREFIX))).filter(
    (key) => !planned.has(key.slice(artifactPrefix(id).length)),
  );
  await scope.commit([], async (tx: Queryable) => {
    await tx`delete from artifacts where asset_id = ${id} and starts_with(path, ${HLS_PREFIX}) and not path = any(${[...planned]})`;
  });
  await Promise.all(stale.map((key) => deleteObject(deps.storage, key)));
}

/** Every HLS artifact path of the plan: the master, and each rendition's playlist, init segment and segments. */
function plannedPaths(plan: MediaPlan): string[] {
  const renditions = renditionNames(plan);
  return [MASTER_PATH, ...renditions.flatMap((r) => [playlistPath(r), initPath(r), ...plan.segments.map((_, n) => segmentPath(r, n))])];
}

/** `p`, and its wall time in seconds handed to `measured` once it succeeds (a sample for estimates). */
async function timed<T>(p: Promise<T>, measured: (wallSeconds: number) => Promise<void>): Promise<T> {
  const started = performance.now();
  const value = await p;
  await measured((performance.now() - started) / 1000);
  return value;
}
