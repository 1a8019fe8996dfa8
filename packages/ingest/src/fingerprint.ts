import { createHash } from 'node:crypto';

// What an upload with an Idempotency-Key asked for, kept with its asset. A retry must ask
// for the same thing; a key reused for another upload is refused (Stripe's rule) rather
// than answered with the first asset, which would silently drop the second file. The body
// is compared by its size and a hash of its first bytes: hashing all of it would mean
// reading a whole second copy of a video only to answer with the first.

/** How much of the body the fingerprint hashes. */
export const FINGERPRINT_BYTES = 64 * 1024;

export interface UploadRequest {
  content_type: string;
  title: string | null;
  passthrough: string | null;
  playback_policy: string;
  /** The size the client declared (a raw body's Content-Length), when it did. */
  bytes: number | null;
  head_sha256: string;
}

export function describeUpload(
  o: {
    contentType: string;
    title?: string | undefined;
    passthrough?: string | undefined;
    playbackPolicy?: string | undefined;
    declaredBytes?: number | undefined;
  },
  head: Buffer,
): UploadRequest {
  return {
    content_type: o.contentType.split(';')[0]!.trim().toLowerCase(),
    title: o.title ?? null,
    passthrough: o.passthrough ?? null,
    playback_policy: o.playbackPolicy ?? 'signed',
    bytes: o.declaredBytes ?? null,
    head_sha256: createHash('sha256').update(head.subarray(0, FINGERPRINT_BYTES)).digest('hex'),
  };
}

/**
 * What a URL import with an Idempotency-Key asked for. The URL is kept as a hash: it may
 * carry a credential, and the asset keeps nothing of it once fetched.
 */
export interface ImportRequest {
  url_sha256: string;
  title: string | null;
  passthrough: string | null;
  playback_policy: string;
}

export function describeImport(o: {
  url: string;
  title?: string | undefined;
  passthrough?: string | undefined;
  playbackPolicy?: string | undefined;
}): ImportRequest {
  return {
    url_sha256: createHash('sha256').update(o.url).digest('hex'),
    title: o.title ?? null,
    passthrough: o.passthrough ?? null,
    playback_policy: o.playbackPolicy ?? 'signed',
  };
}

type AnyRequest = Partial<UploadRequest & ImportRequest>;

/**
 * The parts of `now` that differ from the first request, named as the client sent them (an
 * upload's key reused for an import differs in its url and body, and the other way round).
 * `storedBytes` is the first upload's size once it arrived: a retry that declares a size
 * is compared with it even when the first request declared none (a chunked upload).
 */
export function differences(first: AnyRequest, now: UploadRequest | ImportRequest, storedBytes: number | null): string[] {
  const again: AnyRequest = now;
  const named: [string, boolean][] = [
    ['url', first.url_sha256 !== again.url_sha256],
    ['content_type', first.content_type !== again.content_type],
    ['title', first.title !== again.title],
    ['passthrough', first.passthrough !== again.passthrough],
    ['playback_policy', first.playback_policy !== again.playback_policy],
  ];
  const before = first.bytes ?? storedBytes;
  const body = first.head_sha256 !== again.head_sha256 || (before != null && again.bytes != null && before !== again.bytes);
  return [...named.filter(([, differs]) => differs).map(([name]) => name), ...(body ? ['body'] : [])];
}
