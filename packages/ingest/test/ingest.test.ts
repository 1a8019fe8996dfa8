import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { CreateMultipartUploadCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, getAsset, insertAsset } from '@kino/db';
import { latestJobFor } from '@kino/jobs';
import { listKeys, listMultipartUploads } from '@kino/storage';
import { createTestDatabase, createTestS3, type TestDatabase, type TestS3 } from '@kino/testkit';
import { ByteLimit, FINGERPRINT_BYTES, PayloadTooLargeError, ingestUpload, readHead, sweepAbandonedUploads } from '../src/index.ts';
import { uploadStream } from '@kino/storage';

const mp4Head = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.alloc(24)]);

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
  it('reads a longer head when asked, and releases the source when destroyed', async () => {
    const source = new PassThrough();
    source.write(Buffer.from('abcdef'));
    const { head, stream } = await readHead(source, 2, (h) => (h.toString() === 'ab' ? 5 : undefined));
    expect(head.toString()).toBe('abcde');
    stream.destroy();
    await new Promise((r) => setImmediate(r));
    // Released: the source is the caller's again, with no listener of ours left on it.
    expect(source.listenerCount('readable')).toBe(0);
    expect(source.destroyed).toBe(false);
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
  const deps = () => ({ sql: db.sql, storage: s3.storage, maxAttempts: 3, stallSeconds: 60 });
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
      accountId,
      body: body(12 * 1024 * 1024),
      contentType: 'video/mp4',
      maxBytes: 64 * 1024 * 1024,
      title: 't',
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
    const first = await ingestUpload(deps(), {
      accountId,
      body: body(1000),
      contentType: 'video/mp4',
      maxBytes: 1e6,
      idempotencyKey: 'k1',
    });
    const second = await ingestUpload(deps(), {
      accountId,
      body: body(1000),
      contentType: 'video/mp4',
      maxBytes: 1e6,
      idempotencyKey: 'k1',
    });
    expect(second.created).toBe(false);
    expect(second.asset.id).toBe(first.asset.id);
    expect(await getAsset(db.sql, accountId, first.asset.id)).not.toBeNull();
  });

  it('drops the source of an asset deleted while its bytes were arriving, and queues nothing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = new Readable({ read() {} });
    slow.push(Buffer.concat([mp4Head, Buffer.alloc(FINGERPRINT_BYTES)])); // past the head read before the row exists
    const pending = ingestUpload(deps(), { accountId, body: slow, contentType: 'video/mp4', maxBytes: 1e6 });
    // Once the row exists, delete it as DELETE /v1/assets/{id} would, then let the upload finish.
    let id: string | undefined;
    for (let i = 0; i < 100 && !id; i++) {
      await new Promise((r) => setTimeout(r, 20));
      id = (
        await db.sql`select id from assets where source_state = 'uploading' and idempotency_key is null order by created_at desc limit 1`
      )[0]?.id;
    }
    await db.sql`update assets set deleted_at = now() where id = ${id!}`;
    void gate.then(() => slow.push(null));
    release();
    const { asset } = await pending;
    expect(asset.id).toBe(id);
    expect(asset.deleted_at).not.toBeNull();
    expect(await listKeys(s3.storage, `sources/${id}/`)).toEqual([]);
    expect(await latestJobFor(db.sql, id!)).toBeNull();
  });

  it('lets the retry of a stalled upload through instead of answering 409', async () => {
    const id = randomUUID();
    await insertAsset(db.sql, { id, accountId, contentType: 'video/mp4', idempotencyKey: 'stalled' });
    const fresh = ingestUpload(deps(), { accountId, body: body(1000), contentType: 'video/mp4', maxBytes: 1e6, idempotencyKey: 'stalled' });
    await expect(fresh).rejects.toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_IN_USE' });
    await db.sql`update assets set updated_at = now() - interval '5 minutes' where id = ${id}`;
    const retried = await ingestUpload(deps(), {
      accountId,
      body: body(1000),
      contentType: 'video/mp4',
      maxBytes: 1e6,
      idempotencyKey: 'stalled',
    });
    expect(retried.created).toBe(true);
    expect(retried.asset.id).not.toBe(id);
  });

  it('sweepAbandonedUploads removes stalled uploads and what they left in S3, and only those', async () => {
    const stalledId = randomUUID();
    const liveId = randomUUID();
    const importingId = randomUUID();
    await insertAsset(db.sql, { id: stalledId, accountId, contentType: 'video/mp4' });
    await insertAsset(db.sql, { id: liveId, accountId, contentType: 'video/mp4' });
    // A URL import's fetch may outlast the stall time: its multipart upload is live.
    await insertAsset(db.sql, {
      id: importingId,
      accountId,
      contentType: null,
      state: 'importing',
      importUrl: 'https://example.com/a.mp4',
    });
    await db.sql`update assets set updated_at = now() - interval '10 minutes' where id = ${stalledId}`;
    // The stalled upload got as far as a complete object; the live one has parts in flight.
    await uploadStream(s3.storage, `sources/${stalledId}/original`, Readable.from([Buffer.from('x')]), { contentType: 'video/mp4' });
    await s3.storage.s3.send(new CreateMultipartUploadCommand({ Bucket: s3.storage.bucket, Key: `sources/${liveId}/original` }));
    await s3.storage.s3.send(new CreateMultipartUploadCommand({ Bucket: s3.storage.bucket, Key: `sources/${importingId}/original` }));
    await s3.storage.s3.send(new CreateMultipartUploadCommand({ Bucket: s3.storage.bucket, Key: `sources/${randomUUID()}/original` }));

    // A cutoff a second ahead makes every multipart upload old enough; the live upload
    // proves itself alive by a touch later than that.
    await db.sql`update assets set updated_at = now() + interval '1 minute' where id = ${liveId}`;
    expect(await sweepAbandonedUploads(db.sql, s3.storage, new Date(Date.now() + 1000))).toEqual({ assets: 1, uploads: 1 });
    expect(await getAsset(db.sql, accountId, stalledId)).toBeNull();
    expect(await getAsset(db.sql, accountId, liveId)).not.toBeNull();
    expect(await listKeys(s3.storage, `sources/${stalledId}/`)).toEqual([]);
    expect((await listMultipartUploads(s3.storage)).map((u) => u.key).sort()).toEqual(
      [`sources/${liveId}/original`, `sources/${importingId}/original`].sort(),
    );
  });
});
