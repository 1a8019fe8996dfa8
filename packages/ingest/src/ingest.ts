import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  deleteUploadingAsset,
  findByIdempotencyKey,
  getAssetById,
  markSourceFailed,
  touchUpload,
  type AssetRow,
  type PlaybackPolicy,
  type Sql,
} from '@kino/db';
import { sourceKeyFor } from '@kino/artifacts';
import { FORM_ENCODED_HINT } from '@kino/http';
import { deleteObject, type Storage } from '@kino/storage';
import { quotaExceeded, type UploadQuota } from '@kino/tenancy';
import { insertAnnouncedAsset, queueProcessing } from './admit.ts';
import { PayloadTooLargeError } from './byte-limit.ts';
import { IngestError } from './errors.ts';
import { describeUpload, differences, FINGERPRINT_BYTES, type ImportRequest, type UploadRequest } from './fingerprint.ts';
import { readHead } from './read-head.ts';
import { storeStream } from './store.ts';
import { NOT_MEDIA, sniff } from './sniff.ts';

export interface IngestDeps {
  sql: Sql;
  storage: Storage;
  maxAttempts: number;
  /** An `uploading` row untouched for this long belongs to a dead upload (see sweep.ts). */
  stallSeconds: number;
  /** Called once the job is committed, to wake a worker without waiting for its poll. */
  onJobQueued?: () => void;
  /** Called after a commit that wrote events, to wake their readers. */
  onEvents?: (accountId: string) => void;
}

export interface IngestInput {
  accountId: string;
  body: Readable;
  contentType: string;
  maxBytes: number;
  title?: string | undefined;
  passthrough?: string | undefined;
  idempotencyKey?: string | undefined;
  /**
   * Runs once the whole body is stored, before the asset counts as uploaded; a throw
   * refuses the upload and removes what it left (a form with fields after its file).
   */
  afterBody?: (() => Promise<void>) | undefined;
  /** The size the client declared (Content-Length of a raw body), compared on a retry. */
  declaredBytes?: number | undefined;
  /** Default `signed`. */
  playbackPolicy?: PlaybackPolicy | undefined;
  /** The account's quotas: checked before the asset exists, and the body is cut at the bytes the account has left. */
  quota?: UploadQuota | undefined;
  /** The preset to encode to, snapshotted on the asset (checked by the caller: packages/presets uploadPreset). */
  preset?: object | undefined;
}

export interface IngestResult {
  asset: AssetRow;
  /** False when an Idempotency-Key named an asset that already existed. */
  created: boolean;
}

const TOUCH_EVERY_MS = 10_000;

/** `name=value&…` text: what `curl -d` sends when a file was meant. */
const looksFormEncoded = (head: Buffer) =>
  /^[\w.~%+-]+=[\x20-\x7e]*$/.test(head.toString('latin1', 0, Math.min(head.length, 1024)).split('&')[0]!);

const CURL_HINT = 'With curl, send a file with --data-binary @file (-d and --data change its bytes).';

/** Why the body was refused, and the likeliest way it went wrong. */
function notMediaMessage(message: string, head: Buffer): string {
  if (looksFormEncoded(head)) return `${message} It looks like a form. ${FORM_ENCODED_HINT}`;
  return message === NOT_MEDIA ? `${message} ${CURL_HINT}` : message;
}

/**
 * Reads and drops the rest of a body whose bytes are not needed (a retry answered with the
 * first asset), so its keep-alive connection stays usable; through the head's stream, which
 * holds the body's reader. Bounded like an upload: past the limit the client is cut off. A
 * client that leaves meanwhile is no error of ours.
 */
function dropRest(stream: Readable, input: Pick<IngestInput, 'body' | 'maxBytes'>): void {
  let seen = 0;
  stream.on('error', () => {});
  stream.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > input.maxBytes) input.body.destroy();
  });
}

function stalled(asset: AssetRow, stallSeconds: number): boolean {
  return asset.source_state === 'uploading' && Date.now() - asset.updated_at.getTime() > stallSeconds * 1000;
}

/** The asset a retry with the same key gets, if it asks for the same upload (or import). */
export function replayIdempotent(existing: AssetRow, request: UploadRequest | ImportRequest): IngestResult {
  const first = existing.idempotency_request as Partial<UploadRequest & ImportRequest> | null;
  const differ = first ? differences(first, request, existing.source_bytes) : [];
  if (differ.length > 0) {
    throw new IngestError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      `This Idempotency-Key was first used for a different upload (${differ.join(', ')} differ${differ.length === 1 ? 's' : ''}); ` +
        'use a new key for a new upload.',
      { differs: differ },
    );
  }
  if (existing.source_state === 'uploading') {
    throw new IngestError(
      409,
      'IDEMPOTENCY_KEY_IN_USE',
      'An upload with this Idempotency-Key is still in progress; retry once it has finished.',
    );
  }
  return { asset: existing, created: false };
}

/**
 * Streams an upload into S3 and queues its processing. Nothing is left behind when the
 * upload is refused or breaks: the asset row is removed, the multipart upload aborted,
 * and an object that did complete is deleted again.
 */
export async function ingestUpload(deps: IngestDeps, input: IngestInput): Promise<IngestResult> {
  // The head decides whether this is media at all, and is what a retry's body is compared by.
  const { head, stream } = await readHead(input.body, FINGERPRINT_BYTES, (h) => {
    const first = sniff(h);
    return first.verdict === 'more' ? first.bytes : undefined;
  });
  if (head.length === 0) throw new IngestError(400, 'EMPTY_BODY', 'The request body is empty: send the video file as the body.');
  // Still 'more' means the body ended inside an ID3 tag.
  const sniffed = sniff(head);
  if (sniffed.verdict !== 'media') {
    stream.destroy();
    throw new IngestError(415, 'NOT_MEDIA', notMediaMessage(sniffed.verdict === 'refuse' ? sniffed.message : NOT_MEDIA, head));
  }

  const request = describeUpload(input, head);
  if (input.idempotencyKey) {
    const existing = await findByIdempotencyKey(deps.sql, input.accountId, input.idempotencyKey);
    // The retry of an upload whose api process died must not wait for the sweep: the
    // stalled row gives way (its leftovers in S3 are the sweep's) and this upload proceeds.
    if (existing && stalled(existing, deps.stallSeconds)) await deleteUploadingAsset(deps.sql, existing.id);
    else if (existing) {
      dropRest(stream, input);
      return replayIdempotent(existing, request);
    }
  }

  const id = randomUUID();
  const inserted = await deps.sql
    .begin((tx) =>
      insertAnnouncedAsset(
        tx,
        {
          id,
          accountId: input.accountId,
          title: input.title,
          passthrough: input.passthrough,
          idempotencyKey: input.idempotencyKey,
          idempotencyRequest: input.idempotencyKey ? { ...request } : null,
          contentType: input.contentType,
          playbackPolicy: input.playbackPolicy,
          preset: input.preset,
          // Counted against the account's stored bytes while the body comes in.
          declaredBytes: input.declaredBytes,
        },
        input.quota && { ...input.quota, bytes: input.declaredBytes },
      ),
    )
    .catch((err: unknown) => {
      stream.destroy();
      throw err;
    });
  if (inserted) deps.onEvents?.(input.accountId);
  if (!inserted) {
    dropRest(stream, input);
    // Another request with the same key won the insert a moment ago (and may even have
    // been deleted again since: then this one is simply in progress elsewhere, or gone).
    const winner = await findByIdempotencyKey(deps.sql, input.accountId, input.idempotencyKey!);
    if (!winner) throw new IngestError(409, 'IDEMPOTENCY_KEY_IN_USE', 'An upload with this Idempotency-Key is in progress; retry shortly.');
    return replayIdempotent(winner, request);
  }

  const key = sourceKeyFor(id);
  let stored = false;
  const heartbeat = setInterval(() => void touchUpload(deps.sql, id).catch(() => {}), TOUCH_EVERY_MS).unref();
  try {
    const maxBytes = Math.min(input.maxBytes, inserted.storageLeft);
    const bytes = await storeStream(deps.storage, key, stream, { maxBytes, contentType: input.contentType }).catch((err: unknown) => {
      // Cut at what the account had left rather than at the upload size limit: say which.
      if (err instanceof PayloadTooLargeError && maxBytes < input.maxBytes)
        throw quotaExceeded('stored_bytes', input.quota!.limits.stored_bytes, input.quota!.limits.stored_bytes - maxBytes);
      throw err;
    });
    stored = true;
    await input.afterBody?.();
    const asset = await deps.sql.begin((tx) =>
      queueProcessing(tx, { assetId: id, accountId: input.accountId, bytes, maxAttempts: deps.maxAttempts }),
    );
    if (!asset) {
      // Deleted while its bytes were arriving: the purge found no object to remove, so
      // the source goes here, and nothing is processed.
      await deleteObject(deps.storage, key);
      await markSourceFailed(deps.sql, id);
      const deleted = (await getAssetById(deps.sql, id))!;
      return { asset: deleted, created: true };
    }
    deps.onJobQueued?.();
    deps.onEvents?.(input.accountId);
    return { asset, created: true };
  } catch (err) {
    stream.destroy();
    if (stored) await deleteObject(deps.storage, key).catch(() => {});
    await deleteUploadingAsset(deps.sql, id);
    throw err;
  } finally {
    clearInterval(heartbeat);
  }
}
