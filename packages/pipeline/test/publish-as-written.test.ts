import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactKeyFor, initPath, segmentFile, segmentPath } from '@kino/artifacts';
import { getAssetById, listArtifacts, recordArtifacts } from '@kino/db';
import { planMedia, type ProbeResult } from '@kino/media';
import { downloadToFile } from '@kino/storage';
import { withJobScope, type PipelineDeps } from '../src/index.ts';
import { publishAsWritten } from '../src/publish-as-written.ts';
import { jobContext, startBed, type PipelineBed } from './support.ts';

// The segments of a rendition that ffmpeg is still writing, published as each is complete.
// ffmpeg is played here by writing the files in its order, so each step is certain.

let bed: PipelineBed;
beforeAll(async () => {
  bed = await startBed();
});
afterAll(() => bed?.close());

const soon = { timeout: 20_000, interval: 50 };

describe('publishAsWritten', () => {
  it('publishes a segment once the next one is begun, the init segment with the first, and never what just in time made', async () => {
    const job = await bed.uploaded('standard', { seconds: 1 });
    const deps: PipelineDeps = { sql: bed.db.sql, storage: bed.s3.storage, tmpRoot: bed.tmpRoot, ffmpegTimeoutMs: 60_000 };
    // A plan of five 4 s segments with an audio rendition.
    const probe: ProbeResult = {
      durationSec: 20,
      sizeBytes: 1000,
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      audio: { index: 0, codec: 'aac', channels: 2, sampleRate: 48_000 },
    };
    const plan = planMedia(probe);
    expect(plan.audio?.name).toBe('audio');
    expect(plan.segments).toHaveLength(5);
    const recorded = async () =>
      (await listArtifacts(bed.db.sql, job.asset_id!))
        .filter((a) => a.rendition === 'audio')
        .map((a) => a.path)
        .sort();

    await withJobScope(deps, job, jobContext(job), async (scope) => {
      const dir = join(scope.hlsDir, 'audio');
      await mkdir(dir, { recursive: true });
      const write = (name: string) => writeFile(join(dir, name), randomBytes(2000));
      await write('init.mp4');
      await write(segmentFile(0));
      const writing = publishAsWritten(deps, scope, plan, ['audio']);

      // Segment 1 begun: 0 is complete, and the init segment with it.
      await write(segmentFile(1));
      await expect.poll(recorded, soon).toEqual([initPath('audio'), segmentPath('audio', 0)].sort());
      const origin = join(bed.tmpRoot, 'origin-0');
      await downloadToFile(bed.s3.storage, artifactKeyFor(job.asset_id!, segmentPath('audio', 0)), origin);
      expect((await readFile(origin)).equals(await readFile(join(dir, segmentFile(0))))).toBe(true);

      // Just in time made segment 1 meanwhile: it stays as it was made.
      const jit = { path: segmentPath('audio', 1), kind: 'segment' as const, key: 'jit-made', content_type: 'video/iso.segment', bytes: 7 };
      await recordArtifacts(bed.db.sql, job.asset_id!, [{ ...jit, rendition: 'audio', width: null, height: null, bitrate: null }]);
      await write(segmentFile(2));
      await write(segmentFile(3));
      await expect.poll(recorded, soon).toContain(segmentPath('audio', 2));
      const rows = await listArtifacts(bed.db.sql, job.asset_id!);
      expect(rows.find((a) => a.path === segmentPath('audio', 1))).toMatchObject({ key: 'jit-made', bytes: 7 });

      // Stopped: what it was publishing is recorded, nothing after.
      await writing.stop();
      const atStop = await recorded();
      await write(segmentFile(4));
      await new Promise((r) => setTimeout(r, 600));
      expect(await recorded()).toEqual(atStop);
      // The last segment is never published by it: nothing follows it to say it is complete.
      expect(atStop).not.toContain(segmentPath('audio', 4));
    });
    expect((await getAssetById(bed.db.sql, job.asset_id!))?.error).toBeNull();
  });
});
