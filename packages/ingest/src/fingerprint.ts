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
 * The parts of `now` that differ from the first request, named as the client sent them.
 * `storedBytes` is the first upload's size once it arrived: a retry that declares a size
 * is compared with it even when the first request declared none (a chunked upload).
 */
export function differences(first: Partial<UploadRequest>, now: UploadRequest, storedBytes: number | null): string[] {
  const named: [string, boolean][] = [
    ['content_type', first.content_type !== now.content_type],
    ['title', first.title !== now.title],
    ['passthrough', first.passthrough !== now.passthrough],
    ['playback_policy', first.playback_policy !== now.playback_policy],
  ];
  const before = first.bytes ?? storedBytes;
  const body = first.head_sha256 !== now.head_sha256 || (before != null && now.bytes != null && before !== now.bytes);
  return [...named.filter(([, differs]) => differs).map(([name]) => name), ...(body ? ['body'] : [])];
}
