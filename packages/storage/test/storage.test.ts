import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestS3, type TestS3 } from '@kino/testkit';
import {
  abortMultipartUpload,
  deletePrefix,
  downloadToFile,
  listKeys,
  listMultipartUploads,
  objectExists,
  putFile,
  uploadStream,
} from '../src/index.ts';

let s3: TestS3;
let dir: string;
beforeAll(async () => {
  s3 = await createTestS3();
  dir = await mkdtemp(join(tmpdir(), 'kino-storage-'));
});
afterAll(() => s3?.close());

describe('storage', () => {
  it('round-trips files and streams byte for byte', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(join(dir, 'in'), bytes);
    await putFile(s3.storage, 'a/file', join(dir, 'in'), { contentType: 'video/mp4' });
    await uploadStream(s3.storage, 'a/stream', Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), {
      contentType: 'video/mp4',
      partSize: 5 * 1024 * 1024,
    });
    for (const key of ['a/file', 'a/stream']) {
      await downloadToFile(s3.storage, key, join(dir, 'out'));
      expect((await readFile(join(dir, 'out'))).equals(bytes)).toBe(true);
    }
    expect(await objectExists(s3.storage, 'a/file')).toBe(true);
    expect(await objectExists(s3.storage, 'a/missing')).toBe(false);
  });

  it('deletes a prefix and nothing else', async () => {
    await writeFile(join(dir, 'small'), 'x');
    for (const k of ['p/1', 'p/2/3', 'q/1']) await putFile(s3.storage, k, join(dir, 'small'), { contentType: 'text/plain' });
    expect(await deletePrefix(s3.storage, 'p/')).toBe(2);
    expect(await listKeys(s3.storage, 'p/')).toEqual([]);
    expect(await listKeys(s3.storage, 'q/')).toEqual(['q/1']);
  });

  it('lists and aborts multipart uploads left behind', async () => {
    const { UploadId } = await s3.storage.s3.send(
      new CreateMultipartUploadCommand({ Bucket: s3.storage.bucket, Key: 'sources/x/original' }),
    );
    await s3.storage.s3.send(
      new UploadPartCommand({
        Bucket: s3.storage.bucket,
        Key: 'sources/x/original',
        UploadId,
        PartNumber: 1,
        Body: randomBytes(1024),
      }),
    );
    expect(await listMultipartUploads(s3.storage, 'sources/')).toEqual([
      { key: 'sources/x/original', uploadId: UploadId, initiated: expect.any(Date) },
    ]);
    await abortMultipartUpload(s3.storage, 'sources/x/original', UploadId!);
    expect(await listMultipartUploads(s3.storage)).toEqual([]);
  });
});
