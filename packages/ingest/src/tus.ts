import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assetIdOfSourceKey, sourceKeyFor } from '@kino/artifacts';
import type { S3Config } from '@kino/config';
import { extendUpload, getAsset, type AssetRow } from '@kino/db';
import { ApiError } from '@kino/http';
import { s3ClientConfig } from '@kino/storage';
import { type MetadataValue, S3Store } from '@tus/s3-store';
import { Server } from '@tus/server';
import { HEADERS, type KvStore, TUS_RESUMABLE } from '@tus/utils';
import { NodeRequest } from 'srvx/node';
import type { UploadQuota } from '@kino/tenancy';
import { type AdmitDeps, admitStoredSource, insertAnnouncedAsset, rejectSource } from './admit.ts';
import { UPLOAD_EXPIRED_ERROR, uploadExpired, uploadExpiredRefusal } from './sweep.ts';
import { tusRefusal } from './tus-errors.ts';
import { readTusMetadata, type TusUploadFields } from './tus-metadata.ts';

// The tus 1.0 door (creation, creation-with-upload, termination, expiration) on
// @tus/server and @tus/s3-store. A tus upload is an asset from its creation on
// (`awaiting_upload`), its id the asset's, its bytes a multipart upload at the asset's source
// key; the store's own objects (`{key}.info`, `{key}.part`) sit beside it under the asset's
// source prefix, where every cleanup already looks. When the last byte is in, the stored
// source is admitted like any other door's (admit.ts), in the request that brought it.

export interface TusDoorDeps extends AdmitDeps {
  /** The bucket's client settings: the store makes its own client from them. */
  s3: S3Config & { endpoint: string };
  /** Where the door is mounted: upload URLs are `{path}/{asset id}`. */
  path: string;
  expirySeconds: number;
}

export interface TusCall {
  /** The caller's account; none for OPTIONS, which says what the server offers. */
  accountId?: string;
  /** The upload a HEAD, PATCH or DELETE is for (its asset's id). */
  assetId?: string;
  /** The account's quotas, checked when a POST creates an upload. */
  quota?: UploadQuota | undefined;
}

/** What to answer: status, headers and body, or `error` instead (with the same headers). */
export interface TusAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  error?: unknown;
}

/** Headers a browser may read from the door's answers. */
export const TUS_EXPOSED_HEADERS = [...HEADERS, 'Upload-Expires', 'Kino-Asset-Id', 'X-Request-Id', 'Retry-After'];

/** S3 parts of 8 MiB, as a streamed upload's: a part is staged on disk, never in memory. */
const PART_BYTES = 8 * 1024 * 1024;
/** Parts uploading at once in this process, which also bounds the disk they are staged on. */
const PARTS_AT_ONCE = 8;

export const UPLOAD_CANCELLED_ERROR = {
  code: 'UPLOAD_CANCELLED',
  message: 'The upload was terminated by its client before it finished.',
} as const;

// The store's default cache is a process-local map that keeps every unfinished upload's
// metadata forever (a client can make the api hold any number of them) and goes stale when
// another api process changes the upload. Reading the small `.info` object each time costs
// one GET.
const NO_CACHE: KvStore<MetadataValue> = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
};

interface CallState extends TusCall {
  asset?: AssetRow | undefined;
  fields?: TusUploadFields;
  /** Set when the last byte is stored: from then on the upload no longer expires. */
  finished?: boolean;
  error?: unknown;
}

function expired(asset: AssetRow): boolean {
  if (asset.source_state === 'failed') return asset.error?.code === UPLOAD_EXPIRED_ERROR.code;
  return asset.source_state === 'awaiting_upload' && uploadExpired(asset);
}

/** Why an account's asset has no tus upload to act on, or nothing when it has one. */
function unavailable(asset: AssetRow | null, method: string): ApiError | undefined {
  if (!asset || asset.deleted_at) return new ApiError(404, 'NOT_FOUND', 'Upload not found.');
  if (expired(asset)) return uploadExpiredRefusal();
  // A finished upload still answers HEAD (its offset is its length), so a client that missed
  // the last answer learns it is done.
  if (asset.source_state === 'awaiting_upload' || (method === 'HEAD' && asset.source_state === 'uploaded')) return undefined;
  const why = asset.error ? `: ${asset.error.message}` : '.';
  return new ApiError(404, 'NOT_FOUND', `This asset has no upload in progress${why}`);
}

/** The store, able to let go of the S3 client it made for itself. */
class SourceStore extends S3Store {
  destroy(): void {
    this.client.destroy();
  }
}

export interface TusDoor {
  handle(req: IncomingMessage, res: ServerResponse, call: TusCall): Promise<TusAnswer>;
  /** Waits for the requests in hand (their parts are being stored), then lets go of S3. */
  close(): Promise<void>;
}

export function createTusDoor(deps: TusDoorDeps): TusDoor {
  const store = new SourceStore({
    partSize: PART_BYTES,
    maxConcurrentPartUploads: PARTS_AT_ONCE,
    cache: NO_CACHE,
    s3ClientConfig: { bucket: deps.s3.bucket, ...s3ClientConfig(deps.s3) },
  });
  // The size must be known from the start: it is what the upload limit is checked against.
  store.extensions = store.extensions.filter((e) => e !== 'creation-defer-length');

  const calls = new WeakMap<Request, CallState>();
  const stateOf = (req: Request) => calls.get(req)!;

  const server = new Server({
    path: deps.path,
    datastore: store,
    maxSize: deps.maxBytes,
    exposedHeaders: TUS_EXPOSED_HEADERS.slice(HEADERS.length),
    namingFunction: (req, metadata) => {
      stateOf(req).fields = readTusMetadata(metadata);
      return sourceKeyFor(randomUUID());
    },
    // Relative, so it holds behind any host or proxy: clients resolve it against the endpoint.
    generateUrl: (_req, { path, id }) => `${path}/${assetIdOfSourceKey(id)}`,
    // The id the route matched and the account check read, never the library's own reading
    // of the raw URL: the two must not be able to differ.
    getFileIdFromRequest: (req) => {
      const { assetId } = stateOf(req);
      return assetId ? sourceKeyFor(assetId) : undefined;
    },
    onUploadCreate: async (req, upload) => {
      const state = stateOf(req);
      const id = assetIdOfSourceKey(upload.id)!;
      const fields = state.fields!;
      state.asset = await deps.sql.begin(async (tx) => {
        const inserted = await insertAnnouncedAsset(
          tx,
          {
            id,
            accountId: state.accountId!,
            title: fields.title,
            passthrough: fields.passthrough,
            playbackPolicy: fields.playbackPolicy,
            contentType: fields.contentType,
            state: 'awaiting_upload',
            uploadExpiresAt: new Date(Date.now() + deps.expirySeconds * 1000),
            // Counted against the account's stored bytes while the upload is in progress.
            declaredBytes: upload.size,
          },
          state.quota && { ...state.quota, bytes: upload.size },
        );
        return inserted!.asset;
      });
      deps.onEvents?.(state.accountId!);
      return {};
    },
    onUploadFinish: async (req) => {
      const state = stateOf(req);
      state.finished = true;
      state.asset = await admitStoredSource(deps, state.asset!);
      return {};
    },
    onResponseError: (req, err) => {
      stateOf(req).error = err;
      return undefined;
    },
  });

  async function run(req: IncomingMessage, res: ServerResponse, state: CallState): Promise<TusAnswer> {
    const method = req.method ?? '';
    if (method !== 'OPTIONS' && req.headers['tus-resumable'] !== TUS_RESUMABLE) {
      return {
        status: 412,
        headers: { 'Tus-Resumable': TUS_RESUMABLE, 'Tus-Version': TUS_RESUMABLE },
        body: '',
        error: new ApiError(412, 'TUS_VERSION_UNSUPPORTED', `Send Tus-Resumable: ${TUS_RESUMABLE}, the tus version this server speaks.`),
      };
    }
    if (state.assetId) {
      state.asset = (await getAsset(deps.sql, state.accountId!, state.assetId)) ?? undefined;
      const refusal = unavailable(state.asset ?? null, method);
      if (refusal) return { status: refusal.status, headers: { 'Tus-Resumable': TUS_RESUMABLE }, body: '', error: refusal };
    }

    const web = new NodeRequest({ req, res });
    calls.set(web, state);
    const response = await server.handleWeb(web);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'content-type') headers[name] = value;
    });
    const answer: TusAnswer = { status: response.status, headers, body: await response.text() };

    try {
      if (response.ok && method === 'DELETE') state.asset = await rejectSource(deps, state.asset!, UPLOAD_CANCELLED_ERROR);
      // An upload that makes progress stays alive: a large file on a slow line must not expire
      // mid-transfer. What it may store is bounded by its Upload-Length all the same.
      if (response.ok && method === 'PATCH' && !state.finished) {
        state.asset = (await extendUpload(deps.sql, state.asset!.id, deps.expirySeconds)) ?? state.asset;
      }
      // A HEAD that finds every byte stored admits the upload if its last PATCH could not
      // (the api stopped in between): admission counts once however often it is asked.
      if (response.ok && method === 'HEAD' && headers['upload-offset'] === headers['upload-length']) {
        state.finished = true;
        state.asset = await admitStoredSource(deps, state.asset!);
      }
    } catch (err) {
      state.error = err;
      answer.status = err instanceof ApiError ? err.status : 500;
    }

    const asset = state.asset;
    if (asset) headers['kino-asset-id'] = asset.id;
    if (response.ok && asset?.upload_expires_at && asset.source_state === 'awaiting_upload' && !state.finished && method !== 'DELETE') {
      headers['upload-expires'] = asset.upload_expires_at.toUTCString();
    }
    if (answer.status >= 400) answer.error = tusRefusal(state.error, answer, deps.maxBytes);
    return answer;
  }

  const inFlight = new Set<Promise<unknown>>();
  return {
    handle(req, res, call) {
      const answer = run(req, res, { ...call });
      inFlight.add(answer);
      void answer.finally(() => inFlight.delete(answer)).catch(() => {});
      return answer;
    },
    async close() {
      await Promise.allSettled([...inFlight]);
      store.destroy();
    },
  };
}
