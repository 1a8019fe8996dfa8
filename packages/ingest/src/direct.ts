import { randomUUID } from 'node:crypto';
import { sourceKeyFor } from '@kino/artifacts';
import { insertAsset, type AssetRow, type PlaybackPolicy } from '@kino/db';
import { appendEvent } from '@kino/events';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  presignPart,
  presignPut,
  type UploadedPart,
} from '@kino/storage';
import { admitStoredSource, rejectSource, type AdmitDeps } from './admit.ts';
import { IngestError } from './errors.ts';
import { UPLOAD_EXPIRED_ERROR } from './sweep.ts';

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
}

/** How the client sends its bytes: one PUT, or numbered parts of `part_bytes` each (the last may be shorter). */
export type UploadInstructions =
  | { kind: 'put'; url: string; headers: Record<string, string>; expiresAt: Date }
  | { kind: 'multipart'; partBytes: number; parts: { part: number; url: string }[]; expiresAt: Date };

/** Parts of at least `partBytes`, grown when the file would need more than S3's 10,000. */
export function partSizeFor(bytes: number, partBytes: number): number {
  return Math.max(partBytes, Math.ceil(bytes / MAX_PARTS));
}

/**
 * Creates the asset in `awaiting_upload` and the presigned URLs its bytes go to: one PUT up
 * to `singlePutMaxBytes` (or when no size is declared), an S3 multipart upload above it.
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
  const multipart = req.bytes !== undefined && req.bytes > deps.singlePutMaxBytes;
  const multipartId = multipart ? await createMultipartUpload(deps.storage, key, req.contentType) : undefined;
  try {
    const asset = await deps.sql.begin(async (tx) => {
      const row = (await insertAsset(tx, {
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
      }))!;
      await appendEvent(tx, { accountId: req.accountId, assetId: id, type: 'asset.created', data: { title: row.title } });
      return row;
    });
    deps.onEvents?.(req.accountId);
    return { asset, upload: await instructionsFor(deps, asset) };
  } catch (err) {
    if (multipartId) await abortMultipartUpload(deps.storage, key, multipartId).catch(() => {});
    throw err;
  }
}

/** The presigned URLs of an upload, valid until it expires, each signed for its exact length. */
async function instructionsFor(deps: DirectUploadDeps, asset: AssetRow): Promise<UploadInstructions> {
  const expiresAt = asset.upload_expires_at!;
  const ttl = Math.max(1, Math.round((expiresAt.getTime() - Date.now()) / 1000));
  if (!asset.upload_multipart_id) {
    const contentType = asset.source_content_type ?? 'application/octet-stream';
    const url = await presignPut(deps.storage, asset.source_key, contentType, ttl, asset.upload_declared_bytes ?? undefined);
    return { kind: 'put', url, headers: { 'content-type': contentType }, expiresAt };
  }
  const bytes = Number(asset.upload_declared_bytes);
  const partBytes = partSizeFor(bytes, deps.partBytes);
  const count = Math.ceil(bytes / partBytes);
  const parts = await Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      part: i + 1,
      url: await presignPart(
        deps.storage,
        asset.source_key,
        asset.upload_multipart_id!,
        i + 1,
        Math.min(partBytes, bytes - i * partBytes),
        ttl,
      ),
    })),
  );
  return { kind: 'multipart', partBytes, parts, expiresAt };
}

/** What S3 says when a completion names parts it does not have, or in the wrong order. */
const PART_ERRORS = new Set(['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall']);

/**
 * Completes a direct upload: joins a multipart upload's parts, then admits the stored
 * object (declared size, sniff, job). Completing again after success returns the asset as
 * it is; an upload past its `expires_at` is given up (410 UPLOAD_EXPIRED).
 */
export async function completeDirectUpload(deps: AdmitDeps, asset: AssetRow, parts: UploadedPart[] | undefined): Promise<AssetRow> {
  if (!asset.upload_expires_at) {
    throw new IngestError(409, 'NOT_A_DIRECT_UPLOAD', 'This asset was not created by POST /v1/uploads: there is no upload to complete.');
  }
  if (asset.source_state !== 'awaiting_upload') {
    if (asset.error?.code === UPLOAD_EXPIRED_ERROR.code) throw expired();
    return asset;
  }
  if (asset.upload_expires_at.getTime() <= Date.now()) {
    await rejectSource(deps, asset, UPLOAD_EXPIRED_ERROR);
    throw expired();
  }
  if (asset.upload_multipart_id) {
    if (!parts || parts.length === 0) {
      throw new IngestError(
        400,
        'VALIDATION_ERROR',
        'This is a multipart upload: send `parts`, each part number with the ETag its PUT answered.',
        [{ path: 'parts', message: 'required for a multipart upload' }],
      );
    }
    try {
      await completeMultipartUpload(
        deps.storage,
        asset.source_key,
        asset.upload_multipart_id,
        [...parts].sort((a, b) => a.part - b.part),
      );
    } catch (err) {
      const code = (err as { Code?: string }).Code ?? (err as { name?: string }).name ?? '';
      // Joined by an earlier call whose admission then failed: the object is there to admit.
      if (code === 'NoSuchUpload') return admitStoredSource(deps, asset, { expectedBytes: asset.upload_declared_bytes });
      if (!PART_ERRORS.has(code)) throw err;
      throw new IngestError(
        400,
        'INVALID_PARTS',
        'Storage refused the parts: each part must have been uploaded, with the ETag its PUT answered, and every part but the last must be whole.',
        { storage_code: code },
      );
    }
  } else if (parts && parts.length > 0) {
    throw new IngestError(400, 'VALIDATION_ERROR', 'This upload is a single PUT: send no `parts`.', [
      { path: 'parts', message: 'only for a multipart upload' },
    ]);
  }
  try {
    return await admitStoredSource(deps, asset, { expectedBytes: asset.upload_declared_bytes });
  } catch (err) {
    // Joined parts cannot be sent again: a multipart upload of the wrong size is over.
    if (asset.upload_multipart_id && err instanceof IngestError && err.code === 'UPLOAD_INCOMPLETE') {
      await rejectSource(deps, asset, { code: 'UPLOAD_INCOMPLETE', message: err.message });
    }
    throw err;
  }
}

function expired(): IngestError {
  return new IngestError(410, 'UPLOAD_EXPIRED', UPLOAD_EXPIRED_ERROR.message);
}
