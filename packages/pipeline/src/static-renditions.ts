import { join } from 'node:path';
import { staticRenditionPath, type StaticRenditionName } from '@kino/artifacts';
import {
  finishStaticRendition,
  insertStaticRenditions,
  listStaticRenditions,
  recordArtifacts,
  type AssetRow,
  type Queryable,
  type StaticRenditionMeta,
} from '@kino/db';
import { appendEvent } from '@kino/events';
import { enqueueJob, LeaseLostError, type JobContext, type MediaJob } from '@kino/jobs';
import { makeStaticAudio, makeStaticHighest, probe, type ProbeResult } from '@kino/media';
import { publish } from './artifacts.ts';
import { describeFailure } from './failure.ts';
import { NICENESS, withJobScope, type PipelineDeps } from './job-scope.ts';

// Static renditions (downloads): rows in static_renditions say what was asked for and how
// it went; one `encode_static` job per asset, in the ladders' lane, makes every rendition
// still `preparing`. It is queued once the source is probed (the top rung comes from the
// probe): by the request when the asset is probed already, otherwise by processSource.

/**
 * Asks for static renditions of `asset`, in the caller's transaction: names it has already
 * are left as they are. Queues the job when there is new work and the source is probed.
 * Returns the names added and the job queued, if one was.
 */
export async function requestStaticRenditions(
  tx: Queryable,
  asset: Pick<AssetRow, 'id' | 'account_id'>,
  names: readonly StaticRenditionName[],
  maxAttempts: number,
): Promise<{ added: StaticRenditionName[]; job: MediaJob | null }> {
  // Serialised with processSource's queuing (which also locks the row): one of the two
  // sees the other's work, so a rendition asked for mid-processing is never stranded.
  const [row] = await tx<{ probed: boolean }[]>`select media_probe is not null as probed from assets where id = ${asset.id} for update`;
  const added = await insertStaticRenditions(tx, asset.id, names);
  const job = added.length > 0 && row?.probed ? await queueStaticRenditions(tx, asset, maxAttempts) : null;
  return { added, job };
}

/**
 * Queues the `encode_static` job when the asset has renditions preparing and no such job is
 * waiting to be claimed (one that is running may have looked before the newest request; the
 * next one makes what it missed). Called by processSource once the source is probed.
 */
export async function queueStaticRenditions(
  tx: Queryable,
  asset: Pick<AssetRow, 'id' | 'account_id'>,
  maxAttempts: number,
): Promise<MediaJob | null> {
  const [pending] = await tx`
    select 1 from static_renditions s
    where s.asset_id = ${asset.id} and s.status = 'preparing'
      and not exists (select 1 from media_jobs j where j.asset_id = s.asset_id and j.kind = 'encode_static' and j.state = 'queued')
    limit 1`;
  if (!pending) return null;
  const job = await enqueueJob(tx, { assetId: asset.id, accountId: asset.account_id, kind: 'encode_static', maxAttempts });
  await appendEvent(tx, {
    accountId: asset.account_id,
    assetId: asset.id,
    type: 'job.queued',
    data: { job_id: job.id, reason: 'static_renditions' },
  });
  return job;
}

const MAKERS: Record<StaticRenditionName, typeof makeStaticHighest> = { highest: makeStaticHighest, audio: makeStaticAudio };

/**
 * The `encode_static` job: each rendition still preparing is encoded from the source at
 * the origin (read over a presigned URL, confined like every run), probed, uploaded and
 * recorded with `asset.static_rendition_ready`. One that cannot be made (no audio for
 * `audio`, an encode that fails) ends `errored` with `asset.static_rendition_errored`; the
 * asset itself is not failed for a download.
 */
export async function encodeStatic(deps: PipelineDeps, job: MediaJob, ctx: JobContext): Promise<void> {
  await withJobScope(deps, job, ctx, async (scope) => {
    const { asset } = scope;
    const p = asset.media_probe as ProbeResult | null;
    if (!p) return;
    const pending = (await listStaticRenditions(deps.sql, asset.id)).filter((r) => r.status === 'preparing');
    if (pending.length === 0) return;
    // Downloaded once for all of them: a whole-file encode reads every byte anyway.
    await scope.download();
    for (const { name } of pending) {
      const path = staticRenditionPath(name);
      const file = join(scope.work, path.replace('/', '-'));
      try {
        if (name === 'audio' && !p.audio) throw new StaticRefusal('NO_AUDIO', 'The asset has no audio track.');
        if (name === 'highest' && !p.video) throw new StaticRefusal('NO_VIDEO', 'The asset has no video track: ask for `audio`.');
        ctx.progress({ step: name, fraction: 0 });
        await MAKERS[name](scope.src, file, p, scope.run(name, NICENESS.background));
        const meta = staticMeta(await probe(file, scope.run(name)));
        const artifact = await publish(
          deps.storage,
          asset.id,
          { path, kind: 'static', file, rendition: name, width: meta.width, height: meta.height, bitrate: meta.bitrate },
          scope.signal,
        );
        await scope.commit([{ type: 'asset.static_rendition_ready', data: { name, path, ...meta } }], async (tx) => {
          await recordArtifacts(tx, asset.id, [artifact]);
          await finishStaticRendition(tx, asset.id, name, { meta });
        });
      } catch (err) {
        if (scope.signal.aborted || err instanceof LeaseLostError) throw err;
        const error = err instanceof StaticRefusal ? { code: err.code, message: err.message } : describeFailure(err).error;
        await scope.commit([{ type: 'asset.static_rendition_errored', data: { name, ...error } }], (tx) =>
          finishStaticRendition(tx, asset.id, name, { error }).then(() => {}),
        );
      }
    }
  });
}

class StaticRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** ffprobe's summary of a made file, as the asset and the event show it. */
function staticMeta(p: ProbeResult): StaticRenditionMeta {
  return {
    duration: p.durationSec,
    bytes: p.sizeBytes,
    bitrate: p.bitRate ?? null,
    container: p.formatName,
    video_codec: p.video?.codec ?? null,
    audio_codec: p.audio?.codec ?? null,
    width: p.video?.displayWidth ?? null,
    height: p.video?.displayHeight ?? null,
  };
}
