import { join } from 'node:path';
import { initPath, MASTER_PATH, OPENER_PATH, segmentPath } from '@kino/artifacts';
import { advancePlayableState, listArtifacts, markSourceFailed, recordArtifacts, setSourceMeta, type AssetRow, type Sql } from '@kino/db';
import { appendEvent } from '@kino/events';
import { enqueueJobOnce, type JobContext, type MediaJob } from '@kino/jobs';
import { MediaError, makeOpener, planMedia, renditionNames, probe, writePlaylists, type ProbeResult, type RunOptions } from '@kino/media';
import { presignGet } from '@kino/storage';
import { startupPaths, startupRendition } from '@kino/playback';
import { hlsArtifacts, publish } from './artifacts.ts';
import { SOURCE_ERRORS } from './failure.ts';
import { withJobScope, type PipelineDeps } from './job-scope.ts';

/** The segments a player plays right after the opener (4 s of it: segment 1 starts there). */
const HANDOFF_SEGMENTS = [1, 2];

/**
 * The first media job of an upload, and the most urgent: what a viewer waits for. Probe the
 * source and publish the segment plan's playlists at once: from then on every second of
 * the video plays, each missing segment made just in time (segments.ts). Then the opener,
 * the fastest first frame. Then queue the ladder's job
 * (encode-ladder.ts), which runs in a lane of its own. Steps already recorded are skipped,
 * so an attempt after a killed one resumes instead of starting over.
 */
export async function processSource(deps: PipelineDeps, job: MediaJob, ctx: JobContext): Promise<void> {
  await withJobScope(deps, job, ctx, async (scope) => {
    const { asset, ref } = scope;
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
    const plan = planMedia(probed);
    const done = new Set((await listArtifacts(deps.sql, asset.id)).map((a) => a.path));

    if (!done.has(MASTER_PATH)) {
      const files = hlsArtifacts(scope.hlsDir, plan, await writePlaylists(scope.hlsDir, plan));
      // The master goes last: once it exists, every playlist it names does.
      const master = files.pop()!;
      const published = await scope.publishAll('playlists', files);
      published.push(await publish(deps.storage, asset.id, master, scope.signal));
      const renditions = renditionNames(plan);
      await scope.commit(
        [{ type: 'asset.playlists_ready', data: { renditions, segments: plan.segments.length, duration_sec: plan.durationSec } }],
        (tx) => recordArtifacts(tx, asset.id, published),
      );
      const artifacts = await listArtifacts(deps.sql, asset.id);
      deps.warm?.(ref, [...new Set([MASTER_PATH, ...startupPaths(artifacts)])]);
      // What a player needs at the opener's end: the startup rendition's init segment and
      // the segments after the opener, and the same of the audio (whose whole track takes a
      // while on a long source), made now rather than when it asks.
      const startup = startupRendition(artifacts)?.name;
      const handOff = [startup, plan.audio?.name].filter((r): r is string => r !== undefined);
      if (startup)
        deps.prepareSegments?.(
          ref,
          handOff.flatMap((r) => [initPath(r), ...HANDOFF_SEGMENTS.map((n) => segmentPath(r, n))]),
        );
    }

    if (!done.has(OPENER_PATH)) {
      ctx.progress({ step: 'opener', fraction: 0 });
      const file = join(scope.work, OPENER_PATH);
      await makeOpener(input, file, probed, scope.run('opener'));
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
