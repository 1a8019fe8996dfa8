import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { CreateMultipartUploadCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, getAsset, insertUploadingAsset } from '@kino/db';
import { latestJobFor } from '@kino/jobs';
import { listKeys, listMultipartUploads } from '@kino/storage';
import { createTestDatabase, createTestS3, type TestDatabase, type TestS3 } from '@kino/testkit';
import { ByteLimit, PayloadTooLargeError, ingestUpload, looksLikeMedia, readHead, sweepAbandonedUploads } from '../src/index.ts';

const mp4Head = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.alloc(24)]);

describe('looksLikeMedia', () => {
  it('knows common containers and refuses text', () => {
    expect(looksLikeMedia(mp4Head)).toBe(true);
    expect(looksLikeMedia(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 1, 2]))).toBe(true);
    expect(looksLikeMedia(Buffer.from('OggS\0\x02'))).toBe(true);
    expect(looksLikeMedia(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBe(true);
    expect(looksLikeMedia(Buffer.from('hello, this is a plain text file\n'))).toBe(false);
    expect(looksLikeMedia(Buffer.from('{"json": true}'))).toBe(false);
    expect(looksLikeMedia(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBe(false); // PNG
  });
});

describe('readHead', () => {
  it('returns the head and a stream of every byte', async () => {
    const source = Readable.from([Buffer.from('abc'), Buffer.from('defgh'), Buffer.from('ij')]);
    const { head, stream } = await readHead(source, 4);
    expect(head.toString()).toBe('abcd');
    const all: Buffer[] = [];
    for await (const c of stream) all.push(c as Buffer);
    expect(Buffer.concat(all).toString()).toBe('abcdefghij');
  });
  it('handles an empty source', async () => {
    const { head } = await readHead(Readable.from([]), 4);
    expect(head.length).toBe(0);
  });
});

describe('ByteLimit', () => {
  it('fails once the limit is passed', async () => {
    const limit = new ByteLimit(5);
    const done = new Promise((_, reject) => limit.on('error', reject));
    limit.write(Buffer.alloc(3));
    limit.write(Buffer.alloc(3));
    await expect(done).rejects.toBeInstanceOf(PayloadTooLargeError);
  });
});

describe('ingestUpload', () => {
  let db: TestDatabase;
  let s3: TestS3;
  let accountId: string;
  beforeAll(async () => {
    [db, s3] = await Promise.all([createTestDatabase(), createTestS3()]);
    accountId = (await createAccount(db.sql, 'ingest')).id;
  });
  afterAll(async () => {
    await Promise.all([db?.drop(), s3?.close()]);
  });
  const deps = () => ({ sql: db.sql, storage: s3.storage, maxAttempts: 3 });
  // Several multipart parts, streamed in small chunks as a socket would deliver them.
  function body(bytes: number): Readable {
    const chunk = Buffer.alloc(64 * 1024, 7);
    mp4Head.copy(chunk);
    let sent = 0;
    return new Readable({
      read() {
        if (sent >= bytes) return this.push(null);
        const n = Math.min(chunk.length, bytes - sent);
        this.push(sent === 0 ? chunk.subarray(0, n) : Buffer.alloc(n, 1));
        sent += n;
      },
    });
  }

  it('streams the source to S3 and queues a job in one go', async () => {
    const { asset, created } = await ingestUpload(deps(), {
      accountId, body: body(12 * 1024 * 1024), contentType: 'video/mp4', maxBytes: 64 * 1024 * 1024, title: 't',
    });
    expect(created).toBe(true);
    expect(asset.source_state).toBe('uploaded');
    expect(asset.source_bytes).toBe(12 * 1024 * 1024);
    expect(await listKeys(s3.storage, `sources/${asset.id}/`)).toEqual([`sources/${asset.id}/original`]);
    expect((await latestJobFor(db.sql, asset.id))?.state).toBe('queued');
  });

  it('refuses an upload over the limit and leaves nothing behind', async () => {
    const before = await db.sql`select count(*)::int as n from assets`;
    await expect(
      ingestUpload(deps(), { accountId, body: body(20 * 1024 * 1024), contentType: 'video/mp4', maxBytes: 10 * 1024 * 1024 }),
    ).rejects.toBeInstanceOf(PayloadTooLargeError);
    const after = await db.sql`select count(*)::int as n from assets`;
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(await listMultipartUploads(s3.storage)).toEqual([]);
  });

  it('replays an Idempotency-Key without a second asset', async () => {
    const first = await ingestUpload(deps(), { accountId, body: body(1000), contentType: 'video/mp4', maxBytes: 1e6, idempotencyKey: 'k1' });
    const second = await ingestUpload(deps(), { accountId, body: body(1000), contentType: 'video/mp4', maxBytes: 1e6, idempotencyKey: 'k1' });
    expect(second.created).toBe(false);
    expect(second.asset.id).toBe(first.asset.id);
    expect(await getAsset(db.sql, accountId, first.asset.id)).not.toBeNull();
  });

  it('sweepAbandonedUploads removes uploads a dead api left behind, and only old ones', async () => {
    const old = randomUUID();
    const fresh = randomUUID();
    await insertUploadingAsset(db.sql, { id: old, accountId, contentType: 'video/mp4' });
    await insertUploadingAsset(db.sql, { id: fresh, accountId, contentType: 'video/mp4' });
    await db.sql`update assets set created_at = now() - interval '2 days' where id = ${old}`;
    await s3.storage.s3.send(new CreateMultipartUploadCommand({ Bucket: s3.storage.bucket, Key: `sources/${old}/original` }));
    // A day ago: the two-day-old row goes, the fresh row and the just-started upload stay.
    expect(await sweepAbandonedUploads(db.sql, s3.storage, new Date(Date.now() - 86_400_000))).toEqual({ assets: 1, uploads: 0 });
    expect(await getAsset(db.sql, accountId, old)).toBeNull();
    expect(await getAsset(db.sql, accountId, fresh)).not.toBeNull();
    // A cutoff in the future makes the multipart upload old enough to abort.
    expect((await sweepAbandonedUploads(db.sql, s3.storage, new Date(Date.now() + 1000))).uploads).toBe(1);
    expect(await listMultipartUploads(s3.storage)).toEqual([]);
  });
});
