import {
  failPendingSource,
  getAssetById,
  insertAsset,
  markSourceUploaded,
  type AssetError,
  type AssetRow,
  type NewAsset,
  type Queryable,
  type Sql,
} from '@kino/db';
import { sourcePrefix } from '@kino/artifacts';
import { appendEvent, appendEvents } from '@kino/events';
import { enqueueJob } from '@kino/jobs';
import { abortMultipartUpload, deletePrefix, objectSize, readObjectHead, type Storage } from '@kino/storage';
import { admitUpload, type UploadQuota } from '@kino/tenancy';
import { FINGERPRINT_BYTES } from './fingerprint.ts';
import { IngestError } from './errors.ts';
import { NOT_MEDIA, sniff } from './sniff.ts';

// Every door ends here: once a source's bytes are stored, its asset becomes `uploaded` and
// its processing job is queued in one transaction, exactly as for a streamed upload. The
// doors whose bytes reach storage without passing through the api (direct, tus, import)
// are first sniffed here from the stored object's head, the same check a streamed body gets.

export interface AdmitDeps {
  sql: Sql;
  storage: Storage;
  maxAttempts: number;
  maxBytes: number;
  /** Bytes an account may still store (its quota); a source that would take it past is refused once its size is known. */
  storageLeft?: ((accountId: string) => Promise<number>) | undefined;
  onJobQueued?: () => void;
  onEvents?: (accountId: string) => void;
}

/**
 * Makes an asset whose source is still to come, and announces it (`asset.created`), in the
 * caller's transaction: every door starts so. With `quota`, the account's quotas are
 * checked first (a refusal throws QUOTA_EXCEEDED and inserts nothing); `storageLeft` is
 * what the account may still store (Infinity without a quota). Null when its
 * Idempotency-Key was taken.
 */
export async function insertAnnouncedAsset(
  tx: Queryable,
  a: NewAsset,
  quota?: UploadQuota,
): Promise<{ asset: AssetRow; storageLeft: number } | null> {
  const storageLeft = quota ? (await admitUpload(tx, a.accountId, quota)).storageLeft : Number.POSITIVE_INFINITY;
  const asset = await insertAsset(tx, a);
  if (!asset) return null;
  await appendEvent(tx, { accountId: a.accountId, assetId: a.id, type: 'asset.created', data: { title: asset.title } });
  return { asset, storageLeft };
}

/**
 * Marks a pending source stored and queues its processing, in the caller's transaction.
 * Null when the asset is no longer pending: deleted meanwhile, or already admitted (a finish
 * observed twice counts once).
 */
export async function queueProcessing(
  tx: Queryable,
  o: { assetId: string; accountId: string; bytes: number; maxAttempts: number; contentType?: string | undefined },
): Promise<AssetRow | null> {
  const asset = await markSourceUploaded(tx, o.assetId, o.bytes, o.contentType);
  if (!asset) return null;
  const job = await enqueueJob(tx, { assetId: o.assetId, accountId: o.accountId, maxAttempts: o.maxAttempts });
  await appendEvents(tx, [
    { accountId: o.accountId, assetId: o.assetId, type: 'asset.source_uploaded', data: { bytes: o.bytes } },
    { accountId: o.accountId, assetId: o.assetId, type: 'job.queued', data: { job_id: job.id, reason: 'uploaded' } },
  ]);
  return asset;
}

/**
 * A pending source that will never be processed: the asset fails with `error`, announced as
 * `asset.errored`, and then whatever reached storage is removed (the object, a multipart
 * upload's parts). The state moves first: a source admitted meanwhile (a completion racing
 * the expiry sweep) is left alone, bytes and all. Returns the asset as it now reads.
 */
export async function rejectSource(
  deps: Pick<AdmitDeps, 'sql' | 'storage' | 'onEvents'>,
  asset: AssetRow,
  error: AssetError,
): Promise<AssetRow> {
  const failed = await deps.sql.begin(async (tx) => {
    const row = await failPendingSource(tx, asset.id, error);
    if (row) await appendEvent(tx, { accountId: asset.account_id, assetId: asset.id, type: 'asset.errored', data: { ...error } });
    return row;
  });
  if (!failed) return (await getAssetById(deps.sql, asset.id)) ?? asset;
  deps.onEvents?.(asset.account_id);
  await removeSource(deps.storage, failed);
  return failed;
}

async function removeSource(storage: Storage, asset: AssetRow): Promise<void> {
  if (asset.upload_multipart_id) await abortMultipartUpload(storage, asset.source_key, asset.upload_multipart_id).catch(() => {});
  await deletePrefix(storage, sourcePrefix(asset.id));
}

export interface AdmitOptions {
  /** The size the stored object must have (a direct upload's declared size). */
  expectedBytes?: number | null | undefined;
}

/**
 * Admits a source whose bytes are already in storage at the asset's source key: checks its
 * size, sniffs its head, then queues processing. A missing object or another size than
 * declared is `409 UPLOAD_INCOMPLETE` and changes nothing (the client may still upload);
 * an object over the size limit or that is not media is removed and the asset fails
 * (`413 PAYLOAD_TOO_LARGE`, `415 NOT_MEDIA`). An asset already admitted is returned as it is.
 */
export async function admitStoredSource(deps: AdmitDeps, asset: AssetRow, o: AdmitOptions = {}): Promise<AssetRow> {
  if (asset.source_state === 'uploaded') return asset;
  const stored = await objectSize(deps.storage, asset.source_key);
  if (stored === null || (o.expectedBytes != null && stored !== o.expectedBytes)) {
    const expected = o.expectedBytes ?? null;
    throw new IngestError(
      409,
      'UPLOAD_INCOMPLETE',
      stored === null
        ? 'No bytes of this upload are in storage yet: upload the file, then complete the upload.'
        : `The stored upload has ${stored} bytes, not the ${expected} declared: upload the whole file again, then complete.`,
      { declared_bytes: expected, stored_bytes: stored },
    );
  }
  if (stored === 0) {
    await rejectSource(deps, asset, { code: 'EMPTY_BODY', message: 'The uploaded file is empty.' });
    throw new IngestError(400, 'EMPTY_BODY', 'The uploaded file is empty: upload the video file.');
  }
  if (stored > deps.maxBytes) {
    const message = `The upload is larger than the limit of ${deps.maxBytes} bytes.`;
    await rejectSource(deps, asset, { code: 'SOURCE_TOO_LARGE', message });
    throw new IngestError(413, 'PAYLOAD_TOO_LARGE', message, { max_bytes: deps.maxBytes });
  }
  if (deps.storageLeft) {
    // The asset counts its declared size already (a direct or tus upload's): not twice.
    const left = (await deps.storageLeft(asset.account_id)) + (asset.upload_declared_bytes ?? 0);
    if (stored > left) {
      const refusal = new IngestError(
        403,
        'QUOTA_EXCEEDED',
        `The upload has ${stored} bytes, more than the ${Math.max(0, left)} the account may still store; see GET /v1/account.`,
        { quota: 'stored_bytes', left: Math.max(0, left), stored_bytes: stored },
      );
      await rejectSource(deps, asset, { code: 'QUOTA_EXCEEDED', message: refusal.message });
      throw refusal;
    }
  }

  let head = await readObjectHead(deps.storage, asset.source_key, FINGERPRINT_BYTES);
  let sniffed = sniff(head);
  // An ID3 tag announces its own length: read past it once, as a streamed body does.
  if (sniffed.verdict === 'more') {
    head = await readObjectHead(deps.storage, asset.source_key, sniffed.bytes);
    sniffed = sniff(head);
  }
  if (sniffed.verdict !== 'media') {
    const message = sniffed.verdict === 'refuse' ? sniffed.message : NOT_MEDIA;
    await rejectSource(deps, asset, { code: 'NOT_MEDIA', message });
    throw new IngestError(415, 'NOT_MEDIA', message);
  }

  return queueCheckedSource(deps, asset, { bytes: stored });
}

export interface CheckedSource {
  bytes: number;
  /** What the source turned out to be, when the asset did not know yet (an import). */
  contentType?: string | undefined;
  /** Runs first in the transaction: a job proves it still holds its lease there. */
  holdLease?: ((tx: Queryable) => Promise<void>) | undefined;
}

/**
 * Queues the processing of a source whose stored bytes were checked (size, sniff), as
 * admitStoredSource does for a direct upload and the import job for a fetched URL. An
 * asset no longer pending is returned as it now is.
 */
export async function queueCheckedSource(deps: AdmitDeps, asset: AssetRow, o: CheckedSource): Promise<AssetRow> {
  const admitted = await deps.sql.begin(async (tx) => {
    await o.holdLease?.(tx);
    return queueProcessing(tx, {
      assetId: asset.id,
      accountId: asset.account_id,
      bytes: o.bytes,
      maxAttempts: deps.maxAttempts,
      contentType: o.contentType,
    });
  });
  if (admitted) {
    deps.onJobQueued?.();
    deps.onEvents?.(asset.account_id);
    return admitted;
  }
  // Admitted by a twin call meanwhile (its bytes stay), or rejected (an expiry) or deleted
  // while they arrived: then whoever moved it may have emptied the prefix before the bytes
  // landed, and they go here.
  const now = (await getAssetById(deps.sql, asset.id))!;
  if (now.source_state !== 'uploaded' || now.deleted_at) await removeSource(deps.storage, now);
  return now;
}
