import { sourceKeyFor, type ArtifactKind } from '@kino/artifacts';
import type { Queryable } from './client.ts';

/**
 * `uploading`: bytes streaming through the api; `awaiting_upload`: a direct or tus upload the
 * client has yet to finish; `importing`: a URL the worker is to fetch. Each ends `uploaded`
 * (and processed) or `failed`.
 */
export type SourceState = 'uploading' | 'awaiting_upload' | 'importing' | 'uploaded' | 'failed';
export const SOURCE_STATES: readonly SourceState[] = ['uploading', 'awaiting_upload', 'importing', 'uploaded', 'failed'];
/** The states of a source whose bytes are not in yet. */
export const PENDING_SOURCE_STATES: readonly SourceState[] = ['uploading', 'awaiting_upload', 'importing'];
export type PlayableState = 'not_playable' | 'opener_ready' | 'hls_ready';
/** Who may mint playback tokens: only authenticated API calls, or also the public player page. */
export type PlaybackPolicy = 'signed' | 'public';
export const PLAYBACK_POLICIES: readonly PlaybackPolicy[] = ['signed', 'public'];

export interface AssetError {
  code: string;
  message: string;
}

export interface AssetRow {
  id: string;
  account_id: string;
  title: string | null;
  passthrough: string | null;
  idempotency_key: string | null;
  /** What the upload with that key asked for, compared on a retry (migrations/009). */
  idempotency_request: Record<string, unknown> | null;
  source_state: SourceState;
  playable_state: PlayableState;
  source_key: string;
  source_content_type: string | null;
  source_bytes: number | null;
  source_meta: Record<string, unknown> | null;
  /** The probe the segment plan was made from (see migrations/007_segment_jobs.sql). */
  media_probe: Record<string, unknown> | null;
  /** The preset the asset is encoded to, snapshotted at upload (migrations/018); null: the default ladder. */
  preset: Record<string, unknown> | null;
  error: AssetError | null;
  playback_policy: PlaybackPolicy;
  /** A direct or tus upload's deadline (migrations/010). */
  upload_expires_at: Date | null;
  upload_declared_bytes: number | null;
  /** A direct upload's S3 multipart upload: every direct upload has one, and only they. */
  upload_multipart_id: string | null;
  /** What a URL import fetches; cleared once fetched. Never shown. */
  import_url: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export interface ArtifactRow {
  asset_id: string;
  path: string;
  kind: ArtifactKind;
  key: string;
  content_type: string;
  bytes: number;
  rendition: string | null;
  width: number | null;
  height: number | null;
  bitrate: number | null;
  /** A rendition playlist's PSNR/SSIM against the source (migrations/019); null until measured. */
  quality: RenditionQuality | null;
  created_at: Date;
}

export interface RenditionQuality {
  psnr: number;
  ssim: number;
  sampled_seconds: number;
}

export type NewArtifact = Omit<ArtifactRow, 'asset_id' | 'created_at' | 'quality'>;

/** Every source and artifact of an asset lives under these two prefixes. */

export interface NewAsset {
  id: string;
  accountId: string;
  title?: string | null;
  passthrough?: string | null;
  idempotencyKey?: string | null;
  idempotencyRequest?: Record<string, unknown> | null;
  /** Null while unknown: an import learns it from the answer it fetches. */
  contentType: string | null;
  playbackPolicy?: PlaybackPolicy | undefined;
  /** Default `uploading` (a streamed upload). */
  state?: 'uploading' | 'awaiting_upload' | 'importing';
  uploadExpiresAt?: Date | undefined;
  declaredBytes?: number | undefined;
  multipartId?: string | undefined;
  importUrl?: string | undefined;
  /** The preset to encode to, as it is now (a snapshot: later edits of it do not reach this asset). */
  preset?: object | null | undefined;
}

/**
 * Inserts an asset whose source is still to come. With an Idempotency-Key that this
 * account already used, inserts nothing and returns null: the caller answers with the
 * existing asset.
 */
export async function insertAsset(sql: Queryable, a: NewAsset): Promise<AssetRow | null> {
  const [row] = await sql<AssetRow[]>`
    insert into assets (id, account_id, title, passthrough, idempotency_key, idempotency_request,
                        source_key, source_content_type, playback_policy, source_state,
                        upload_expires_at, upload_declared_bytes, upload_multipart_id, import_url, preset)
    values (${a.id}, ${a.accountId}, ${a.title ?? null}, ${a.passthrough ?? null},
            ${a.idempotencyKey ?? null}, ${a.idempotencyRequest ? sql.json(a.idempotencyRequest as never) : null},
            ${sourceKeyFor(a.id)}, ${a.contentType}, ${a.playbackPolicy ?? 'signed'}, ${a.state ?? 'uploading'},
            ${a.uploadExpiresAt ?? null}, ${a.declaredBytes ?? null}, ${a.multipartId ?? null}, ${a.importUrl ?? null},
            ${a.preset ? sql.json(a.preset as never) : null})
    on conflict (account_id, idempotency_key) where idempotency_key is not null do nothing
    returning *`;
  return row ?? null;
}

export async function findByIdempotencyKey(sql: Queryable, accountId: string, key: string): Promise<AssetRow | null> {
  const [row] = await sql<AssetRow[]>`
    select * from assets where account_id = ${accountId} and idempotency_key = ${key}`;
  return row ?? null;
}

/**
 * The source is in (with its content type, when only now known: an import's). Null when the
 * asset was deleted while its bytes were still arriving, or is no longer pending (a finish
 * observed twice: the first one counted).
 */
export async function markSourceUploaded(sql: Queryable, assetId: string, bytes: number, contentType?: string): Promise<AssetRow | null> {
  const [row] = await sql<AssetRow[]>`
    update assets set source_state = 'uploaded', source_bytes = ${bytes}, import_url = null,
                      source_content_type = coalesce(${contentType ?? null}::text, source_content_type), updated_at = now()
    where id = ${assetId} and deleted_at is null and source_state = any(${PENDING_SOURCE_STATES as SourceState[]})
    returning *`;
  return row ?? null;
}

/**
 * A pending source that will never come (an import that could not be fetched, a direct
 * upload that is not media): the asset fails with `error`. Null when it was not pending.
 */
export async function failPendingSource(sql: Queryable, assetId: string, error: AssetError): Promise<AssetRow | null> {
  const [row] = await sql<AssetRow[]>`
    update assets set source_state = 'failed', error = ${sql.json(error as never)}, import_url = null, updated_at = now()
    where id = ${assetId} and source_state = any(${PENDING_SOURCE_STATES as SourceState[]})
    returning *`;
  return row ?? null;
}

/** Moves a pending upload's deadline to `seconds` from now, never earlier; null when it is not pending. */
export async function extendUpload(sql: Queryable, assetId: string, seconds: number): Promise<AssetRow | null> {
  const [row] = await sql<AssetRow[]>`
    update assets set upload_expires_at = greatest(upload_expires_at, now() + make_interval(secs => ${seconds})), updated_at = now()
    where id = ${assetId} and source_state = 'awaiting_upload'
    returning *`;
  return row ?? null;
}

/** A streaming upload's heartbeat: an `uploading` row that stops being touched is stalled. */
export async function touchUpload(sql: Queryable, assetId: string): Promise<void> {
  await sql`update assets set updated_at = now() where id = ${assetId} and source_state = 'uploading'`;
}

/**
 * Removes an asset whose upload never completed, with the events that announced it: the
 * row must not outlive its bytes, nor an event its change.
 */
export async function deleteUploadingAsset(sql: Queryable, assetId: string): Promise<void> {
  await sql`
    with gone as (delete from assets where id = ${assetId} and source_state = 'uploading' returning id)
    delete from asset_events where asset_id in (select id from gone)`;
}

/** An account's asset by id; another account's asset is simply not found. */
export async function getAsset(sql: Queryable, accountId: string, assetId: string): Promise<AssetRow | null> {
  const [row] = await sql<AssetRow[]>`
    select * from assets where id = ${assetId} and account_id = ${accountId}`;
  return row ?? null;
}

export async function getAssetById(sql: Queryable, assetId: string): Promise<AssetRow | null> {
  const [row] = await sql<AssetRow[]>`select * from assets where id = ${assetId}`;
  return row ?? null;
}

/**
 * An asset anyone may watch through the public player: public, and not deleted. One query
 * with the policy in its condition, so an unknown id, a signed asset and a deleted one take
 * the same path and come back the same (null).
 */
export async function getPublicAsset(sql: Queryable, assetId: string): Promise<AssetRow | null> {
  const [row] = await sql<AssetRow[]>`
    select * from assets where id = ${assetId} and playback_policy = 'public' and deleted_at is null`;
  return row ?? null;
}

export interface AssetChanges {
  playbackPolicy?: PlaybackPolicy | undefined;
  title?: string | null | undefined;
  passthrough?: string | null | undefined;
}

/**
 * Applies `changes` to an account's asset that is not deleted; null when there is no such
 * asset (another account's, unknown, or deleted: the caller tells those apart if it must).
 */
export async function updateAsset(sql: Queryable, accountId: string, assetId: string, changes: AssetChanges): Promise<AssetRow | null> {
  // A field left out keeps its value; title and passthrough may be set to null.
  const [row] = await sql<AssetRow[]>`
    update assets set
      playback_policy = coalesce(${changes.playbackPolicy ?? null}::text, playback_policy),
      title = case when ${changes.title !== undefined} then ${changes.title ?? null}::text else title end,
      passthrough = case when ${changes.passthrough !== undefined} then ${changes.passthrough ?? null}::text else passthrough end,
      updated_at = now()
    where id = ${assetId} and account_id = ${accountId} and deleted_at is null
    returning *`;
  return row ?? null;
}

export interface ListAssetsQuery {
  limit: number;
  /** The last asset of the previous page. */
  afterId?: string | undefined;
  sourceState?: SourceState | undefined;
  playableState?: PlayableState | undefined;
  /** Deleted assets: left out (the default), listed with the others, or listed alone. */
  deleted?: 'exclude' | 'include' | 'only' | undefined;
}

export async function listAssets(sql: Queryable, accountId: string, q: ListAssetsQuery): Promise<AssetRow[]> {
  const deleted = q.deleted ?? 'exclude';
  return sql<AssetRow[]>`
    select * from assets
    where account_id = ${accountId}
      ${deleted === 'exclude' ? sql`and deleted_at is null` : deleted === 'only' ? sql`and deleted_at is not null` : sql``}
      ${q.sourceState ? sql`and source_state = ${q.sourceState}` : sql``}
      ${q.playableState ? sql`and playable_state = ${q.playableState}` : sql``}
      ${
        q.afterId
          ? // Compared in SQL: created_at has microseconds that a JS Date would round away.
            sql`and (created_at, id) < (select created_at, id from assets where id = ${q.afterId})`
          : sql``
      }
    order by created_at desc, id desc
    limit ${q.limit}`;
}

export async function listArtifacts(sql: Queryable, assetId: string): Promise<ArtifactRow[]> {
  return sql<ArtifactRow[]>`select * from artifacts where asset_id = ${assetId} order by path`;
}

/** The probe, as users see it (`meta`) and as the segment plan is made from it (`probe`). */
export async function setSourceMeta(sql: Queryable, assetId: string, meta: object, probe: object): Promise<void> {
  await sql`
    update assets set source_meta = ${sql.json(meta as never)}, media_probe = ${sql.json(probe as never)}, updated_at = now()
    where id = ${assetId}`;
}

/** Moves playable_state forward only: a retried job never makes an asset look less ready. */
export async function advancePlayableState(sql: Queryable, assetId: string, state: PlayableState): Promise<void> {
  await sql`
    update assets set playable_state = ${state}, updated_at = now()
    where id = ${assetId}
      and array_position(array['not_playable','opener_ready','hls_ready'], playable_state)
        < array_position(array['not_playable','opener_ready','hls_ready'], ${state}::text)`;
}

export async function setAssetError(sql: Queryable, assetId: string, error: AssetError): Promise<void> {
  await sql`update assets set error = ${sql.json(error as never)}, updated_at = now() where id = ${assetId}`;
}

/** Upserts by path, so recording the same artifacts twice leaves one set. */
export async function recordArtifacts(sql: Queryable, assetId: string, artifacts: NewArtifact[]): Promise<void> {
  if (artifacts.length === 0) return;
  const rows = artifacts.map((a) => ({ asset_id: assetId, ...a }));
  await sql`
    insert into artifacts ${sql(rows, 'asset_id', 'path', 'kind', 'key', 'content_type', 'bytes', 'rendition', 'width', 'height', 'bitrate')}
    on conflict (asset_id, path) do update set
      kind = excluded.kind, key = excluded.key, content_type = excluded.content_type,
      bytes = excluded.bytes, rendition = excluded.rendition, width = excluded.width,
      height = excluded.height, bitrate = excluded.bitrate, created_at = now()`;
}

/** Records a rendition's measured quality on its playlist's row. */
export async function setRenditionQuality(sql: Queryable, assetId: string, playlistPath: string, q: RenditionQuality): Promise<void> {
  await sql`update artifacts set quality = ${sql.json(q as never)} where asset_id = ${assetId} and path = ${playlistPath}`;
}

/** Forgets artifacts under a path prefix (e.g. 'hls/') before a retry rewrites them. */
export async function deleteArtifactsUnder(sql: Queryable, assetId: string, pathPrefix: string): Promise<void> {
  await sql`delete from artifacts where asset_id = ${assetId} and starts_with(path, ${pathPrefix})`;
}

/**
 * The upload arrived whole but is not something that can be played. Anything made from
 * its beginning (an opener from a file cut short) is forgotten with it.
 */
export async function markSourceFailed(sql: Queryable, assetId: string): Promise<void> {
  await sql`
    update assets set source_state = 'failed', playable_state = 'not_playable', updated_at = now()
    where id = ${assetId}`;
  await sql`delete from artifacts where asset_id = ${assetId}`;
}

/**
 * Marks an account's asset deleted; null when there is no such asset. Deleting again
 * changes nothing and returns the row as it is, so DELETE answers the same every time.
 */
export async function markAssetDeleted(
  sql: Queryable,
  accountId: string,
  assetId: string,
): Promise<{ asset: AssetRow; first: boolean } | null> {
  // An import that will never be fetched forgets its URL (it may carry a credential).
  const [updated] = await sql<AssetRow[]>`
    update assets set deleted_at = now(), import_url = null, updated_at = now()
    where id = ${assetId} and account_id = ${accountId} and deleted_at is null
    returning *`;
  if (updated) return { asset: updated, first: true };
  const existing = await getAsset(sql, accountId, assetId);
  return existing ? { asset: existing, first: false } : null;
}
