import type { UploadQuota } from '@kino/tenancy';
import { randomUUID } from 'node:crypto';
import { findByIdempotencyKey, type PlaybackPolicy } from '@kino/db';
import { appendEvent } from '@kino/events';
import { enqueueJob } from '@kino/jobs';
import { insertAnnouncedAsset } from './admit.ts';
import { IngestError } from './errors.ts';
import { describeImport } from './fingerprint.ts';
import { checkImportUrl, MAX_IMPORT_URL_LENGTH, type ImportUrlProblem } from './import-url.ts';
import { replayIdempotent, type IngestDeps, type IngestResult } from './ingest.ts';

export type ImportRequestDeps = Pick<IngestDeps, 'sql' | 'maxAttempts' | 'onJobQueued' | 'onEvents'>;

export interface ImportInput {
  accountId: string;
  url: string;
  title?: string | undefined;
  passthrough?: string | undefined;
  /** Default `signed`. */
  playbackPolicy?: PlaybackPolicy | undefined;
  idempotencyKey?: string | undefined;
  /** IMPORT_ALLOW_PRIVATE: a literal private host is refused here unless it is set. */
  allowPrivate: boolean;
  /** The account's quotas, checked before the asset exists. */
  quota?: UploadQuota | undefined;
  /** The preset to encode to, snapshotted on the asset (checked by the caller: packages/presets uploadPreset). */
  preset?: object | undefined;
}

const REFUSALS: Record<ImportUrlProblem, string> = {
  too_long: `\`url\` is longer than ${MAX_IMPORT_URL_LENGTH} characters.`,
  malformed: '`url` is not a URL: send an absolute http(s) URL.',
  scheme: '`url` must be an http or https URL with a host.',
  credentials: '`url` must not carry a user name or password: share a private source as a presigned URL.',
  private: '`url` names a private, loopback or link-local address, which imports may not reach.',
};

/**
 * Takes a URL import: the asset (source_state `importing`, the URL kept only until it is
 * fetched), `asset.created` and the `import_source` job, in one transaction. The fetch is
 * the worker's (see import.ts). A repeated Idempotency-Key answers with the first asset
 * when it asks for the same import (the URL is compared by its hash).
 */
export async function createImport(deps: ImportRequestDeps, input: ImportInput): Promise<IngestResult> {
  const checked = checkImportUrl(input.url, { allowPrivate: input.allowPrivate });
  if (!checked.ok) {
    throw new IngestError(400, 'INVALID_SOURCE_URL', REFUSALS[checked.problem], [{ path: 'url', message: checked.problem }]);
  }
  const url = checked.url.href;
  const request = describeImport({ ...input, url });
  if (input.idempotencyKey) {
    const existing = await findByIdempotencyKey(deps.sql, input.accountId, input.idempotencyKey);
    if (existing) return replayIdempotent(existing, request);
  }

  const id = randomUUID();
  const inserted = await deps.sql.begin(async (tx) => {
    const inserted = await insertAnnouncedAsset(
      tx,
      {
        id,
        accountId: input.accountId,
        title: input.title,
        passthrough: input.passthrough,
        idempotencyKey: input.idempotencyKey,
        idempotencyRequest: input.idempotencyKey ? { ...request } : null,
        contentType: null,
        playbackPolicy: input.playbackPolicy,
        state: 'importing',
        importUrl: url,
        preset: input.preset,
      },
      input.quota,
    );
    if (!inserted) return null;
    const job = await enqueueJob(tx, { assetId: id, accountId: input.accountId, maxAttempts: deps.maxAttempts, kind: 'import_source' });
    await appendEvent(tx, { accountId: input.accountId, assetId: id, type: 'job.queued', data: { job_id: job.id, reason: 'import' } });
    return inserted.asset;
  });
  if (!inserted) {
    // Another request with the same key won the insert a moment ago.
    const winner = await findByIdempotencyKey(deps.sql, input.accountId, input.idempotencyKey!);
    if (!winner) throw new IngestError(409, 'IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is in progress; retry shortly.');
    return replayIdempotent(winner, request);
  }
  deps.onJobQueued?.();
  deps.onEvents?.(input.accountId);
  return { asset: inserted, created: true };
}
