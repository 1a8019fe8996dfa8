import type { UploadQuota } from '@kino/tenancy';
import { randomUUID } from 'node:crypto';
import { sourceKeyFor } from '@kino/artifacts';
import type { AssetRow, PlaybackPolicy } from '@kino/db';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listParts,
  presignPart,
  type StoredPart,
  type UploadedPart,
} from '@kino/storage';
import { admitStoredSource, insertAnnouncedAsset, rejectSource, type AdmitDeps } from './admit.ts';
import { IngestError } from './errors.ts';
import { UPLOAD_EXPIRED_ERROR, uploadExpired, uploadExpiredRefusal } from './sweep.ts';

// Direct uploads: the client sends its bytes straight to the bucket with presigned URLs, so
// the api never carries them. The asset exists from the start in `awaiting_upload`; the
// client completes the upload and the stored object is admitted like any other door's.

/** S3 allows at most this many parts in one multipart upload. */
const MAX_PARTS = 10_000;

export interface DirectUploadDeps extends AdmitDeps {
  singlePutMaxBytes: number;
  partBytes: number;
  expirySeconds: number;
}

export interface DirectUploadRequest {
  accountId: string;
  contentType: string;
  bytes?: number | undefined;
  title?: string | undefined;
  passthrough?: string | undefined;
  playbackPolicy?: PlaybackPolicy | undefined;
  /** The account's quotas, checked before the asset exists (with `bytes`, when given). */
  quota?: UploadQuota | undefined;
}

/** How the client sends its bytes: one PUT, or numbered parts of `part_bytes` each (the last may be shorter). */
export type UploadInstructions =
  | { kind: 'put'; url: string; expiresAt: Date }
  | { kind: 'multipart'; partBytes: number; parts: { part: number; url: string }[]; expiresAt: Date };

/** Parts of at least `partBytes`, grown when the file would need more than S3's 10,000. */
function partSizeFor(bytes: number, partBytes: number): number {
  return Math.max(partBytes, Math.ceil(bytes / MAX_PARTS));
}

/**
 * Creates the asset in `awaiting_upload` and the presigned URLs its bytes go to. Every direct
 * upload is an S3 multipart upload, of one part up to `singlePutMaxBytes` (or when no size is
 * declared): a part URL stops working once its upload is completed or aborted, where a
 * presigned PutObject would take another file over the checked one until it expired.
 */
export async function createDirectUpload(
  deps: DirectUploadDeps,
  req: DirectUploadRequest,
): Promise<{ asset: AssetRow; upload: UploadInstructions }> {
  if (req.bytes !== undefined && req.bytes > deps.maxBytes) {
    throw new IngestError(413, 'PAYLOAD_TOO_LARGE', `The upload is larger than the limit of ${deps.maxBytes} bytes.`, {
      max_bytes: deps.maxBytes,
    });
  }
  const id = randomUUID();
  const key = sourceKeyFor(id);
  const expiresAt = new Date(Date.now() + deps.expirySeconds * 1000);
  const multipartId = await createMultipartUpload(deps.storage, key, req.contentType);
  try {
    const asset = await deps.sql.begin(async (tx) => {
      const inserted = await insertAnnouncedAsset(
        tx,
        {
          id,
          accountId: req.accountId,
          title: req.title,
          passthrough: req.passthrough,
          contentType: req.contentType,
          playbackPolicy: req.playbackPolicy,
          state: 'awaiting_upload',
          uploadExpiresAt: expiresAt,
          declaredBytes: req.bytes,
          multipartId,
        },
        req.quota && { ...req.quota, bytes: req.bytes },
      );
      return inserted!.asset;
    });
    deps.onEvents?.(req.accountId);
    return { asset, upload: await instructionsFor(deps, asset, multipartId) };
  } catch (err) {
    await abortMultipartUpload(deps.storage, key, multipartId).catch(() => {});
    throw err;
  }
}

/** The presigned URLs of an upload, valid until it expires, each signed for its exact length when the size is known. */
async function instructionsFor(deps: DirectUploadDeps, asset: AssetRow, multipartId: string): Promise<UploadInstructions> {
  const expiresAt = asset.upload_expires_at!;
  const ttl = Math.max(1, Math.round((expiresAt.getTime() - Date.now()) / 1000));
  const bytes = asset.upload_declared_bytes;
  if (bytes === null || bytes <= deps.singlePutMaxBytes) {
    const url = await presignPart(deps.storage, asset.source_key, multipartId, 1, bytes ?? undefined, ttl);
    return { kind: 'put', url, expiresAt };
  }
  const partBytes = partSizeFor(bytes, deps.partBytes);
  const count = Math.ceil(bytes / partBytes);
  const parts = await Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      part: i + 1,
      url: await presignPart(deps.storage, asset.source_key, multipartId, i + 1, Math.min(partBytes, bytes - i * partBytes), ttl),
    })),
  );
  return { kind: 'multipart', partBytes, parts, expiresAt };
}

/** What S3 says when a completion names parts it does not have, or in the wrong order. */
const PART_ERRORS = new Set(['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall']);

const unquoted = (etag: string) => etag.replaceAll('"', '');

/**
 * The parts to join: those the client names (each must be one S3 holds, with its ETag), or
 * every part S3 holds; numbered 1..n without a gap, and together the declared size. A
 * shortfall is `409 UPLOAD_INCOMPLETE` before anything is joined, so the client may still
 * send what is missing.
 */
function partsToJoin(asset: AssetRow, stored: StoredPart[], named: UploadedPart[] | undefined): StoredPart[] {
  const held = new Map(stored.map((p) => [p.part, p]));
  if (named && named.length > 0) {
    const wrong = named.filter((p) => unquoted(held.get(p.part)?.etag ?? '') !== unquoted(p.etag)).map((p) => p.part);
    if (wrong.length > 0) {
      throw new IngestError(
        400,
        'INVALID_PARTS',
        `Storage holds no part ${wrong.join(', ')} with the ETag given: send each part number with the ETag its PUT answered.`,
        { parts: wrong },
      );
    }
  }
  const chosen = named && named.length > 0 ? [...new Set(named.map((p) => p.part))].sort((a, b) => a - b).map((n) => held.get(n)!) : stored;
  const bytes = chosen.reduce((n, p) => n + p.bytes, 0);
  const declared = asset.upload_declared_bytes;
  const gap = chosen.findIndex((p, i) => p.part !== i + 1);
  if (chosen.length === 0 || gap !== -1 || (declared !== null && bytes !== declared)) {
    const why =
      chosen.length === 0
        ? 'No bytes of this upload are in storage yet: upload the file, then complete the upload.'
        : gap !== -1
          ? `Part ${gap + 1} is not in storage: send it, then complete again.`
          : `The parts in storage hold ${bytes} bytes, not the ${declared} declared: send what is missing, then complete again.`;
    throw new IngestError(409, 'UPLOAD_INCOMPLETE', why, { declared_bytes: declared, stored_bytes: bytes });
  }
  return chosen;
}

/**
 * Completes a direct upload: joins its parts once they are all in, then admits the stored
 * object (size, sniff, job). Completing again after success returns the asset as it is; an
 * upload past its `expires_at` is given up (410 UPLOAD_EXPIRED).
 */
export async function completeDirectUpload(deps: AdmitDeps, asset: AssetRow, named: UploadedPart[] | undefined): Promise<AssetRow> {
  if (!asset.upload_multipart_id) {
    throw new IngestError(409, 'NOT_A_DIRECT_UPLOAD', 'This asset was not created by POST /v1/uploads: there is no upload to complete.');
  }
  if (asset.source_state !== 'awaiting_upload') {
    if (asset.error?.code === UPLOAD_EXPIRED_ERROR.code) throw uploadExpiredRefusal();
    return asset;
  }
  if (uploadExpired(asset)) {
    await rejectSource(deps, asset, UPLOAD_EXPIRED_ERROR);
    throw uploadExpiredRefusal();
  }
  const stored = await listParts(deps.storage, asset.source_key, asset.upload_multipart_id);
  // Null: joined by an earlier call whose admission then failed; the object is there to admit.
  if (stored) {
    const parts = partsToJoin(asset, stored, named);
    try {
      await completeMultipartUpload(deps.storage, asset.source_key, asset.upload_multipart_id, parts);
    } catch (err) {
      const code = (err as { Code?: string }).Code ?? (err as { name?: string }).name ?? '';
      if (code === 'NoSuchUpload') return admitStoredSource(deps, asset, { expectedBytes: asset.upload_declared_bytes });
      if (!PART_ERRORS.has(code)) throw err;
      throw new IngestError(400, 'INVALID_PARTS', 'Storage refused the parts: every part but the last must be at least 5 MiB.', {
        storage_code: code,
      });
    }
  }
  return admitStoredSource(deps, asset, { expectedBytes: asset.upload_declared_bytes });
}
