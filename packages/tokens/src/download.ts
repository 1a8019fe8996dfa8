import { createHmac, timingSafeEqual } from 'node:crypto';

// The download URL of a job's output (the jobs API): the api streams the object itself,
// so the URL carries an HMAC of what it grants (one job, one output) and until when,
// instead of a presigned S3 URL, which would name our bucket, key and access key id.

export interface DownloadGrant {
  jobId: string;
  name: string;
  /** Unix seconds. */
  expiresAt: number;
}

const mac = (secret: string, g: DownloadGrant) =>
  createHmac('sha256', `kino-job-download:${secret}`).update(`${g.jobId}\n${g.name}\n${g.expiresAt}`).digest('base64url');

/** `{expires}.{mac}`: the token of a download URL. */
export function signDownload(secret: string, g: DownloadGrant): string {
  return `${g.expiresAt}.${mac(secret, g)}`;
}

/** Whether `token` grants this output now: `expired`, `forged` (altered, or for another output), or ok. */
export function verifyDownload(secret: string, jobId: string, name: string, token: string, now = Date.now()): 'ok' | 'expired' | 'forged' {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return 'forged';
  const expiresAt = Number(m[1]);
  const want = Buffer.from(mac(secret, { jobId, name, expiresAt }));
  const got = Buffer.from(m[2]!);
  if (!timingSafeEqual(want, got)) return 'forged';
  return expiresAt * 1000 < now ? 'expired' : 'ok';
}
