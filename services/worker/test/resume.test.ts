import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordArtifacts } from '@kino/db';
import { listKeys, putFile } from '@kino/storage';
import { startStack, type Stack } from '@kino/testkit-stack';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s?.close());

it('clears what a dead attempt half-published and ends with one set of artifacts', async () => {
  // No worker yet: the job waits while we stage the leftovers of an attempt that died
  // while publishing its ladder — objects and rows of a rendition that no longer exists.
  const created = await s.upload('standard', { width: 640, height: 360, seconds: 5 });
  const junk = join(s.work, 'junk');
  await writeFile(junk, 'half a segment');
  for (const path of ['hls/999p/7.m4s', 'hls/360p/99.m4s']) {
    await putFile(s.s3.storage, `videos/${created.id}/${path}`, junk, { contentType: 'video/iso.segment' });
    await recordArtifacts(s.db.sql, created.id, [
      {
        path,
        kind: 'segment',
        key: `videos/${created.id}/${path}`,
        content_type: 'video/iso.segment',
        bytes: 14,
        rendition: path.split('/')[1]!,
        width: null,
        height: null,
        bitrate: null,
      },
    ]);
  }

  await s.startWorker();
  const a = await s.waitFor(created.id, (x) => x.playable_state === 'hls_ready' || x.error);
  expect(a.error).toBeNull();
  const rows = await s.db.sql<{ path: string; key: string }[]>`select path, key from artifacts where asset_id = ${created.id}`;
  expect(rows.map((r) => r.path)).not.toContain('hls/999p/7.m4s');
  expect(rows.map((r) => r.path)).not.toContain('hls/360p/99.m4s');
  expect((await listKeys(s.s3.storage, `videos/${created.id}/`)).sort()).toEqual(rows.map((r) => r.key).sort());
  expect(a.renditions.map((r: any) => r.name)).toEqual(['360p', '240p', 'audio']);
});
