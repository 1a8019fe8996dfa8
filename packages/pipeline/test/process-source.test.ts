import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPrefix, MASTER_PATH, OPENER_PATH, STORYBOARD_SPRITE_PATH, STORYBOARD_VTT_PATH, THUMBNAIL_PATH } from '@kino/artifacts';
import { getAssetById, listArtifacts, markAssetDeleted } from '@kino/db';
import { JobFailure, LeaseLostError, type MediaJob } from '@kino/jobs';
import { downloadToFile, listKeys } from '@kino/storage';
import { ffprobe } from '@kino/testkit';
import { encodeLadder, processSource, PROGRESS_STEPS, type PipelineDeps } from '../src/index.ts';
import { jobContext, startBed, type PipelineBed } from './support.ts';

let bed: PipelineBed;
beforeAll(async () => {
  bed = await startBed();
});
afterAll(() => bed?.close());

/** Deps on the bed, recording what was warmed and which accounts were woken. */
function deps() {
  const warmed: string[][] = [];
  const prepared: string[][] = [];
  const woken: string[] = [];
  const d: PipelineDeps = {
    sql: bed.db.sql,
    storage: bed.s3.storage,
    tmpRoot: bed.tmpRoot,
    ffmpegTimeoutMs: 120_000,
    warm: (_asset, paths) => void warmed.push(paths),
    onEvents: (accountId) => void woken.push(accountId),
    prepareSegments: (_asset, paths) => void prepared.push(paths),
  };
  return { d, warmed, prepared, woken };
}

const scratchLeft = async () => (await readdir(bed.tmpRoot)).filter((n) => n.startsWith('kino-job-'));

describe('processSource', () => {
  let job: MediaJob;

  it('publishes the planned playlists first, then the opener, and queues the ladder: the audio, the thumbnail, the video', async () => {
    job = await bed.uploaded('standard', { seconds: 6 });
    const { d, warmed, prepared, woken } = deps();
    const ctx = jobContext(job);
    let queued = 0;
    await processSource({ ...d, onJobQueued: () => void queued++ }, job, ctx);
    expect(await bed.eventTypes(job.asset_id!)).toEqual(['asset.playlists_ready', 'asset.opener_ready']);
    expect(queued).toBe(1);
    expect(await getAssetById(bed.db.sql, job.asset_id!)).toMatchObject({ playable_state: 'opener_ready' });
    // The ladder is a job of its own, claimed after every other upload's first frames.
    const ladder = await bed.claimQueued(job.asset_id!);
    expect(ladder).toMatchObject({ kind: 'encode_ladder', priority: 3 });
    expect(job.priority).toBe(1);
    const ladderCtx = jobContext(ladder);
    await encodeLadder(d, ladder, ladderCtx);

    const asset = (await getAssetById(bed.db.sql, job.asset_id!))!;
    expect(asset).toMatchObject({ playable_state: 'hls_ready', source_state: 'uploaded', error: null });
    expect(asset.source_meta).toMatchObject({
      video: {
        codec: 'h264',
        width: 320,
        height: 240,
        pix_fmt: 'yuv420p',
        bit_depth: 8,
        field_order: 'progressive',
        color_transfer: null,
        color_primaries: null,
        color_space: null,
      },
      audio: { codec: 'aac' },
    });
    // Every object in the origin is recorded, and every record is in the origin.
    const rows = await listArtifacts(bed.db.sql, job.asset_id!);
    expect((await listKeys(bed.s3.storage, artifactPrefix(job.asset_id!))).sort()).toEqual(rows.map((r) => r.key).sort());
    expect(rows.map((r) => r.path)).toEqual(expect.arrayContaining([OPENER_PATH, THUMBNAIL_PATH, MASTER_PATH]));
    expect(new Set(rows.map((r) => r.kind))).toEqual(
      new Set(['opener', 'thumbnail', 'storyboard', 'master', 'playlist', 'init', 'segment']),
    );

    const opener = join(bed.tmpRoot, 'opener.mp4');
    await downloadToFile(bed.s3.storage, rows.find((r) => r.path === OPENER_PATH)!.key, opener);
    const probed = await ffprobe(opener);
    expect(probed.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(probed.duration).toBeLessThan(4.6);

    const video = rows.filter((r) => r.kind === 'playlist' && r.rendition !== 'audio').map((r) => r.rendition);
    expect(video).toEqual(['240p']);
    // Each video rendition's picture against the source, measured after hls_ready; audio has none.
    const quality = (r: string) => rows.find((a) => a.kind === 'playlist' && a.rendition === r)!.quality;
    expect(quality('240p')).toEqual({ psnr: expect.any(Number), ssim: expect.any(Number), sampled_seconds: expect.any(Number) });
    expect(quality('240p')!.psnr).toBeGreaterThan(25);
    expect(quality('240p')!.ssim).toBeGreaterThan(0.8);
    expect(quality('240p')!.ssim).toBeLessThan(1);
    expect(quality('240p')!.sampled_seconds).toBeGreaterThan(5);
    expect(quality('audio')).toBeNull();
    expect(await bed.eventTypes(job.asset_id!)).toEqual([
      'asset.playlists_ready',
      'asset.opener_ready',
      'asset.rendition_ready', // audio, the whole track once, before the video ladder
      'asset.thumbnail_ready',
      'asset.storyboard_ready',
      'asset.rendition_ready',
      'asset.hls_ready',
    ]);
    expect(new Set(woken)).toEqual(new Set([bed.accountId]));
    // Playlists are warmed as soon as they are published, the opener, thumbnail and storyboard as they come.
    expect(warmed).toEqual([
      [MASTER_PATH, 'hls/240p/index.m3u8', 'hls/audio/index.m3u8'],
      [OPENER_PATH],
      [THUMBNAIL_PATH],
      [STORYBOARD_VTT_PATH, STORYBOARD_SPRITE_PATH],
    ]);
    // What a player needs when the opener ends is queued for just-in-time encoding at once.
    expect(prepared).toEqual([
      ['hls/240p/init.mp4', 'hls/240p/1.m4s', 'hls/240p/2.m4s', 'hls/audio/init.mp4', 'hls/audio/1.m4s', 'hls/audio/2.m4s'],
    ]);
    // Each job reports every step the README lists for it, and no other.
    expect(new Set(ctx.reported.map((p) => p.step))).toEqual(new Set(PROGRESS_STEPS.process_source));
    expect(new Set(ladderCtx.reported.map((p) => p.step))).toEqual(new Set(PROGRESS_STEPS.encode_ladder));
    expect(await scratchLeft()).toEqual([]);
  });

  it('skips every step already recorded, so a later attempt resumes instead of redoing', async () => {
    const before = await listArtifacts(bed.db.sql, job.asset_id!);
    const events = await bed.eventTypes(job.asset_id!);
    const again = await bed.claim(job.asset_id!);
    const { d, warmed, prepared } = deps();
    let queued = 0;
    await processSource({ ...d, onJobQueued: () => void queued++ }, again, jobContext(again));
    // Its ladder's job ran already: none is queued again.
    expect(queued).toBe(0);
    const ladder = await bed.claim(job.asset_id!, 'encode_ladder');
    await encodeLadder(d, ladder, jobContext(ladder));
    expect(await listArtifacts(bed.db.sql, job.asset_id!)).toEqual(before);
    expect(await bed.eventTypes(job.asset_id!)).toEqual(events);
    expect(warmed).toEqual([]);
    expect(prepared).toEqual([]);
  });

  it('fails a source that is not media for good: source failed, nothing published', async () => {
    const bad = await bed.uploaded('text');
    const { d } = deps();
    const err = await processSource(d, bad, jobContext(bad)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailure);
    expect((err as JobFailure).report).toMatchObject({
      retryable: false,
      error: { code: expect.stringMatching(/^(CORRUPT_SOURCE|NO_MEDIA_STREAMS)$/) },
    });
    expect(await getAssetById(bed.db.sql, bad.asset_id!)).toMatchObject({ source_state: 'failed', playable_state: 'not_playable' });
    expect(await listKeys(bed.s3.storage, artifactPrefix(bad.asset_id!))).toEqual([]);
    expect(await scratchLeft()).toEqual([]);
  });

  it('records nothing once the lease is lost, and says so rather than failing the job', async () => {
    const lost = await bed.uploaded('standard', { seconds: 2 });
    await bed.db.sql`update media_jobs set locked_by = 'another-worker' where id = ${lost.id}`;
    const { d } = deps();
    await expect(processSource(d, lost, jobContext(lost))).rejects.toBeInstanceOf(LeaseLostError);
    expect(await listArtifacts(bed.db.sql, lost.asset_id!)).toEqual([]);
    expect(await getAssetById(bed.db.sql, lost.asset_id!)).toMatchObject({ playable_state: 'not_playable' });
    expect(await bed.eventTypes(lost.asset_id!)).toEqual([]);
    expect(await scratchLeft()).toEqual([]);
  });

  it('does nothing for a deleted asset', async () => {
    const gone = await bed.uploaded('standard', { seconds: 2 });
    await markAssetDeleted(bed.db.sql, bed.accountId, gone.asset_id!);
    const { d, warmed } = deps();
    const ctx = jobContext(gone);
    await processSource(d, gone, ctx);
    expect(ctx.reported).toEqual([]);
    expect(warmed).toEqual([]);
    expect(await listKeys(bed.s3.storage, artifactPrefix(gone.asset_id!))).toEqual([]);
  });
});
