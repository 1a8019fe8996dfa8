import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request, type Dispatcher } from 'undici';
import type { AssetRow, Queryable } from '@kino/db';
import { blockedCause, createGuardedAgent, type EgressPolicy } from '@kino/egress';
import { LeaseLostError } from '@kino/jobs';
import { deleteObject } from '@kino/storage';
import { queueCheckedSource, type AdmitDeps } from './admit.ts';
import { PayloadTooLargeError } from './byte-limit.ts';
import { checkImportUrl, MAX_IMPORT_URL_LENGTH, type ImportUrlProblem } from './import-url.ts';
import { readHead } from './read-head.ts';
import { MEDIA_CONTENT_TYPE, NOT_MEDIA, SNIFF_BYTES, sniff } from './sniff.ts';
import { storeStream } from './store.ts';

// The fetch of a URL import, run by the worker's import_source job: the URL's body streams
// through the SSRF guard, a byte limit and the sniff into the asset's source key, and the
// source is then admitted like any upload's. Redirects are followed here, by hand, so each
// hop is checked like the first. Nothing this writes (errors, the job's record, logs) repeats
// the URL or its host: it may be another cloud's presigned URL, credential included.

export const MAX_REDIRECTS = 5;
export const IMPORT_USER_AGENT = 'Kino-Import/0.1';

export type ImportFailureCode = 'SOURCE_UNREACHABLE' | 'SOURCE_FORBIDDEN' | 'SOURCE_TOO_LARGE' | 'NOT_MEDIA';

/** Why an import failed, in words that never repeat the URL, and whether another attempt may succeed. */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    readonly code: ImportFailureCode,
    message: string,
    /** For the job's record: the message and the low-level reason (an errno code, an HTTP status). */
    readonly detail: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface ImportDeps extends AdmitDeps {
  /** Connect, headers and between-chunks timeout (IMPORT_TIMEOUT_SECONDS). */
  timeoutMs: number;
  /** What the fetch may reach (IMPORT_ALLOW_PRIVATE). */
  egress: EgressPolicy;
}

export interface ImportOptions {
  signal: AbortSignal;
  /** Bytes stored so far, and the size the source announced (null when it did not). */
  onProgress?: ((bytes: number, total: number | null) => void) | undefined;
  /** See CheckedSource.holdLease. */
  holdLease?: ((tx: Queryable) => Promise<void>) | undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const UNUSABLE_TARGET: Record<Exclude<ImportUrlProblem, 'private'>, string> = {
  too_long: `a URL longer than ${MAX_IMPORT_URL_LENGTH} characters`,
  malformed: 'a URL that is not http(s)',
  scheme: 'a URL that is not http(s)',
  credentials: 'a URL with a user name or password',
};
/** Answers worth asking again later: a timeout, too early, too many requests, the server's trouble. */
const TRANSIENT_STATUS = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

const unreachable = (reason: string, code: string, retryable: boolean) =>
  new ImportError('SOURCE_UNREACHABLE', `The source could not be fetched: ${reason}.`, `import: ${code}: ${reason}`, retryable);

/**
 * Fetches `url` (an importing asset's) into the asset's source key and queues its
 * processing; returns the asset as it then is. Throws ImportError for what the source did
 * (the asset's error to be), and anything else (storage, the database) as it came. A
 * failure leaves nothing in storage: the multipart upload is aborted, and an object stored
 * before a later step failed is deleted.
 */
export async function importFromUrl(deps: ImportDeps, asset: AssetRow, url: string, o: ImportOptions): Promise<AssetRow> {
  const timeout = deps.timeoutMs;
  const agent = fetchAgent(deps);
  let stored = false;
  try {
    // The account's storage left bounds the fetch as the upload size limit does.
    const left = deps.storageLeft ? Math.max(0, await deps.storageLeft(asset.account_id)) : Number.POSITIVE_INFINITY;
    const maxBytes = Math.min(deps.maxBytes, left);
    const tooMuch = () => (maxBytes < deps.maxBytes ? overQuota(left) : tooLarge(deps.maxBytes));
    const res = await openSource(agent, url, deps, o.signal);
    const declared = Number(res.headers['content-length'] ?? Number.NaN);
    const total = Number.isFinite(declared) ? declared : null;
    if (total !== null && total > maxBytes) {
      abandon(res.body);
      throw tooMuch();
    }
    const body = Readable.from(
      readSource(res.body, o, total, (err) => describeFetchError(err, timeout, 0)),
      { objectMode: false },
    );
    const { head, stream } = await readHead(body, SNIFF_BYTES, (h) => {
      const first = sniff(h);
      return first.verdict === 'more' ? first.bytes : undefined;
    });
    const sniffed = sniff(head);
    if (sniffed.verdict !== 'media') {
      stream.destroy();
      body.destroy();
      throw notMedia(head.length === 0 ? 'The source is empty.' : sniffed.verdict === 'refuse' ? sniffed.message : NOT_MEDIA);
    }
    const contentType = mediaType(res.headers['content-type']);
    const bytes = await storeStream(deps.storage, asset.source_key, stream, {
      maxBytes,
      contentType,
      signal: o.signal,
    }).catch((err: unknown) => {
      throw err instanceof PayloadTooLargeError ? tooMuch() : err;
    });
    stored = true;
    return await queueCheckedSource(deps, asset, { bytes, contentType, holdLease: o.holdLease });
  } catch (err) {
    // A lost lease means another worker owns the job now, and writes the same key.
    if (stored && !(err instanceof LeaseLostError)) await deleteObject(deps.storage, asset.source_key).catch(() => {});
    throw err;
  } finally {
    await agent.destroy();
  }
}

/**
 * A job's input (the jobs API): the URL's body into a local file, through the same guard,
 * redirects, timeouts and errors as an import, cut at `maxBytes`; returns its size. No sniff:
 * the job's confined ffprobe has the say over what it is. A failure leaves a partial file in
 * the job's scratch directory, which the job removes.
 */
export async function fetchToFile(
  deps: Pick<ImportDeps, 'timeoutMs' | 'egress'>,
  url: string,
  file: string,
  o: { maxBytes: number; signal: AbortSignal },
): Promise<number> {
  const timeout = deps.timeoutMs;
  const agent = fetchAgent(deps);
  try {
    const res = await openSource(agent, url, deps, o.signal);
    const declared = Number(res.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > o.maxBytes) {
      abandon(res.body);
      throw tooLarge(o.maxBytes);
    }
    let bytes = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(bytes > o.maxBytes ? tooLarge(o.maxBytes) : null, chunk);
      },
    });
    const body = Readable.from(
      readSource(res.body, o, null, (err) => describeFetchError(err, timeout, 0)),
      { objectMode: false },
    );
    await pipeline(body, count, createWriteStream(file), { signal: o.signal });
    return bytes;
  } finally {
    await agent.destroy();
  }
}

/** One connection through the SSRF guard, every wait bounded by the import timeout. */
function fetchAgent(deps: Pick<ImportDeps, 'timeoutMs' | 'egress'>): Dispatcher {
  const timeout = deps.timeoutMs;
  return createGuardedAgent({
    ...deps.egress,
    connectTimeoutMs: timeout,
    headersTimeoutMs: timeout,
    bodyTimeoutMs: timeout,
    connections: 1,
  });
}

/** GETs the URL, following at most MAX_REDIRECTS redirects, each hop checked as the first was; returns the 2xx answer. */
async function openSource(
  agent: Dispatcher,
  start: string,
  deps: Pick<ImportDeps, 'timeoutMs' | 'egress'>,
  signal: AbortSignal,
): Promise<Dispatcher.ResponseData> {
  let target: string | URL = start;
  for (let hop = 0; ; hop++) {
    const checked = checkImportUrl(target, deps.egress);
    if (!checked.ok) {
      if (checked.problem === 'private') throw forbidden(hop);
      throw unreachable(
        hop === 0 ? 'the URL cannot be fetched' : `it redirected to ${UNUSABLE_TARGET[checked.problem]}`,
        checked.problem,
        false,
      );
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await request(checked.url, {
        dispatcher: agent,
        method: 'GET',
        // Bytes as they are: a compressed body would be stored compressed.
        headers: { 'user-agent': IMPORT_USER_AGENT, 'accept-encoding': 'identity' },
        signal,
      });
    } catch (err) {
      throw signal.aborted ? err : describeFetchError(err, deps.timeoutMs, hop);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    abandon(res.body);
    if (!REDIRECTS.has(res.statusCode)) {
      throw unreachable(`it answered HTTP ${res.statusCode}`, `HTTP ${res.statusCode}`, TRANSIENT_STATUS(res.statusCode));
    }
    if (hop === MAX_REDIRECTS) throw unreachable(`it redirected more than ${MAX_REDIRECTS} times`, `HTTP ${res.statusCode}`, false);
    const location = res.headers['location'];
    const next = typeof location === 'string' ? URL.parse(location, checked.url.href) : null;
    if (!next) throw unreachable('it redirected without a usable Location', `HTTP ${res.statusCode}`, false);
    target = next;
  }
}

/** Drops a body left unread: undici reports that as an abort, which is what it is. */
function abandon(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

/** The body's chunks, counted; a failure of the source's connection becomes its ImportError. */
async function* readSource(
  body: AsyncIterable<Buffer>,
  o: Pick<ImportOptions, 'signal' | 'onProgress'>,
  total: number | null,
  describe: (err: unknown) => ImportError,
): AsyncGenerator<Buffer> {
  let bytes = 0;
  try {
    for await (const chunk of body) {
      bytes += chunk.length;
      o.onProgress?.(bytes, total);
      yield chunk;
    }
  } catch (err) {
    throw o.signal.aborted ? err : describe(err);
  }
}

function describeFetchError(err: unknown, timeoutMs: number, hop: number): ImportError {
  if (blockedCause(err)) return forbidden(hop);
  const code = errorCode(err);
  const seconds = `${Math.round(timeoutMs / 1000)} s`;
  switch (code) {
    case 'ENOTFOUND':
      return unreachable('its host name does not resolve', code, false);
    case 'EAI_AGAIN':
      return unreachable('its host name could not be resolved for now', code, true);
    case 'ECONNREFUSED':
      return unreachable('the connection was refused', code, true);
    case 'UND_ERR_CONNECT_TIMEOUT':
      return unreachable(`connecting took longer than ${seconds}`, code, true);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return unreachable(`no answer came within ${seconds}`, code, true);
    case 'UND_ERR_BODY_TIMEOUT':
      return unreachable(`it sent nothing for ${seconds} before the end`, code, true);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return unreachable('the connection was cut', code, true);
  }
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code)) {
    return unreachable(`its TLS certificate or handshake was refused (${code})`, code, false);
  }
  return unreachable('its answer could not be read', code || 'UNKNOWN', true);
}

/** The most telling code of an error of undici's (or of the socket under it). */
function errorCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  const own = typeof e?.code === 'string' ? e.code : '';
  const cause = typeof e?.cause?.code === 'string' ? e.cause.code : '';
  return own === 'UND_ERR_SOCKET' && cause ? cause : own || cause;
}

const forbidden = (hop: number) =>
  new ImportError(
    'SOURCE_FORBIDDEN',
    `The URL ${hop === 0 ? 'leads' : 'redirects'} to a private, loopback or link-local address, which imports may not reach.`,
    `import: blocked: private address${hop === 0 ? '' : ` (after ${hop} redirect${hop === 1 ? '' : 's'})`}`,
    false,
  );

const tooLarge = (max: number) =>
  new ImportError('SOURCE_TOO_LARGE', `The source is larger than the limit of ${max} bytes.`, `import: over ${max} bytes`, false);

const overQuota = (left: number) =>
  new ImportError(
    'SOURCE_TOO_LARGE',
    `The source is larger than the ${left} bytes the account may still store (its stored_bytes quota).`,
    `import: over the account's ${left} bytes left`,
    false,
  );

const notMedia = (message: string) =>
  new ImportError(
    'NOT_MEDIA',
    message === NOT_MEDIA ? 'The source does not look like a video or audio file.' : message,
    'import: not media',
    false,
  );

/** The content type the source declared, when it names video or audio; octet-stream otherwise. */
function mediaType(header: string | string[] | undefined): string {
  const essence = String(header ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  return MEDIA_CONTENT_TYPE.test(essence) ? essence : 'application/octet-stream';
}
