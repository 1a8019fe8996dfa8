/// <reference path="./s3rver.d.ts" />
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import type { S3Config } from '@kino/config';

export interface EmbeddedS3 {
  endpoint: string;
  close(): Promise<void>;
}

export interface EmbeddedS3Options {
  directory: string;
  buckets: string[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Sees every request first; tests count origin GETs with it. */
  onRequest?: (req: IncomingMessage) => void;
}

/**
 * Browsers upload straight to the bucket with presigned URLs (POST /v1/uploads), from
 * whatever page the developer serves: any origin may PUT (and nothing else: the dev bucket's
 * well-known credentials must not let any website read it), and a part's ETag is readable
 * by the page, which may send it back to complete the upload.
 */
const UPLOAD_CORS = `<CORSConfiguration><CORSRule>
  <AllowedOrigin>*</AllowedOrigin>
  <AllowedMethod>PUT</AllowedMethod>
  <AllowedHeader>*</AllowedHeader>
  <ExposeHeader>ETag</ExposeHeader>
  <MaxAgeSeconds>3000</MaxAgeSeconds>
</CORSRule></CORSConfiguration>`;

/**
 * s3rver on local disk: the embedded default of `npm run up` and the S3 of the tests.
 *
 * s3rver 3.7 implements neither AbortMultipartUpload nor ListMultipartUploads, and both are
 * part of our contract (a rejected upload must leave no parts behind, and tests check that
 * none did); nor ListParts, which a tus upload resumes by (@tus/s3-store) and a direct upload
 * completes by. The three are answered here from s3rver's own upload folders, and a part sent
 * to an upload that is over is refused as S3 refuses it; everything else goes to s3rver untouched.
 */
export async function startEmbeddedS3(o: EmbeddedS3Options): Promise<EmbeddedS3> {
  await mkdir(o.directory, { recursive: true });
  const s3rver = new S3rver({
    directory: o.directory,
    silent: true,
    configureBuckets: o.buckets.map((name) => ({ name, configs: [UPLOAD_CORS] })),
  });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  const uploadsDir = (bucket: string) => join(o.directory, bucket, '._S3rver_uploads');

  const server: Server = createServer((req, res) => {
    o.onRequest?.(req);
    const url = new URL(req.url ?? '/', 'http://s3');
    const [, bucket, ...keyParts] = url.pathname.split('/');
    const hasKey = keyParts.join('/') !== '';
    if (bucket && req.method === 'DELETE' && hasKey && url.searchParams.has('uploadId')) {
      abortUpload(uploadsDir(bucket), url.searchParams.get('uploadId')!, res).catch((err) => fail(res, err));
    } else if (bucket && req.method === 'GET' && hasKey && url.searchParams.has('uploadId')) {
      listParts(uploadsDir(bucket), url.searchParams.get('uploadId')!, res).catch((err) => fail(res, err));
    } else if (bucket && req.method === 'GET' && !hasKey && url.searchParams.has('uploads')) {
      listUploads(uploadsDir(bucket), bucket, url.searchParams.get('prefix') ?? '', res).catch((err) => fail(res, err));
    } else if (bucket && req.method === 'PUT' && hasKey && url.searchParams.has('uploadId')) {
      // s3rver recreates the folder of an upload that was completed or aborted and takes
      // the part; S3 refuses it, which is what makes a presigned part URL die with its upload.
      uploadExists(uploadsDir(bucket), url.searchParams.get('uploadId')!).then(
        (exists) => (exists ? handle(req as IncomingMessage, res as ServerResponse) : noSuchUpload(res)),
        (err) => fail(res, err),
      );
    } else {
      handle(req as IncomingMessage, res as ServerResponse);
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function fail(res: ServerResponse, err: unknown): void {
  res.statusCode = 500;
  res.end(String(err));
}

async function abortUpload(dir: string, uploadId: string, res: ServerResponse): Promise<void> {
  if (!/^[0-9a-f]+$/.test(uploadId)) {
    res.statusCode = 404;
    res.end();
    return;
  }
  await rm(join(dir, uploadId), { recursive: true, force: true });
  res.statusCode = 204;
  res.end();
}

/** s3rver writes an upload's `key` file when it is initiated and removes the folder when it ends. */
async function uploadExists(dir: string, uploadId: string): Promise<boolean> {
  if (!/^[0-9a-f]+$/.test(uploadId)) return false;
  return stat(join(dir, uploadId, 'key')).then(
    () => true,
    () => false,
  );
}

function noSuchUpload(res: ServerResponse): void {
  res.statusCode = 404;
  res.setHeader('content-type', 'application/xml');
  res.end(
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>',
  );
}

/** The parts s3rver has finished storing (it writes a part's `.md5` once the part is whole). */
async function listParts(dir: string, uploadId: string, res: ServerResponse): Promise<void> {
  const names = /^[0-9a-f]+$/.test(uploadId) ? await readdir(join(dir, uploadId)).catch(() => null) : null;
  if (names === null) return noSuchUpload(res);
  const numbers = names
    .filter((n) => /^\d+$/.test(n) && names.includes(`${n}.md5`))
    .map(Number)
    .sort((a, b) => a - b);
  const parts: string[] = [];
  for (const n of numbers) {
    const [md5, { size, mtime }] = await Promise.all([
      readFile(join(dir, uploadId, `${n}.md5`), 'utf8'),
      stat(join(dir, uploadId, String(n))),
    ]);
    parts.push(
      `<Part><PartNumber>${n}</PartNumber><ETag>"${md5.trim()}"</ETag><Size>${size}</Size><LastModified>${mtime.toISOString()}</LastModified></Part>`,
    );
  }
  res.setHeader('content-type', 'application/xml');
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><ListPartsResult><UploadId>${uploadId}</UploadId><IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`,
  );
}

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

async function listUploads(dir: string, bucket: string, prefix: string, res: ServerResponse): Promise<void> {
  const ids = await readdir(dir).catch(() => [] as string[]);
  const uploads: string[] = [];
  for (const id of ids) {
    const key = await readFile(join(dir, id, 'key'), 'utf8').catch(() => null);
    if (key === null || !key.startsWith(prefix)) continue;
    // The key file is written when the upload is initiated and never touched again.
    const { mtime } = await stat(join(dir, id, 'key'));
    uploads.push(`<Upload><Key>${xmlEscape(key)}</Key><UploadId>${id}</UploadId><Initiated>${mtime.toISOString()}</Initiated></Upload>`);
  }
  res.setHeader('content-type', 'application/xml');
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>${xmlEscape(bucket)}</Bucket>` +
      `<Prefix>${xmlEscape(prefix)}</Prefix><IsTruncated>false</IsTruncated>${uploads.join('')}</ListMultipartUploadsResult>`,
  );
}

/** The client settings of an embedded s3rver: its fixed credentials, path-style addressing. */
export function embeddedS3Config(endpoint: string, bucket: string): S3Config & { endpoint: string } {
  return { endpoint, region: 'us-east-1', bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, embeddedPort: 0 };
}
