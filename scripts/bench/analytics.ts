// npm run bench:analytics — what playback telemetry costs and what its queries cost:
//
// 1. Edge HIT req/s with telemetry on versus off: `kino edge` processes (production
//    settings) on the same warmed artifacts, measured in alternating slices by the load
//    generator of bench:edge. The telemetry-on edge writes to embedded ClickHouse (chdb, in
//    the edge process, as `npm run up` runs it); its rows are counted afterwards. A third
//    edge sends its telemetry to a ClickHouse "elsewhere" (an HTTP sink in this process that
//    accepts and counts inserts): the edge's own share of the cost, without the engine's.
// 2. Sustained ingest into embedded ClickHouse through the edge's path: TelemetryEmitter and
//    the real writer (JSONCompactEachRow batches encoded at record time, deduplication tokens, the hourly materialized view).
// 3. The analytics queries over 10 million synthetic requests (30 days, 1,000 assets, two
//    accounts), generated inside ClickHouse with INSERT … SELECT FROM numbers().
//
// Everything lives in a fresh temp directory (S3, edge caches, the chdb data directory) and
// is removed at the end, its database dropped first. Targets are reported, never asserted.
// The phases share one database, and each starts by emptying the tables.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  artifactKeyFor,
  HLS_FILES,
  HLS_PREFIX,
  initPath,
  MASTER_PATH,
  OPENER_PATH,
  playbackUrl,
  playlistPath,
  segmentPath,
  THUMBNAIL_PATH,
} from '@kino/artifacts';
import {
  accountPlayback,
  assetPlayback,
  chTime,
  clickHouseWriter,
  encodePlaybackRequest,
  migrateClickHouse,
  openClickHouse,
  parseWindow,
  TelemetryEmitter,
  type ClickHouseHandle,
  type PlaybackRequestRow,
} from '@kino/analytics';
import { startEmbeddedS3 } from '@kino/storage';
import { createPlaybackSigner, generateSigningKey, parseSigningKeys } from '@kino/tokens';
import { compare, slice, type LoadResult, type Target } from './load.ts';
import { printTable, writeBenchJson, type Row } from './report.ts';
import { embeddedStorage, freePort, median, percentile, round, sleep, waitFor } from './util.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KINO = join(ROOT, 'bin/kino.mjs');
const BUCKET = 'kino-bench';
const INTERNAL_TOKEN = 'kino-bench-internal-token';
// This bench's database, in its own chdb directory; dropped at the end.
const DB = 'kino_bench_analytics';
const HOUR = 3_600_000;
const DAY = 86_400_000;

// 1. Telemetry on/off: per edge and cell, ROUNDS slices of SLICE_MS, alternating.
const EDGE_CELLS = [
  { name: 'playlist ~1 KB (RAM tier)', path: playlistPath('720p'), bytes: 1024, concurrency: 16 },
  { name: 'segment ~1 MB (disk tier)', path: segmentPath('720p', 5), bytes: 1024 * 1024, concurrency: 16 },
];
const ROUNDS = 5;
const SLICE_MS = (Number(process.env['BENCH_SECONDS'] ?? 7.5) * 1000) / ROUNDS;
const WARMUP_MS = 300;
// Longer than the emitter's flush interval (TELEMETRY_FLUSH_MS, 1 s): an edge's last batch
// of a slice is written before the next slice, not during another edge's. (The rows of the
// unmeasured warm-up are written inside the slice, which about evens it out.)
const SETTLE_MS = 1200;
const ON_OFF_TARGET = 0.97;

// 2. Ingest through the emitter.
const INGEST_ROWS = Number(process.env['BENCH_INGEST_ROWS'] ?? 1_000_000);
const BATCH_ROWS = 5000; // TELEMETRY_BATCH_ROWS default
const MAX_QUEUED_ROWS = 200_000; // TELEMETRY_MAX_QUEUED_ROWS default

// 3. Queries.
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 10_000_000);
const CHUNK = 2_500_000;
const ASSETS = 1000;
const DAYS = 30;
const RUNS = 20;
const WARM_RUNS = 2;
const ASSET_TARGET_MS = 50;
const ACCOUNT_TARGET_MS = 300;

const cores = availableParallelism();
const work = await mkdtemp(join(tmpdir(), 'kino-bench-analytics-'));
const chPath = join(work, 'clickhouse');
console.log(`[bench] ${cores} cores; working in ${work}`);

const s3 = await startEmbeddedS3({ directory: join(work, 's3'), buckets: [BUCKET] });
const storage = embeddedStorage(s3.endpoint, BUCKET);
const signer = createPlaybackSigner(await parseSigningKeys(JSON.stringify([await generateSigningKey('bench')])), {
  audience: 'kino-playback',
  defaultTtlSeconds: 3600,
  maxTtlSeconds: 3600,
});

interface EdgeProc {
  name: string;
  url: string;
  proc: ChildProcess;
  exited: Promise<unknown>;
}
const edges: EdgeProc[] = [];

/**
 * A stand-in for a ClickHouse server on other hosts: answers every request with an empty
 * 200 (so migrations and queries see empty results) and counts the rows inserted into
 * playback_requests (JSONCompactEachRow: one line each).
 */
async function startSink(): Promise<{ url: string; rows: () => number; close(): Promise<void> }> {
  let rows = 0;
  const server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://sink').searchParams.get('query') ?? '';
    const counted = query.startsWith('INSERT INTO playback_requests');
    req.on('data', (chunk: Buffer) => {
      if (!counted) return;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
    });
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end());
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    rows: () => rows,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** `kino edge` as its own process, as bench:edge starts it: telemetry off, into chdb, or to a server. */
async function startEdge(name: string, telemetry: false | 'embedded' | string): Promise<EdgeProc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, [KINO, 'edge'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      KINO_DATA_DIR: join(work, name),
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: BUCKET,
      EDGE_PORT: String(port),
      EDGE_CACHE_DIR: join(work, name, 'edge-cache'),
      EDGE_ID: `bench-${name}`,
      EDGE_REGION: 'bench',
      INTERNAL_TOKEN,
      PLAYBACK_PUBLIC_KEYS: JSON.stringify(signer.jwks()),
      KINO_API_URL: 'http://127.0.0.1:9',
      TELEMETRY_ENABLED: String(telemetry !== false),
      TELEMETRY_SPOOL_DIR: join(work, name, 'spool'),
      CLICKHOUSE_URL: telemetry === false || telemetry === 'embedded' ? '' : telemetry,
      CLICKHOUSE_PATH: chPath,
      CLICKHOUSE_DATABASE: DB,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const edge = { name, url, proc, exited: new Promise((r) => proc.once('exit', r)) };
  edges.push(edge);
  await waitFor(`${url}/readyz`, `the ${name} edge`);
  return edge;
}

async function stopEdge(e: EdgeProc): Promise<void> {
  if (e.proc.exitCode === null && e.proc.signalCode === null) e.proc.kill('SIGTERM');
  await e.exited;
}

const internal = (e: EdgeProc, path: string, body?: unknown) =>
  request(`${e.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${INTERNAL_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** The edge's telemetry gauges and counters from /metrics. */
async function telemetryMetrics(e: EdgeProc): Promise<Record<string, number>> {
  const text = await (await internal(e, '/metrics')).body.text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^kino_edge_telemetry_(\w+?)(?:\{reason="(\w+)"\})? (\S+)$/.exec(line);
    if (m) out[m[2] ? `${m[1]}_${m[2]}` : m[1]!] = Number(m[3]);
  }
  return out;
}

/** Runs `fn` WARM_RUNS times unmeasured, then RUNS times: milliseconds, median and p95. */
async function timeQuery<T>(fn: () => Promise<T>): Promise<{ median: number; p95: number; samples: number[]; result: T }> {
  let result!: T;
  for (let i = 0; i < WARM_RUNS; i++) result = await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = await fn();
    samples.push(performance.now() - t0);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: median(samples), p95: percentile(sorted, 0.95), samples, result };
}

async function select<T>(h: ClickHouseHandle, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  return (await h.client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
}

/** Empties the telemetry tables (the rollup too; the materialized view stays). */
async function truncate(h: ClickHouseHandle): Promise<void> {
  await migrateClickHouse(h.client, { retentionDays: 400 });
  for (const table of ['playback_requests', 'playback_hourly']) await h.client.command({ query: `TRUNCATE TABLE ${table}` });
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

const handles: ClickHouseHandle[] = [];
let emitter: TelemetryEmitter | undefined;
let sink: Awaited<ReturnType<typeof startSink>> | undefined;
let exitCode = 0;
const results: Record<string, unknown> = { cores };

try {
  // ── 1. Edge HIT throughput, telemetry on vs off ─────────────────────────────────────────
  const account = randomUUID();
  const assetId = randomUUID();
  const { token } = await signer.sign({ assetId, accountId: account });
  for (const c of EDGE_CELLS) {
    await storage.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: artifactKeyFor(assetId, c.path), Body: randomBytes(c.bytes) }));
  }
  sink = await startSink();
  const on = await startEdge('on', 'embedded');
  const remote = await startEdge('remote', sink.url);
  const off = await startEdge('off', false);
  const all = [on, remote, off];
  for (const e of all) {
    const warm = await internal(e, '/internal/warm', { asset_id: assetId, artifact_paths: EDGE_CELLS.map((c) => c.path) });
    console.log(`[bench] ${e.name} edge warmed: ${await warm.body.text()}`);
  }
  // Telemetry edges connect to ClickHouse and apply the schema in the background.
  for (const e of [on, remote]) {
    for (let i = 0; i < 300 && (await telemetryMetrics(e))['connected'] !== 1; i++) await sleep(100);
    if ((await telemetryMetrics(e))['connected'] !== 1) throw new Error(`the ${e.name} edge never connected to ClickHouse`);
  }
  console.log(
    `[bench] ${cores} cores shared by the load generator and three edges (one process each; only the one under load is busy, ` +
      `and the on edge has chdb in it); ${ROUNDS} alternating slices of ${SLICE_MS / 1000} s per edge and cell, ${SETTLE_MS / 1000} s apart`,
  );

  const responses = new Map<EdgeProc, number>(all.map((e) => [e, 0]));
  const onOff: Row[] = [];
  const onOffRaw: Record<string, Record<string, LoadResult>> = {};
  for (const c of EDGE_CELLS) {
    const path = playbackUrl('', token, assetId, c.path);
    const targets: Target[] = all.map((e) => ({ base: e.url, path, pid: e.proc.pid! }));
    const load = { concurrency: c.concurrency, bytes: c.bytes, warmupMs: WARMUP_MS };
    // One unmeasured slice each first: the JIT, the page cache and the first batches settle.
    for (const [i, e] of all.entries()) {
      responses.set(e, responses.get(e)! + (await slice(targets[i]!, { ...load, ms: 1000 })).responses);
    }
    await sleep(SETTLE_MS);
    const measured = await compare(targets, { ...load, rounds: ROUNDS, sliceMs: SLICE_MS, settleMs: SETTLE_MS });
    for (const [i, e] of all.entries()) responses.set(e, responses.get(e)! + measured[i]!.responses);
    const [rOn, rRemote, rOff] = measured as [LoadResult, LoadResult, LoadResult];
    onOffRaw[c.name] = { on: rOn, remote: rRemote, off: rOff };
    const [mOn, mRemote, mOff] = [median(rOn.sliceRps), median(rRemote.sliceRps), median(rOff.sliceRps)];
    const slices = (r: LoadResult) => r.sliceRps.map((x) => Math.round(x)).join(' ');
    onOff.push({
      artifact: c.name,
      concurrency: c.concurrency,
      'off req/s': Math.round(mOff),
      'on req/s': Math.round(mOn),
      'on/off': round(mOn / mOff, 3),
      target: `≥ ${ON_OFF_TARGET}`,
      result: met(mOn / mOff >= ON_OFF_TARGET),
      'server-layout req/s': Math.round(mRemote),
      'server-layout/off': round(mRemote / mOff, 3),
      'off CPU µs/req': Math.round(rOff.cpuUs),
      'on CPU µs/req': Math.round(rOn.cpuUs),
      'server-layout CPU µs/req': Math.round(rRemote.cpuUs),
      'off p99 ms': round(rOff.p99, 2),
      'on p99 ms': round(rOn.p99, 2),
      'slices off / on / server-layout': `${slices(rOff)} / ${slices(rOn)} / ${slices(rRemote)}`,
      errors: rOn.errors + rRemote.errors + rOff.errors,
    });
    console.log(
      `[bench] ${c.name}: off ${Math.round(mOff)} req/s, on ${Math.round(mOn)} req/s (${round(mOn / mOff, 3)}), ` +
        `server layout ${Math.round(mRemote)} req/s (${round(mRemote / mOff, 3)})`,
    );
  }
  printTable(
    'Edge HIT throughput, telemetry on (embedded chdb in the edge) vs off; medians of the slices. ' +
      '"server-layout": telemetry on, ClickHouse elsewhere (an HTTP sink). CPU µs/req counts every thread of the edge, chdb\'s included',
    onOff,
  );

  const metricsOn = await telemetryMetrics(on);
  const metricsRemote = await telemetryMetrics(remote);
  await Promise.all(all.map(stopEdge)); // telemetry edges flush what they still hold
  const ch = await openClickHouse({ path: chPath, database: DB });
  handles.push(ch);
  const [stored] = await select<{ rows: number; hits: number }>(
    ch,
    `
    SELECT count() AS rows, countIf(cache_status = 'HIT' AND status_code = 200 AND account_id = {account:String}) AS hits FROM playback_requests`,
    { account },
  );
  const dropped = (m: Record<string, number>) => `${m['dropped_rows_total_queue_full'] ?? 0} / ${m['dropped_rows_total_spool_full'] ?? 0}`;
  const rowsCheck: Row[] = [
    {
      edge: 'on (embedded chdb)',
      'responses sent': responses.get(on)!,
      'rows stored': stored!.rows,
      'of them HIT 200 of the account': stored!.hits,
      'written (/metrics before stop)': metricsOn['written_rows_total'] ?? null,
      'dropped queue / spool': dropped(metricsOn),
      'write failures': metricsOn['write_failures_total'] ?? null,
      result: stored!.rows === responses.get(on) ? 'every request recorded' : 'MISMATCH',
    },
    {
      edge: 'server layout (HTTP sink)',
      'responses sent': responses.get(remote)!,
      'rows stored': sink.rows(),
      'of them HIT 200 of the account': null,
      'written (/metrics before stop)': metricsRemote['written_rows_total'] ?? null,
      'dropped queue / spool': dropped(metricsRemote),
      'write failures': metricsRemote['write_failures_total'] ?? null,
      result: sink.rows() === responses.get(remote) ? 'every request recorded' : 'MISMATCH',
    },
  ];
  printTable('Telemetry rows: one per response', rowsCheck);
  if (stored!.rows === 0) throw new Error('the telemetry-on edge wrote nothing to ClickHouse');
  results['edge'] = {
    rounds: ROUNDS,
    slice_seconds: SLICE_MS / 1000,
    settle_seconds: SETTLE_MS / 1000,
    rows: onOff,
    raw: onOffRaw,
    stored: rowsCheck,
  };

  // ── 2. Sustained ingest through the emitter and the real writer ─────────────────────────
  await truncate(ch);
  emitter = new TelemetryEmitter({
    writer: clickHouseWriter(() => ch.client),
    spoolDir: join(work, 'ingest-spool'),
    spoolBytes: 512 * 1024 * 1024,
    batchRows: BATCH_ROWS,
    flushMs: 1000,
    maxQueuedRows: MAX_QUEUED_ROWS,
    replayMs: 5000,
  });
  await emitter.start();
  const assetIds = Array.from({ length: 200 }, () => randomUUID());
  const ingestAccounts = [randomUUID(), randomUUID()];
  const regions = ['eu-west', 'us-east', 'us-west', 'ap-south'];
  const renditions = ['1080p', '720p', '480p', '360p'];
  // What an edge records for a HIT of a segment, mostly; some playlists, misses and refusals.
  const row = (i: number): PlaybackRequestRow => {
    const r = i % 100;
    const rendition = renditions[i % 4]!;
    const refused = r === 99;
    const kind = r < 85 ? 'segment' : r < 93 ? 'playlist' : r < 96 ? 'init' : 'opener';
    const path =
      kind === 'segment'
        ? segmentPath(rendition, i % 600)
        : kind === 'playlist'
          ? playlistPath(rendition)
          : kind === 'init'
            ? initPath(rendition)
            : OPENER_PATH;
    return {
      event_id: randomUUID(),
      observed_at: Date.now(),
      account_id: ingestAccounts[i % 7 === 3 ? 1 : 0]!,
      asset_id: assetIds[(i * 7919) % assetIds.length]!,
      artifact_path: path,
      artifact_kind: kind,
      rendition: kind === 'opener' ? '' : rendition,
      edge_id: `edge-${regions[i % 4]}-1`,
      region: regions[i % 4]!,
      cache_status: refused ? 'NONE' : r < 93 ? 'HIT' : r < 98 ? 'MISS' : 'COALESCED',
      status_code: refused ? 403 : 200,
      bytes_served: refused ? 0 : kind === 'segment' ? 400_000 + (i % 800_000) : kind === 'opener' ? 200_000 : 1500,
      duration_ms: r < 93 ? i % 4 : 20 + (i % 150),
      error_code: refused ? 'TOKEN_WRONG_ASSET' : '',
    };
  };
  let produced = 0;
  let producerMs = 0;
  let waits = 0;
  const t0 = performance.now();
  while (produced < INGEST_ROWS) {
    // A producer that never overruns the queue: it waits, as the edge's traffic would not.
    if (emitter.stats().queuedRows > MAX_QUEUED_ROWS - BATCH_ROWS) {
      waits++;
      await sleep(2);
      continue;
    }
    const p0 = performance.now();
    const n = Math.min(BATCH_ROWS, INGEST_ROWS - produced);
    for (let i = 0; i < n; i++) emitter.record('playback_requests', encodePlaybackRequest(row(produced + i)));
    produced += n;
    producerMs += performance.now() - p0;
    await new Promise((r) => setImmediate(r));
  }
  await emitter.flush();
  const ingestSeconds = (performance.now() - t0) / 1000;
  const stats = emitter.stats();
  await emitter.stop();
  emitter = undefined;
  const [ingested] = await select<{ rows: number; rollup: number }>(
    ch,
    `
    SELECT (SELECT count() FROM playback_requests) AS rows,
           (SELECT sum(requests) FROM playback_hourly WHERE dim = 'total') AS rollup`,
  );
  const ingestRows: Row[] = [
    {
      rows: INGEST_ROWS,
      'batch rows': BATCH_ROWS,
      seconds: round(ingestSeconds, 2),
      'events/s': Math.round(INGEST_ROWS / ingestSeconds),
      'producer share': `${Math.round((producerMs / 1000 / ingestSeconds) * 100)}%`,
      'written rows': stats.writtenRows,
      'rows in table': ingested!.rows,
      'rollup total': ingested!.rollup,
      dropped: stats.droppedRows.queue + stats.droppedRows.spool,
      'write failures': stats.writeFailures,
      spooled: stats.spooledBatches,
    },
  ];
  printTable(
    'Sustained ingest into embedded ClickHouse: TelemetryEmitter → clickHouseWriter (JSONCompactEachRow, dedup token, hourly MV)',
    ingestRows,
  );
  console.log(
    `The producer (rows built and encoded as the edge does, then record()) took ${Math.round(producerMs)} ms of it; ` +
      `it waited ${waits} times for the bounded queue (${fmt(MAX_QUEUED_ROWS)} rows).`,
  );
  results['ingest'] = { rows: ingestRows, producer_ms: producerMs, queue_waits: waits };

  // ── 3. The analytics queries over 10 million synthetic events ───────────────────────────
  await truncate(ch);
  const main = randomUUID();
  const other = randomUUID();
  const start = Math.floor((Date.now() - DAYS * DAY) / DAY) * DAY;
  const span = DAYS * DAY;
  // Deterministic per event number: time uniform over the 30 days; asset i with weight
  // falling off as 1/sqrt (the busiest ~3% of all requests); every 7th asset (by number)
  // belongs to the other account (~14% of the requests). Kinds, renditions, regions, edges,
  // cache statuses and status codes in plausible shares, refusals and failures included.
  const insert = (offset: number, n: number) => `
    INSERT INTO playback_requests
      (event_id, observed_at, account_id, asset_id, artifact_path, artifact_kind, rendition, edge_id, region,
       cache_status, status_code, bytes_served, duration_ms, error_code)
    SELECT
      generateUUIDv4(number),
      fromUnixTimestamp64Milli(toInt64({start:Int64} + h1 % {span:UInt64}), 'UTC'),
      if(asset % 7 = 3, {other:String}, {main:String}),
      UUIDNumToString(MD5(concat('kino-bench-asset-', toString(asset)))),
      multiIf(kind = 'segment', concat('${HLS_PREFIX}', rend, '/', toString(intDiv(h3, 1000) % 600), '${HLS_FILES.segmentExtension}'),
              kind = 'init', concat('${HLS_PREFIX}', rend, '/${HLS_FILES.init}'),
              kind = 'playlist', if(rend = '', '${MASTER_PATH}', concat('${HLS_PREFIX}', rend, '/${HLS_FILES.playlist}')),
              kind = 'opener', '${OPENER_PATH}', '${THUMBNAIL_PATH}'),
      kind,
      rend,
      concat('edge-', reg, '-', toString(intDiv(h4, 10) % 2 + 1)),
      reg,
      multiIf(o < 920, 'HIT', o < 970, 'MISS', o < 980, 'COALESCED', 'NONE'),
      status,
      multiIf(status = 206, 65536 + intDiv(h5, 1000) % 500000,
              status != 200, 0,
              kind = 'segment', 300000 + intDiv(h5, 1000) % 1200000,
              kind = 'opener', 150000 + intDiv(h5, 1000) % 100000,
              kind = 'thumbnail', 20000 + intDiv(h5, 1000) % 30000,
              kind = 'init', 800 + intDiv(h5, 1000) % 400,
              200 + intDiv(h5, 1000) % 2000),
      if(o < 920, intDiv(h5, 1000) % 5, 15 + intDiv(h5, 1000) % 300),
      multiIf(status = 403, 'TOKEN_WRONG_ASSET', status = 401, 'TOKEN_EXPIRED', status = 404, 'ARTIFACT_NOT_FOUND', status = 502, 'ORIGIN_UNAVAILABLE', '')
    FROM (
      SELECT number,
        cityHash64(number, 1) AS h1, cityHash64(number, 2) AS h2, cityHash64(number, 3) AS h3,
        cityHash64(number, 4) AS h4, cityHash64(number, 5) AS h5,
        toUInt32(floor(${ASSETS} * pow((h2 % 1000000) / 1000000, 2))) AS asset,
        h3 % 100 AS kr,
        multiIf(kr < 85, 'segment', kr < 93, 'playlist', kr < 96, 'init', kr < 99, 'opener', 'thumbnail') AS kind,
        if(kind IN ('segment', 'init') OR (kind = 'playlist' AND kr % 2 = 0), ['1080p', '720p', '480p', '360p'][intDiv(h3, 100) % 4 + 1], '') AS rend,
        ['eu-west', 'us-east', 'us-west', 'ap-south'][h4 % 4 + 1] AS reg,
        h5 % 1000 AS o,
        toUInt16(multiIf(o < 880, 200, o < 905, 206, o < 920, 304, o < 980, 200, o < 988, 403, o < 995, 401, o < 998, 404, 502)) AS status
      FROM numbers(${offset}, ${n})
    )`;
  const g0 = performance.now();
  for (let offset = 0; offset < EVENTS; offset += CHUNK) {
    const c0 = performance.now();
    const n = Math.min(CHUNK, EVENTS - offset);
    await ch.client.command({
      query: insert(offset, n),
      query_params: { start, span, main, other },
      // A token of its own: chdb applies settings as session SETs that outlive the query, so
      // without one this insert would carry the emitter's last batch token and be dropped
      // as a duplicate (insert_deduplicate = 0 does not prevent that).
      clickhouse_settings: { insert_deduplication_token: `bench-${offset}-${randomUUID()}` },
    });
    console.log(`[bench] generated ${fmt(offset + n)} / ${fmt(EVENTS)} events (${round((performance.now() - c0) / 1000, 1)} s)`);
  }
  const generateSeconds = (performance.now() - g0) / 1000;
  // Queries are timed once the background merges the inserts started are done (at most 30 s).
  const m0 = performance.now();
  while (performance.now() - m0 < 30_000 && (await select<{ n: number }>(ch, 'SELECT count() AS n FROM system.merges'))[0]!.n > 0)
    await sleep(500);
  console.log(`[bench] waited ${round((performance.now() - m0) / 1000, 1)} s for background merges`);
  const parts = await select<{ table: string; parts: number; rows: number }>(
    ch,
    `
    SELECT table, count() AS parts, sum(rows) AS rows FROM system.parts
    WHERE database = currentDatabase() AND active AND table IN ('playback_requests', 'playback_hourly') GROUP BY table ORDER BY table`,
  );
  console.log(
    `[bench] ${fmt(EVENTS)} events generated in ${round(generateSeconds, 1)} s; ` +
      parts.map((p) => `${p.table}: ${fmt(p.rows)} rows in ${p.parts} parts`).join(', '),
  );

  const window = parseWindow(
    { from: new Date(start).toISOString(), to: new Date(start + span).toISOString() },
    { alignTo: HOUR, maxMs: 31 * DAY },
  );
  const lastDay = parseWindow(
    { from: new Date(start + span - DAY).toISOString(), to: new Date(start + span).toISOString() },
    { alignTo: 60_000, maxMs: DAY },
  );
  const windowParams = (w: { from: number; to: number }) => ({ from: chTime(w.from), to: chTime(w.to) });
  // What was inserted, counted straight from the raw rows (no FINAL, no rollup).
  const raw = async (accountId: string, w: { from: number; to: number }, asset?: string) =>
    (
      await select<{ n: number; bytes: number }>(
        ch,
        `
    SELECT count() AS n, sum(bytes_served) AS bytes FROM playback_requests
    WHERE account_id = {account:String} ${asset === undefined ? '' : 'AND asset_id = {asset:String}'}
      AND observed_at >= {from:DateTime64(3, 'UTC')} AND observed_at < {to:DateTime64(3, 'UTC')}`,
        { account: accountId, asset, ...windowParams(w) },
      )
    )[0]!;
  const byAsset = await select<{ asset_id: string; n: number }>(
    ch,
    `
    SELECT asset_id, count() AS n FROM playback_requests WHERE account_id = {account:String}
    GROUP BY asset_id ORDER BY n DESC, asset_id`,
    { account: main },
  );
  const accounts = await select<{ account_id: string; n: number }>(
    ch,
    'SELECT account_id, count() AS n FROM playback_requests GROUP BY account_id ORDER BY n DESC',
  );
  const share = (id: string) => accounts.find((a) => a.account_id === id)?.n ?? 0;
  console.log(`[bench] main account: ${fmt(share(main))} events over ${byAsset.length} assets; other account: ${fmt(share(other))} events`);
  const busiest = byAsset[0]!;
  const typical = byAsset[Math.floor(byAsset.length / 2)]!;

  const queries: { name: string; target: number; what: string; run: () => Promise<unknown> }[] = [
    {
      name: 'per-asset, busiest asset',
      target: ASSET_TARGET_MS,
      what: `assetPlayback, 30 days, ${fmt(busiest.n)} requests`,
      run: () => assetPlayback(ch.client, main, busiest.asset_id, window),
    },
    {
      name: 'per-asset, median asset',
      target: ASSET_TARGET_MS,
      what: `assetPlayback, 30 days, ${fmt(typical.n)} requests`,
      run: () => assetPlayback(ch.client, main, typical.asset_id, window),
    },
    {
      name: 'account, group_by=asset interval=day',
      target: ACCOUNT_TARGET_MS,
      what: 'accountPlayback, 30 days, limit 10 (hourly rollup)',
      run: () => accountPlayback(ch.client, main, { window, groupBy: 'asset', interval: 'day', limit: 10 }),
    },
    {
      name: 'account, group_by=region interval=hour',
      target: ACCOUNT_TARGET_MS,
      what: 'accountPlayback, 30 days, limit 10 (hourly rollup)',
      run: () => accountPlayback(ch.client, main, { window, groupBy: 'region', interval: 'hour', limit: 10 }),
    },
    {
      name: 'account, group_by=asset interval=minute',
      target: ACCOUNT_TARGET_MS,
      what: 'accountPlayback, last day, limit 10 (raw rows)',
      run: () => accountPlayback(ch.client, main, { window: lastDay, groupBy: 'asset', interval: 'minute', limit: 10 }),
    },
  ];
  const queryRows: Row[] = [];
  const timed: Record<string, { samples: number[] }> = {};
  const answers: Record<string, unknown> = {};
  for (const q of queries) {
    const t = await timeQuery(q.run);
    timed[q.name] = { samples: t.samples };
    answers[q.name] = t.result;
    queryRows.push({
      query: q.name,
      what: q.what,
      runs: RUNS,
      'median ms': round(t.median, 1),
      'p95 ms': round(t.p95, 1),
      target: `< ${q.target} ms`,
      result: met(t.median < q.target),
    });
    console.log(`[bench] ${q.name}: median ${round(t.median, 1)} ms, p95 ${round(t.p95, 1)} ms`);
  }
  printTable(
    `Analytics queries over ${fmt(EVENTS)} events, ${DAYS} days, ${ASSETS} assets (median and p95 of ${RUNS} runs after ${WARM_RUNS} warm-ups; target on the median)`,
    queryRows,
  );

  // Sanity: every answer against counts taken straight from the raw rows.
  type AssetAnswer = Awaited<ReturnType<typeof assetPlayback>>;
  type AccountAnswer = Awaited<ReturnType<typeof accountPlayback>>;
  const sanity: Row[] = [];
  const check = (what: string, expected: number, got: number) =>
    sanity.push({ check: what, expected, got, ok: expected === got ? 'yes' : 'NO' });
  const mainRaw = await raw(main, window);
  const otherRaw = await raw(other, window);
  const dayRaw = await raw(main, lastDay);
  check('busiest asset: requests', (await raw(main, window, busiest.asset_id)).n, (answers[queries[0]!.name] as AssetAnswer).requests);
  check('busiest asset: bytes', (await raw(main, window, busiest.asset_id)).bytes, (answers[queries[0]!.name] as AssetAnswer).bytes);
  check('median asset: requests', typical.n, (answers[queries[1]!.name] as AssetAnswer).requests);
  const byDay = answers[queries[2]!.name] as AccountAnswer;
  check('main account, 30 days: total requests', mainRaw.n, byDay.totals.requests);
  check('main account, 30 days: total bytes', mainRaw.bytes, byDay.totals.bytes);
  check(
    'main account, 30 days: sum of the daily series',
    mainRaw.n,
    byDay.series?.reduce((a, p) => a + p.requests, 0) ?? byDay.totals.requests,
  );
  const top = byAsset.slice(0, 10);
  check(
    'top 10 assets: same keys, same order, same counts',
    top.reduce((a, r) => a + r.n, 0),
    byDay.groups?.every((g, i) => g.key === top[i]?.asset_id && g.requests === top[i]?.n) && byDay.groups.length === 10
      ? byDay.groups.reduce((a, g) => a + g.requests, 0)
      : -1,
  );
  const byRegion = answers[queries[3]!.name] as AccountAnswer;
  check('region/hour: sum over the regions', mainRaw.n, byRegion.groups?.reduce((a, g) => a + g.requests, 0) ?? -1);
  const byMinute = answers[queries[4]!.name] as AccountAnswer;
  check('minute, last day: total requests', dayRaw.n, byMinute.totals.requests);
  const otherAnswer = await accountPlayback(ch.client, other, { window, interval: 'day', limit: 10 });
  check('other account: its own total only', otherRaw.n, otherAnswer.totals.requests);
  check('both accounts: everything inserted', EVENTS, byDay.totals.requests + otherAnswer.totals.requests);
  printTable('Sanity: answers against counts of the raw rows', sanity);
  if (sanity.some((r) => r['ok'] !== 'yes')) exitCode = 1;

  const targets: Row[] = [
    ...onOff.map((r) => ({
      target: `edge HIT req/s, telemetry on/off ≥ ${ON_OFF_TARGET}`,
      case: String(r['artifact']),
      measured: `${r['on/off']}`,
      result: r['result'] ?? null,
    })),
    ...queryRows.map((r) => ({
      target: `${r['query']} ${r['target']}`,
      case: String(r['what']),
      measured: `median ${r['median ms']} ms, p95 ${r['p95 ms']} ms`,
      result: r['result'] ?? null,
    })),
    {
      target: 'sustained ingest',
      case: `${fmt(INGEST_ROWS)} rows, emitter + writer`,
      measured: `${fmt(INGEST_ROWS / ingestSeconds)} events/s`,
      result: 'reported',
    },
  ];
  printTable('Targets', targets);
  results['queries'] = {
    events: EVENTS,
    days: DAYS,
    assets: ASSETS,
    generate_seconds: generateSeconds,
    parts,
    accounts: { main: share(main), other: share(other) },
    rows: queryRows,
    samples_ms: timed,
    sanity,
  };
  results['targets'] = targets;
  const file = await writeBenchJson('analytics', results);
  console.log(`[bench] wrote ${file}`);
} catch (err) {
  console.error('[bench] failed:', err);
  exitCode = 1;
} finally {
  await emitter?.stop().catch(() => {});
  await Promise.all(edges.map(stopEdge));
  await sink?.close();
  for (const h of handles.reverse()) {
    await h.client.command({ query: `DROP DATABASE IF EXISTS ${h.database}` }).catch(() => {});
    await h.close().catch(() => {});
  }
  storage.s3.destroy();
  await s3.close();
  await rm(work, { recursive: true, force: true });
}
process.exitCode = exitCode;
