import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { artifactKeyFor, playbackUrl } from '@kino/artifacts';
import { loadConfig, type Config } from '@kino/config';
import { startOriginProxy, type OriginProxy } from '@kino/edge-cache/testing';
import { createTestS3, ffmpeg, makeFixture, testClickHousePath, type TestS3 } from '@kino/testkit';
import { createPlaybackSigner, generateSigningKey, parseSigningKeys, type PlaybackSigner } from '@kino/tokens';
import { createEdge, type Edge } from '@kino/edge';

/** What createEdge takes besides its config (telemetry hooks for tests). */
type EdgeOptions = NonNullable<Parameters<typeof createEdge>[1]>;

export const AUDIENCE = 'kino-playback';
export const INTERNAL_TOKEN = 'edge-test-internal-token';

export interface EdgeHarness {
  s3: TestS3;
  /** Between the edge and s3rver: holds or breaks origin responses, records the edge's GETs. */
  proxy: OriginProxy;
  signer: PlaybackSigner;
  config: Config;
  edge: Edge;
  cacheDir: string;
  /** Object keys of the edge's origin GETs (the test's own reads go to s3rver directly). */
  originGets: string[];
  put(assetId: string, path: string, body: Buffer): Promise<void>;
  originBytes(assetId: string, path: string): Promise<Buffer>;
  /** A signed playback URL on the edge. */
  url(assetId: string, path: string): Promise<string>;
  /** Stops the edge and starts a new one on the same config and cache directory. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An edge on its own s3rver (behind a proxy), bucket, cache directory and port, trusting
 * the public half of a signing key made for the test. The edge needs no database, so this
 * loads its config directly rather than through createTestConfig.
 */
export async function startEdgeHarness(env: Record<string, string> = {}, options: EdgeOptions = {}): Promise<EdgeHarness> {
  const s3 = await createTestS3();
  const proxy = await startOriginProxy(s3.config.endpoint);
  const signer = createPlaybackSigner(await parseSigningKeys(JSON.stringify([await generateSigningKey('edge-test-1')])), {
    audience: AUDIENCE,
    defaultTtlSeconds: 600,
    maxTtlSeconds: 3600,
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'kino-edge-'));
  const cacheDir = join(dataDir, 'cache');
  const config = loadConfig({
    NODE_ENV: 'test',
    KINO_DATA_DIR: dataDir,
    S3_ENDPOINT: proxy.endpoint,
    S3_BUCKET: s3.config.bucket,
    EDGE_PORT: '0',
    EDGE_CACHE_DIR: cacheDir,
    PLAYBACK_AUDIENCE: AUDIENCE,
    PLAYBACK_PUBLIC_KEYS: JSON.stringify(signer.jwks()),
    INTERNAL_TOKEN,
    CLICKHOUSE_PATH: testClickHousePath(),
    CLICKHOUSE_DATABASE: `kino_test_${randomBytes(6).toString('hex')}`,
    // Nothing listens here: the edge must start and serve without the api (a planned segment
    // the origin lacks is then a 502; see startSegmentApi).
    KINO_API_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'error',
    ...env,
  });
  let edge = await createEdge(config, options);
  await edge.start();

  const h: EdgeHarness = {
    s3,
    proxy,
    signer,
    config,
    edge,
    cacheDir,
    originGets: proxy.gets,
    async put(assetId, path, body) {
      await s3.storage.s3.send(new PutObjectCommand({ Bucket: s3.storage.bucket, Key: artifactKeyFor(assetId, path), Body: body }));
    },
    async originBytes(assetId, path) {
      const res = await s3.storage.s3.send(new GetObjectCommand({ Bucket: s3.storage.bucket, Key: artifactKeyFor(assetId, path) }));
      return Buffer.from(await res.Body!.transformToByteArray());
    },
    async url(assetId, path) {
      const { token } = await signer.sign({ assetId });
      return playbackUrl(h.edge.url, token, assetId, path);
    },
    async restart() {
      await edge.stop();
      edge = await createEdge(config, options);
      await edge.start();
      h.edge = edge;
    },
    async close() {
      await h.edge.stop();
      await proxy.close();
      await s3.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** What the edge sent the api's `POST /internal/segments`. */
export interface SegmentAsk {
  authorization: string | undefined;
  contentType: string | undefined;
  body: { asset_id: string; path: string };
}

export interface SegmentApiReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A stand-in for the api's route that makes planned segments on demand, for an edge alone. */
export interface SegmentApi {
  url: string;
  /** Every ask, in order. */
  asked: SegmentAsk[];
  /** The asks whose edge hung up before they were answered. */
  left: SegmentAsk[];
  /** How asks carrying the internal token are answered; a refusal (404) until set. */
  answer: (ask: SegmentAsk) => Promise<SegmentApiReply>;
  close(): Promise<void>;
}

const SEGMENT_REFUSAL: SegmentApiReply = {
  status: 404,
  body: { error: { code: 'NOT_FOUND', message: 'The api knows no such segment.', request_id: 'req_segment_api' } },
};

/**
 * Pass its `url` as KINO_API_URL. It refuses every segment until told otherwise, as the
 * api does for an asset it does not know: an edge in front of it answers a missing
 * segment with a remembered 404, as for any artifact the origin lacks. Anything other than
 * the segment route (heartbeats, revocation pulls) is a 404.
 */
export async function startSegmentApi(): Promise<SegmentApi> {
  const readJson = async (req: IncomingMessage) => {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    return JSON.parse(Buffer.concat(parts).toString('utf8'));
  };
  const server = createServer((req, res) => {
    const send = (r: SegmentApiReply) =>
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers }).end(JSON.stringify(r.body));
    if (req.method !== 'POST' || req.url !== '/internal/segments') return void send(SEGMENT_REFUSAL);
    readJson(req)
      .then((body) => {
        const ask = { authorization: req.headers.authorization, contentType: req.headers['content-type'], body };
        api.asked.push(ask);
        res.once('close', () => {
          if (!res.writableFinished) api.left.push(ask);
        });
        if (ask.authorization !== `Bearer ${INTERNAL_TOKEN}`) return { status: 401, body: { error: { code: 'UNAUTHORIZED' } } };
        return api.answer(ask);
      })
      .then(send, (err: Error) => send({ status: 500, body: { error: { code: 'INTERNAL_ERROR', message: err.message } } }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const api: SegmentApi = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked: [],
    left: [],
    answer: async () => SEGMENT_REFUSAL,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return api;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A GET (or other method) through node:http, with the path sent as given. */
export function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Sends a request line exactly as written over a plain socket, so no client library can
 * normalise or re-encode the path first.
 */
export function rawRequest(base: string, target: string, method = 'GET'): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
    });
    const parts: Buffer[] = [];
    socket.on('data', (c: Buffer) => parts.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(parts).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

/** The JSON error body of a raw answer, if it has one. */
export function errorCode(text: string): string | undefined {
  const body = text.slice(text.indexOf('\r\n\r\n') + 4);
  try {
    return (JSON.parse(body) as { error: { code: string } }).error.code;
  } catch {
    return undefined;
  }
}

export async function internal(
  h: EdgeHarness,
  path: string,
  body?: unknown,
  token = INTERNAL_TOKEN,
): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(`${h.edge.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** Waits until no fill is running: a fill's last bytes reach clients before it is committed to the cache. */
export async function settled(h: EdgeHarness): Promise<void> {
  for (;;) {
    if (sample((await internal(h, '/metrics')).text, 'kino_edge_fills_in_flight') === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Uploads random bytes as the artifacts at `paths` of a new asset, and returns its id. */
export async function uploadAsset(h: EdgeHarness, sizes: Record<string, number>): Promise<string> {
  const assetId = randomUUID();
  for (const [path, size] of Object.entries(sizes)) await h.put(assetId, path, randomBytes(size));
  return assetId;
}

/** The value of one sample in the edge's Prometheus text, 0 when absent. */
export function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

export async function filesUnder(dir: string): Promise<string[]> {
  const all = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return all
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

/**
 * A real asset: an opener, a thumbnail and a two-rung CMAF HLS ladder made by ffmpeg from a
 * generated clip, uploaded under videos/{id}/. Returns the id and the artifact paths.
 */
export async function uploadHlsAsset(h: EdgeHarness): Promise<{ assetId: string; paths: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'kino-edge-hls-'));
  try {
    const source = await makeFixture('standard', join(dir, 'source.mp4'), { seconds: 3 });
    const rungs = [
      ['240p', '320:240'],
      ['120p', '160:120'],
    ] as const;
    for (const [name, size] of rungs) {
      await mkdir(join(dir, 'hls', name), { recursive: true });
      // biome-ignore format: ffmpeg options read in pairs
      await ffmpeg([
        '-i', source, '-vf', `scale=${size}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-keyint_min', '30',
        '-sc_threshold', '0', '-c:a', 'aac', '-f', 'hls', '-hls_time', '1', '-hls_playlist_type', 'vod',
        '-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init.mp4',
        '-hls_segment_filename', join(dir, 'hls', name, '%d.m4s'), join(dir, 'hls', name, 'index.m3u8'),
      ]);
    }
    await ffmpeg(['-i', source, '-frames:v', '1', join(dir, 'thumbnail.jpg')]);
    await writeFile(join(dir, 'opener.mp4'), await readFile(source));
    await writeFile(
      join(dir, 'hls', 'master.m3u8'),
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=320x240',
        '240p/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=160x120',
        '120p/index.m3u8',
        '',
      ].join('\n'),
    );
    await rm(source);
    const assetId = randomUUID();
    const paths = await filesUnder(dir);
    for (const path of paths) await h.put(assetId, path, await readFile(join(dir, path)));
    return { assetId, paths };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
