import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactKeyFor, artifactPrefix, OPENER_PATH, sourcePrefix } from '@kino/artifacts';
import { getAssetById, listArtifacts, markAssetDeleted, recordArtifacts } from '@kino/db';
import { eventsAfter } from '@kino/events';
import { listKeys, putFile } from '@kino/storage';
import { purgeAsset, type PurgeDeps } from '../src/index.ts';
import { jobContext, startBed, type PipelineBed } from './support.ts';

let bed: PipelineBed;
beforeAll(async () => {
  bed = await startBed();
});
afterAll(() => bed?.close());

function deps(edges = { ok: ['edge-a'], failed: ['edge-b'] }) {
  const purged: string[] = [];
  const d: PurgeDeps = {
    sql: bed.db.sql,
    storage: bed.s3.storage,
    purgeEdges: async (assetId) => {
      purged.push(assetId);
      return edges;
    },
  };
  return { d, purged };
}

/** A processed-looking asset: its source and an opener in the origin, the opener recorded. */
async function published(): Promise<string> {
  const job = await bed.uploaded('standard', { seconds: 1 });
  const file = join(bed.tmpRoot, 'opener.bin');
  await writeFile(file, 'opener bytes');
  const key = artifactKeyFor(job.asset_id!, OPENER_PATH);
  const bytes = await putFile(bed.s3.storage, key, file, { contentType: 'video/mp4' });
  await recordArtifacts(bed.db.sql, job.asset_id!, [
    { path: OPENER_PATH, kind: 'opener', key, content_type: 'video/mp4', bytes, rendition: null, width: null, height: null, bitrate: null },
  ]);
  return job.asset_id!;
}

it('empties the origin, tells the edges, forgets the artifacts and logs asset.purged', async () => {
  const assetId = await published();
  await markAssetDeleted(bed.db.sql, bed.accountId, assetId);
  const job = await bed.claim(assetId, 'purge_asset');
  const { d, purged } = deps();
  await purgeAsset(d, job, jobContext(job));

  expect(await listKeys(bed.s3.storage, artifactPrefix(assetId))).toEqual([]);
  expect(await listKeys(bed.s3.storage, sourcePrefix(assetId))).toEqual([]);
  expect(await listArtifacts(bed.db.sql, assetId)).toEqual([]);
  expect(purged).toEqual([assetId]);
  const [last] = (await eventsAfter(bed.db.sql, { accountId: bed.accountId, assetId, afterSeq: 0, limit: 100 })).slice(-1);
  expect(last).toMatchObject({ type: 'asset.purged', data: { objects: 2, edges: { ok: ['edge-a'], failed: ['edge-b'] } } });
});

it('leaves an asset that is not deleted alone', async () => {
  const assetId = await published();
  const job = await bed.claim(assetId, 'purge_asset');
  const { d, purged } = deps();
  await purgeAsset(d, job, jobContext(job));
  expect(await listKeys(bed.s3.storage, artifactPrefix(assetId))).toHaveLength(1);
  expect(await listArtifacts(bed.db.sql, assetId)).toHaveLength(1);
  expect(purged).toEqual([]);
  expect((await getAssetById(bed.db.sql, assetId))?.deleted_at).toBeNull();
});
