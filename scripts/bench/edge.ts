// npm run bench:edge — the edge against nginx serving the same files from the same disk,
// cold fills against a direct origin GET, and origin GETs for a burst of cold requests.
//
// The edge runs as its own process (`kino edge`, production settings) and nginx (Debian's
// package, installed here when missing and root) as a single foreground process: one
// process each, a fair fight. The load generator (undici, one Pool with a connection per
// concurrent client) and the embedded S3 origin run in this process. All of it shares this
// machine's cores, so the numbers compare the two servers rather than measure either alone.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, request } from 'undici';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { artifactKeyFor, OPENER_PATH, playbackUrl, segmentPath } from '@kino/artifacts';
import { startEmbeddedS3 } from '@kino/storage';
import { createPlaybackSigner, generateSigningKey, parseSigningKeys } from '@kino/tokens';
import { compare, type LoadResult } from './load.ts';
import { benchWorkDir, embeddedStorage, freePort, median, round, waitFor } from './util.ts';
import { printTable, writeBenchJson, type Row } from './report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KINO = join(ROOT, 'bin/kino.mjs');
const BUCKET = 'kino-bench';
const INTERNAL_TOKEN = 'kino-bench-internal-token';
const CONCURRENCY = [1, 16, 64];
const WARMUP_MS = 300;
// Per server and cell, in ROUNDS alternating slices.
const MEASURE_MS = Number(process.env['BENCH_SECONDS'] ?? 4.5) * 1000;
const ROUNDS = 3;
const TTFB_SAMPLES = 21;
const BURST = 100;
const ARTIFACTS = [
  { name: 'segment ~1 MB (disk tier)', path: segmentPath('720p', 5), bytes: 1024 * 1024 },
  { name: 'opener ~200 KB (RAM tier)', path: OPENER_PATH, bytes: 200 * 1024 },
];

function nginxBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error('nginx is not installed: sudo apt-get install -y nginx-light');
  console.log('[bench] installing nginx-light with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx-light'], { env, stdio: 'ignore' }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update'], { env, stdio: 'ignore' });
    if (!install()) throw new Error('apt-get install nginx-light failed');
  }
  return '/usr/sbin/nginx';
}

/** nginx as one foreground process serving `root`, tuned as one would for static files. */
async function startNginx(work: string, root: string): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const dir = join(work, 'nginx');
  await mkdir(dir, { recursive: true });
  const conf = join(dir, 'nginx.conf');
  await writeFile(
    conf,
    `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
  types { video/mp4 mp4; video/iso.segment m4s; application/vnd.apple.mpegurl m3u8; image/jpeg jpg; }
  access_log off;
  log_not_found off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  open_file_cache max=1000 inactive=60s;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / { add_header Access-Control-Allow-Origin *; }
  }
}
`,
  );
  const proc = spawn(nginxBinary(), ['-c', conf, '-p', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/favicon.ico`, 'nginx');
  return { url, proc };
}

/** Milliseconds until the first body byte of a GET. */
async function ttfb(url: string): Promise<number> {
  const t0 = performance.now();
  const { statusCode, body } = await request(url);
  let first = NaN;
  for await (const _ of body) {
    if (Number.isNaN(first)) first = performance.now() - t0;
  }
  if (statusCode !== 200) throw new Error(`${url} answered ${statusCode}`);
  return first;
}

const work = await benchWorkDir('edge');

const originGets = new Map<string, number>();
const s3 = await startEmbeddedS3({
  directory: join(work, 's3'),
  buckets: [BUCKET],
  onRequest: (req) => {
    if (req.method !== 'GET') return;
    const key = (req.url ?? '').split('?')[0]!.split('/').slice(2).join('/');
    originGets.set(key, (originGets.get(key) ?? 0) + 1);
  },
});
const storage = embeddedStorage(s3.endpoint, BUCKET);
const put = (key: string, body: Buffer) => storage.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
const signer = createPlaybackSigner(await parseSigningKeys(JSON.stringify([await generateSigningKey('bench')])), {
  audience: 'kino-playback',
  defaultTtlSeconds: 3600,
  maxTtlSeconds: 3600,
});

const edgePort = await freePort();
const edgeUrl = `http://127.0.0.1:${edgePort}`;
const cacheDir = join(work, 'edge-cache');
const edgeProc = spawn(process.execPath, [KINO, 'edge'], {
  env: {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    KINO_DATA_DIR: work,
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: BUCKET,
    EDGE_PORT: String(edgePort),
    EDGE_CACHE_DIR: cacheDir,
    INTERNAL_TOKEN,
    PLAYBACK_PUBLIC_KEYS: JSON.stringify(signer.jwks()),
    KINO_API_URL: 'http://127.0.0.1:9',
    // The cache path against nginx, which records nothing either; bench:analytics measures
    // what telemetry costs.
    TELEMETRY_ENABLED: 'false',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
let nginx: ChildProcess | undefined;

try {
  await waitFor(`${edgeUrl}/readyz`, 'the edge');
  const assetId = randomUUID();
  const { token } = await signer.sign({ assetId });
  for (const a of ARTIFACTS) await put(artifactKeyFor(assetId, a.path), randomBytes(a.bytes));
  const warm = await request(`${edgeUrl}/internal/warm`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTERNAL_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ asset_id: assetId, artifact_paths: ARTIFACTS.map((a) => a.path) }),
  });
  console.log(`[bench] warmed: ${await warm.body.text()}`);
  // nginx reads the very files the edge cached.
  const started = await startNginx(work, join(cacheDir, 'objects'));
  nginx = started.proc;

  const cores = availableParallelism();
  console.log(
    `[bench] ${cores} cores shared by the load generator, the edge (1 process) and nginx (1 worker); ` +
      `${MEASURE_MS / 1000} s per server and cell, in ${ROUNDS} alternating slices`,
  );

  const throughput: Row[] = [];
  for (const a of ARTIFACTS) {
    for (const c of CONCURRENCY) {
      const [n, e] = (await compare(
        [
          { base: started.url, path: `/${assetId}/${a.path}`, pid: started.proc.pid! },
          { base: edgeUrl, path: playbackUrl('', token, assetId, a.path), pid: edgeProc.pid! },
        ],
        { concurrency: c, bytes: a.bytes, warmupMs: WARMUP_MS, rounds: ROUNDS, sliceMs: MEASURE_MS / ROUNDS },
      )) as [LoadResult, LoadResult];
      throughput.push({
        artifact: a.name,
        concurrency: c,
        'nginx req/s': Math.round(n.rps),
        'edge req/s': Math.round(e.rps),
        'edge/nginx': round(e.rps / n.rps, 2),
        'nginx p50 ms': round(n.p50, 2),
        'edge p50 ms': round(e.p50, 2),
        'nginx p99 ms': round(n.p99, 2),
        'edge p99 ms': round(e.p99, 2),
        'nginx CPU µs/req': Math.round(n.cpuUs),
        'edge CPU µs/req': Math.round(e.cpuUs),
        'edge MB/s': Math.round(e.mbps),
        errors: n.errors + e.errors,
      });
      console.log(`[bench] ${a.name} c=${c}: nginx ${Math.round(n.rps)} req/s, edge ${Math.round(e.rps)} req/s`);
    }
  }
  printTable('HIT throughput: edge (token checked, cache HIT) vs nginx (static files)', throughput);

  // Cold fills: a fresh 1 MB object per sample, through the edge (MISS) and straight from the origin.
  const originTtfb: number[] = [];
  const edgeTtfb: number[] = [];
  for (let i = 0; i < TTFB_SAMPLES; i++) {
    const id = randomUUID();
    await put(artifactKeyFor(id, segmentPath('720p', 7)), randomBytes(1024 * 1024));
    await put(artifactKeyFor(id, segmentPath('720p', 8)), randomBytes(1024 * 1024));
    const { token: t } = await signer.sign({ assetId: id });
    const edgeFirst = i % 2 === 0;
    const measureEdge = () => ttfb(playbackUrl(edgeUrl, t, id, segmentPath('720p', 7))).then((ms) => edgeTtfb.push(ms));
    const measureOrigin = () =>
      ttfb(`${s3.endpoint}/${BUCKET}/${artifactKeyFor(id, segmentPath('720p', 8))}`).then((ms) => originTtfb.push(ms));
    if (edgeFirst) await measureEdge().then(measureOrigin);
    else await measureOrigin().then(measureEdge);
  }
  const coldOrigin = median(originTtfb);
  const coldEdge = median(edgeTtfb);
  const ttfbRows: Row[] = [
    {
      samples: TTFB_SAMPLES,
      'origin GET ttfb p50 ms': round(coldOrigin, 2),
      'edge MISS ttfb p50 ms': round(coldEdge, 2),
      'difference ms': round(coldEdge - coldOrigin, 2),
      target: '≤ origin + 10 ms',
    },
  ];
  printTable('Cold fill: time to first byte of a 1 MB object', ttfbRows);

  // A burst of cold requests for one new artifact.
  const burstId = randomUUID();
  const burstKey = artifactKeyFor(burstId, segmentPath('720p', 9));
  await put(burstKey, randomBytes(1024 * 1024));
  const { token: bt } = await signer.sign({ assetId: burstId });
  const burstPool = new Pool(edgeUrl, { connections: BURST, pipelining: 1 });
  const outcomes = await Promise.all(
    Array.from({ length: BURST }, async () => {
      const { statusCode, headers, body } = await burstPool.request({
        path: playbackUrl('', bt, burstId, segmentPath('720p', 9)),
        method: 'GET',
      });
      let n = 0;
      for await (const chunk of body) n += (chunk as Buffer).length;
      return { ok: statusCode === 200 && n === 1024 * 1024, cache: String(headers['x-kino-cache']) };
    }),
  );
  await burstPool.close();
  const count = (c: string) => outcomes.filter((o) => o.cache === c).length;
  const burstGets = originGets.get(`${BUCKET}/${burstKey}`) ?? originGets.get(burstKey) ?? 0;
  const burstRows: Row[] = [
    {
      requests: BURST,
      complete: outcomes.filter((o) => o.ok).length,
      MISS: count('MISS'),
      COALESCED: count('COALESCED'),
      HIT: count('HIT'),
      'origin GETs': burstGets,
      target: 'exactly 1',
    },
  ];
  printTable(`Coalescing: ${BURST} concurrent cold requests for one 1 MB artifact`, burstRows);

  const worst = Math.min(...throughput.map((r) => r['edge/nginx'] as number));
  const targets: Row[] = [
    {
      target: 'edge HIT req/s ≥ 0.5 × nginx (aim 0.8)',
      measured: `worst cell ${worst}×`,
      met: worst >= 0.5 ? (worst >= 0.8 ? 'yes (aim met)' : 'yes') : 'no',
    },
    {
      target: 'cold TTFB ≤ origin TTFB + 10 ms',
      measured: `${round(coldEdge - coldOrigin, 2)} ms over`,
      met: coldEdge <= coldOrigin + 10 ? 'yes' : 'no',
    },
    { target: 'exactly 1 origin GET per artifact', measured: `${burstGets} for ${BURST} requests`, met: burstGets === 1 ? 'yes' : 'no' },
  ];
  printTable('Targets', targets);
  console.log(
    `\nThe load generator shares the ${cores} cores with the edge, nginx and the origin: compare the columns, not the absolute numbers.` +
      "\nWhere both servers reach about the same req/s, the load generator is the limit; CPU µs per request then shows the servers' real cost.",
  );
  const file = await writeBenchJson('edge', {
    cores,
    seconds_per_cell: MEASURE_MS / 1000,
    throughput,
    cold_ttfb: { origin_ms: originTtfb, edge_ms: edgeTtfb, rows: ttfbRows },
    burst: burstRows,
    targets,
  });
  console.log(`[bench] wrote ${file}`);
} finally {
  nginx?.kill('SIGTERM');
  edgeProc.kill('SIGTERM');
  await new Promise((r) => edgeProc.once('exit', r));
  storage.s3.destroy();
  await s3.close();
  await rm(work, { recursive: true, force: true });
}
