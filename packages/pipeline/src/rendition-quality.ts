import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { playlistPath } from '@kino/artifacts';
import { setRenditionQuality } from '@kino/db';
import { measureQuality, MediaError, type LadderRendition } from '@kino/media';
import { NICENESS, type JobScope, type PipelineDeps } from './job-scope.ts';

/** Seconds of each rendition compared with the source: three 2 s windows, whatever the length. */
export const QUALITY_SAMPLE_SECONDS = 6;

/**
 * PSNR and SSIM of each video rendition just encoded, against the source, sampled so it
 * costs a few seconds of decoding per rung, at the lowest priority, after hls_ready: nothing
 * a viewer waits for depends on it. A rendition's init segment and segments, end to end, are
 * one fragmented MP4, which is what is compared. A measurement that fails is logged and left
 * out (the asset shows `quality: null`): it says nothing about the asset's playability.
 */
export async function recordRenditionQuality(deps: PipelineDeps, scope: JobScope, encoded: LadderRendition[]): Promise<void> {
  for (const [i, r] of encoded.entries()) {
    const file = join(scope.work, `quality-${i}.mp4`);
    const run = scope.run('metrics', NICENESS.background);
    try {
      await concatenate(
        r.files.map((f) => join(scope.hlsDir, f)),
        file,
      );
      const q = await measureQuality({
        reference: { src: scope.src },
        distorted: { src: file },
        metrics: ['psnr', 'ssim'],
        sampleSeconds: QUALITY_SAMPLE_SECONDS,
        scratchDir: run.scratchRoot!,
        signal: run.signal!,
        timeoutMs: run.timeoutMs!,
        nice: run.nice,
      });
      const quality = { psnr: q.psnr!, ssim: q.ssim!, sampled_seconds: q.sampledSeconds };
      await scope.commit([], (tx) => setRenditionQuality(tx, scope.asset.id, playlistPath(r.name), quality));
    } catch (err) {
      if (scope.signal.aborted || (err instanceof MediaError && err.code === 'ABORTED')) throw err;
      deps.log?.warn({ err, rendition: r.name, asset_id: scope.asset.id }, 'rendition quality could not be measured');
    }
    run.onProgress?.({ fraction: (i + 1) / encoded.length, outTimeSec: 0 });
  }
}

async function concatenate(files: string[], out: string): Promise<void> {
  const sink = createWriteStream(out);
  for (const f of files) await pipeline(createReadStream(f), sink, { end: false });
  sink.end();
  await new Promise<void>((resolve, reject) => sink.on('finish', resolve).on('error', reject));
}
