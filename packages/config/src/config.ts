// Configuration is read from the environment once, at start, and validated here so that a
// wrong value stops the process with a message naming the variable, not a stack trace later.

import { ConfigError } from './errors.ts';
import { parsePlans, type PlanLimits } from './plans.ts';

export { ConfigError };

export interface S3Config {
  /** Unset means "use the embedded s3rver" (only `npm run up` and tests start one). */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** Port of the embedded s3rver, when there is one. */
  embeddedPort: number;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  databaseUrl: string;
  redisUrl: string;
  s3: S3Config;
  /** Where `npm run up` keeps embedded state (s3rver files, the dev key). */
  dataDir: string;
  api: {
    host: string;
    port: number;
    publicUrl: string;
    maxUploadBytes: number;
    uploadStallSeconds: number;
    /** Serve /player/{id}: a page (and fresh bootstraps) for assets whose playback_policy is public. */
    playerPages: boolean;
    /** Lifetime of the tokens the player routes mint; the player refreshes them as they expire. */
    playerTokenTtlSeconds: number;
    /** Player pages and bootstraps per client address (IPv6: per /64) per minute, also the burst. */
    playerRatePerMinute: number;
    /** fastify's `trustProxy`: whose X-Forwarded-For names the client (per-address limits). */
    trustProxy: boolean | string;
  };
  /** Ingest's doors besides the streamed upload (packages/ingest). */
  /** The jobs API (POST /v1/jobs): what one job may write and spend. */
  jobs: {
    /** Each output's bytes (ffmpeg's -fs, and checked). */
    maxOutputBytes: number;
    /** All of a job's outputs together. */
    maxTotalOutputBytes: number;
    /** Each output's duration (-t added unless the command bounds it, and checked). */
    maxOutputSeconds: number;
    /** The ffmpeg run's time limit (wall clock), after which it is killed. */
    timeoutSeconds: number;
    /** The ffmpeg run's address space (RLIMIT_AS, set with prlimit). */
    maxMemoryBytes: number;
    /** The ffmpeg run's CPU seconds, all threads together (RLIMIT_CPU). */
    maxCpuSeconds: number;
    /** Each input fetched from a URL (asset inputs are the account's own sources). */
    maxInputBytes: number;
    /** All of a job's URL inputs together (their scratch copies). */
    maxTotalInputBytes: number;
    /** Days a finished job's outputs are kept before the worker's sweep deletes them. */
    outputRetentionDays: number;
    /** Lifetime of an output's signed download URL. */
    downloadTtlSeconds: number;
  };
  ingest: {
    /** A direct upload up to this size is sent in one PUT; above it, in parts. */
    singlePutMaxBytes: number;
    /** Part size of a presigned multipart upload (S3: 5 MiB to 5 GiB, at most 10,000 parts). */
    partBytes: number;
    /** A direct or tus upload not completed within this long is given up (a tus upload's deadline moves with each PATCH). */
    uploadExpirySeconds: number;
    /** A URL import's timeout for connecting, for the answer's headers, and for any pause in its body. */
    importTimeoutSeconds: number;
    /** A URL import's fetch, whole, at most. */
    importMaxSeconds: number;
    /** Fetch imports from private, loopback and link-local addresses (development and tests only). */
    importAllowPrivate: boolean;
    /** New uploads are refused (503 OVERLOADED) while the estimated wait for a job is longer. */
    admissionMaxWaitSeconds: number;
    /** How long one reading of the queue answers admission and GET /v1/status in an api process (0: every request reads it). */
    admissionCacheMs: number;
  };
  /** Just-in-time segments (packages/pipeline/src/segments.ts). */
  segments: {
    /** Segments each worker encodes at once, beside its media jobs. */
    concurrency: number;
    /** Viewer requests the whole tier may hold queued or running; beyond it edges answer 503. */
    queueLimit: number;
    /** Of those, what one account may hold. */
    accountLimit: number;
    /** How long the api holds an edge's request for a segment before answering 503 + Retry-After. */
    waitSeconds: number;
    /** Segments queued at low priority after a viewer's miss, so watching on never waits. */
    readAhead: number;
    /** A segment's encode is stopped after this long (a source that makes it hang must not hold a slot). */
    timeoutSeconds: number;
  };
  worker: {
    /** Probes, playlists and openers (and purges) at once: what viewers wait for. */
    concurrency: number;
    /** Ladders at once, apart from those, at a lower CPU priority. */
    ladderConcurrency: number;
    leaseSeconds: number;
    maxAttempts: number;
    pollIntervalMs: number;
    ffmpegTimeoutSeconds: number;
    shutdownGraceSeconds: number;
    tmpDir: string;
    host: string;
    port: number;
  };
  playback: {
    /** JSON array of private JWKs (Ed25519, each with a kid); the first one signs. */
    signingKeys: string | undefined;
    /** Where `npm run up` keeps generated signing keys when PLAYBACK_SIGNING_KEYS is unset. */
    signingKeysFile: string;
    audience: string;
    ttlSeconds: number;
    maxTtlSeconds: number;
    /** The longest a `wait=playable` upload may hold its response. */
    waitMaxSeconds: number;
    /** Base URL handed out when no edge is registered and healthy. */
    edgeFallbackUrl: string | undefined;
    /** An edge counts as healthy while its last heartbeat is younger than this. */
    edgeHealthySeconds: number;
  };
  events: {
    /** Open SSE streams per account, per api process. */
    maxStreamsPerAccount: number;
    /** Bytes an SSE client may leave unread before it is disconnected. */
    maxStreamBufferBytes: number;
    /** A `: ping` every this many seconds, which also re-checks the stream's API key. */
    heartbeatSeconds: number;
  };
  /** Shared secret of internal routes: edge registration, warm, purge, metrics. */
  internalToken: string;
  tenancy: {
    /** Plan name → limits (TENANT_PLANS over the built-in tiers); an account names its plan. */
    plans: Record<string, PlanLimits>;
    /** How long an api process trusts a key it looked up; revocations also reach every process at once over Redis. */
    keyCacheMs: number;
    /** Requests with an unknown key one client address may make per minute (also the burst); then 429 without a lookup. */
    badKeysPerMinute: number;
    /** Rate limits per key and route class (off: behind a gateway that limits, or to measure their cost). */
    rateLimits: boolean;
  };
  webhooks: {
    /** Deliver to private, loopback and link-local addresses (development and tests only). */
    allowPrivate: boolean;
    timeoutMs: number;
    /** Sends in flight at once per api process. */
    concurrency: number;
    /** Sends in flight at once per account, over every api process. */
    accountConcurrency: number;
    /** Sends in flight at once per endpoint, over every api process (1 keeps its events in order). */
    endpointConcurrency: number;
    /** An endpoint that failed every attempt for this long is disabled. */
    disableAfterSeconds: number;
    pollIntervalMs: number;
    /** Waits before each retry; its length is the number of retries. */
    retryScheduleMs: number[];
  };
  edge: {
    host: string;
    port: number;
    id: string;
    region: string;
    publicUrl: string;
    internalUrl: string;
    cacheDir: string;
    cacheBytes: number;
    ramCacheBytes: number;
    maxFills: number;
    /** Shares of maxFills one token, and one asset, may hold at once (percent; at least one fill). */
    fillTokenPercent: number;
    fillAssetPercent: number;
    /** Origin 404s are remembered this long (0: not at all), at most this many at once. */
    negativeTtlSeconds: number;
    negativeCacheEntries: number;
    /** The api, for registration and heartbeats. */
    apiUrl: string;
    jwksUrl: string;
    /** A JWKS (JSON) of public keys; when set, the edge does not fetch jwksUrl. */
    publicKeys: string | undefined;
    jwksRefreshSeconds: number;
    heartbeatSeconds: number;
    /** POST /beacon requests per playback token per minute (also the burst). */
    beaconRatePerToken: number;
    /** POST /beacon requests per view id per minute (also the burst). */
    beaconRatePerView: number;
  };
  clickhouse: {
    /** A ClickHouse server's HTTP interface; unset means embedded chdb at `path`. */
    url: string | undefined;
    /** The embedded engine's data directory: one per process (see @kino/analytics). */
    path: string;
    database: string;
    username: string;
    password: string;
    /** How long raw requests and their rollups are kept. */
    retentionDays: number;
  };
  telemetry: {
    /** Off: the edge records nothing (benchmarks compare against this). */
    enabled: boolean;
    /** A batch is written when it holds this many rows… */
    batchRows: number;
    /** …or when its oldest row is this old. */
    flushMs: number;
    /** Rows waiting in memory, per table, beyond which new ones are dropped (and counted). */
    maxQueuedRows: number;
    /** Batches ClickHouse refused wait here as JSONL until it answers again. */
    spoolDir: string;
    spoolBytes: number;
    /** How often a spooled batch is retried while ClickHouse is away. */
    replayMs: number;
  };
  logLevel: string;
  /** `pretty` (pino-pretty, for people) or `json` (one object a line, for collectors). */
  logFormat: LogFormat;
}

export type LogFormat = 'json' | 'pretty';

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** A comma-separated list of milliseconds, each up to a week. */
function msList(env: Env, name: string, fallback: number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length > 50 || parts.some((p) => !/^\d+$/.test(p) || Number(p) > 7 * 86_400_000)) {
    throw new ConfigError(`${name} must be up to 50 comma-separated millisecond counts (each at most a week), got "${raw}"`);
  }
  return parts.map(Number);
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const raw = str(env, name, fallback);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL: "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

/** Sizes like "5GiB", "500MB", "1048576". */
export function parseBytes(name: string, raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?\s*$/i.exec(raw);
  if (!m) throw new ConfigError(`${name} must be a size such as 5GiB or 500MB, got "${raw}"`);
  const units: Record<string, number> = {
    b: 1,
    kb: 1e3,
    kib: 1024,
    mb: 1e6,
    mib: 1024 ** 2,
    gb: 1e9,
    gib: 1024 ** 3,
    tb: 1e12,
    tib: 1024 ** 4,
  };
  return Math.floor(Number(m[1]) * units[(m[2] ?? 'b').toLowerCase()]!);
}

/** S3's own bounds on a multipart part: at least 5 MiB, at most 5 GiB. */
function partBytes(env: Env): number {
  const n = parseBytes('UPLOAD_PART_BYTES', str(env, 'UPLOAD_PART_BYTES', '64MiB'));
  if (n < 5 * 1024 ** 2 || n > 5 * 1024 ** 3) throw new ConfigError(`UPLOAD_PART_BYTES must be between 5MiB and 5GiB, got ${n} bytes`);
  return n;
}

/** A name that goes into SQL as an identifier (ClickHouse database names cannot be bound). */
function identifier(env: Env, name: string, fallback: string): string {
  const v = str(env, name, fallback);
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(v)) throw new ConfigError(`${name} must be letters, digits and underscores, got "${v}"`);
  return v;
}

/** LOG_FORMAT, else pretty when stdout is a terminal (someone reads it) and JSON otherwise (a collector does). */
function logFormat(env: Env): LogFormat {
  const raw = str(env, 'LOG_FORMAT', process.stdout.isTTY ? 'pretty' : 'json');
  if (raw !== 'json' && raw !== 'pretty') throw new ConfigError(`LOG_FORMAT must be json or pretty, got "${raw}"`);
  return raw;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * `TRUST_PROXY`: unset or `false` (the peer is the client), `true` (trust every hop), or the
 * proxies' addresses and CIDRs, comma-separated. Behind a load balancer the peer is the
 * balancer, and per-address limits would lump every viewer into one bucket.
 */
function trustProxy(env: Env): boolean | string {
  const raw = str(env, 'TRUST_PROXY', 'false').trim();
  if (raw === 'false' || raw === '') return false;
  if (raw === 'true') return true;
  if (!/^[0-9a-fA-F.:/]+(?:\s*,\s*[0-9a-fA-F.:/]+)*$/.test(raw)) {
    throw new ConfigError(`TRUST_PROXY must be true, false or comma-separated proxy addresses/CIDRs, got "${raw}"`);
  }
  return raw;
}

function internalToken(env: Env, nodeEnv: string): string {
  const token = env['INTERNAL_TOKEN'];
  if (token) {
    if (token.length < 16) throw new ConfigError('INTERNAL_TOKEN must be at least 16 characters');
    return token;
  }
  if (nodeEnv === 'production') throw new ConfigError('INTERNAL_TOKEN must be set in production');
  // The fixed development token is public knowledge: anyone who can reach the api could
  // register an edge of theirs and have viewers sent to it.
  for (const name of ['API_HOST', 'EDGE_HOST', 'WORKER_HOST']) {
    const host = env[name];
    if (host && !LOOPBACK.test(host)) throw new ConfigError(`INTERNAL_TOKEN must be set when ${name} (${host}) is not a loopback address`);
  }
  // Development and tests: a fixed value, so that separately started roles agree.
  return 'kino-development-internal-token';
}

/**
 * Where the api's playback signing keys come from: PLAYBACK_SIGNING_KEYS, or outside
 * production a key file made once and kept (PLAYBACK_SIGNING_KEYS_FILE). In production a
 * missing variable is an error, never a key generated on the spot: several api replicas
 * would each sign with a key of their own, and edges would refuse the tokens of every
 * replica whose key they did not happen to fetch. Only the api signs, so only the api asks;
 * edges hold public keys and need no PLAYBACK_SIGNING_KEYS.
 */
export function signingKeysSource(config: Config): { json: string } | { file: string } {
  if (config.playback.signingKeys !== undefined) return { json: config.playback.signingKeys };
  if (config.env === 'production') {
    throw new ConfigError(
      'PLAYBACK_SIGNING_KEYS must be set in production (a JSON array of private Ed25519 JWKs, ' +
        'the same on every api replica); see .env.example',
    );
  }
  return { file: config.playback.signingKeysFile };
}

function edgeConfig(env: Env, dataDir: string, apiHost: string, apiPort: number): Config['edge'] {
  const host = str(env, 'EDGE_HOST', '127.0.0.1');
  const port = int(env, 'EDGE_PORT', 4100, 0, 65535);
  const publicUrl = url(env, 'EDGE_PUBLIC_URL', `http://${host}:${port}`, ['http:', 'https:']).replace(/\/$/, '');
  const apiUrl = url(env, 'KINO_API_URL', `http://${apiHost}:${apiPort}`, ['http:', 'https:']).replace(/\/$/, '');
  return {
    host,
    port,
    id: str(env, 'EDGE_ID', `edge-${host}-${port}`),
    region: str(env, 'EDGE_REGION', 'local'),
    publicUrl,
    internalUrl: url(env, 'EDGE_INTERNAL_URL', publicUrl, ['http:', 'https:']).replace(/\/$/, ''),
    cacheDir: str(env, 'EDGE_CACHE_DIR', `${dataDir}/edge-cache`),
    cacheBytes: parseBytes('EDGE_CACHE_BYTES', str(env, 'EDGE_CACHE_BYTES', '10GiB')),
    ramCacheBytes: parseBytes('EDGE_RAM_CACHE_BYTES', str(env, 'EDGE_RAM_CACHE_BYTES', '256MiB')),
    maxFills: int(env, 'EDGE_MAX_FILLS', 64, 1, 10_000),
    fillTokenPercent: int(env, 'EDGE_FILL_TOKEN_PERCENT', 25, 1, 100),
    fillAssetPercent: int(env, 'EDGE_FILL_ASSET_PERCENT', 50, 1, 100),
    negativeTtlSeconds: int(env, 'EDGE_NEGATIVE_TTL_SECONDS', 5, 0, 300),
    negativeCacheEntries: int(env, 'EDGE_NEGATIVE_CACHE_ENTRIES', 10_000, 0, 10_000_000),
    apiUrl,
    jwksUrl: url(env, 'PLAYBACK_JWKS_URL', `${apiUrl}/.well-known/jwks.json`, ['http:', 'https:']),
    publicKeys: env['PLAYBACK_PUBLIC_KEYS'] || undefined,
    jwksRefreshSeconds: int(env, 'PLAYBACK_JWKS_REFRESH_SECONDS', 300, 5, 86_400),
    heartbeatSeconds: int(env, 'EDGE_HEARTBEAT_SECONDS', 10, 1, 3600),
    // A player sends about six beacons a minute per view; one token may serve several views.
    beaconRatePerToken: int(env, 'BEACON_RATE_PER_TOKEN', 600, 1, 1_000_000),
    beaconRatePerView: int(env, 'BEACON_RATE_PER_VIEW', 30, 1, 1_000_000),
  };
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = str(env, 'NODE_ENV', 'development');
  if (nodeEnv !== 'development' && nodeEnv !== 'production' && nodeEnv !== 'test') {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnv}"`);
  }
  const apiPort = int(env, 'API_PORT', 4000, 0, 65535);
  const apiHost = str(env, 'API_HOST', '127.0.0.1');
  const dataDir = str(env, 'KINO_DATA_DIR', '.kino');
  return {
    env: nodeEnv,
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/kino', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    s3: {
      endpoint: env['S3_ENDPOINT'] ? url(env, 'S3_ENDPOINT', '', ['http:', 'https:']) : undefined,
      region: str(env, 'S3_REGION', 'us-east-1'),
      bucket: str(env, 'S3_BUCKET', 'kino'),
      accessKeyId: str(env, 'S3_ACCESS_KEY_ID', 'S3RVER'),
      secretAccessKey: str(env, 'S3_SECRET_ACCESS_KEY', 'S3RVER'),
      forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', true),
      embeddedPort: int(env, 'S3_PORT', 4300, 0, 65535),
    },
    dataDir,
    api: {
      host: apiHost,
      port: apiPort,
      publicUrl: url(env, 'API_PUBLIC_URL', `http://${apiHost}:${apiPort}`, ['http:', 'https:']).replace(/\/$/, ''),
      maxUploadBytes: parseBytes('MAX_UPLOAD_BYTES', str(env, 'MAX_UPLOAD_BYTES', '5GiB')),
      uploadStallSeconds: int(env, 'UPLOAD_STALL_SECONDS', 120, 30, 86_400),
      // Public by asset id, like Cloudflare Stream's iframe URL: handy on a developer's
      // machine, a choice to make explicitly where others can reach the api.
      playerPages: bool(env, 'PLAYER_PAGES', nodeEnv !== 'production'),
      // Short: anyone may mint these for a public asset, and the player refreshes them.
      playerTokenTtlSeconds: int(env, 'PLAYER_TOKEN_TTL_SECONDS', 300, 10, 86_400),
      // A page polls its bootstrap every 3 s while only the opener is ready (20 a minute).
      playerRatePerMinute: int(env, 'PLAYER_RATE_PER_MINUTE', 60, 1, 1_000_000),
      trustProxy: trustProxy(env),
    },
    jobs: {
      maxOutputBytes: parseBytes('JOBS_MAX_OUTPUT_BYTES', str(env, 'JOBS_MAX_OUTPUT_BYTES', '2GiB')),
      maxTotalOutputBytes: parseBytes('JOBS_MAX_TOTAL_OUTPUT_BYTES', str(env, 'JOBS_MAX_TOTAL_OUTPUT_BYTES', '5GiB')),
      maxOutputSeconds: int(env, 'JOBS_MAX_OUTPUT_SECONDS', 4 * 3600, 1, 86_400),
      timeoutSeconds: int(env, 'JOBS_TIMEOUT_SECONDS', 3600, 1, 86_400),
      maxMemoryBytes: parseBytes('JOBS_MAX_MEMORY_BYTES', str(env, 'JOBS_MAX_MEMORY_BYTES', '4GiB')),
      // Two cores' worth of the wall-clock limit: a run may use threads, not the whole machine.
      maxCpuSeconds: int(env, 'JOBS_MAX_CPU_SECONDS', 7200, 1, 7 * 86_400),
      maxInputBytes: parseBytes('JOBS_MAX_INPUT_BYTES', str(env, 'JOBS_MAX_INPUT_BYTES', '5GiB')),
      maxTotalInputBytes: parseBytes('JOBS_MAX_TOTAL_INPUT_BYTES', str(env, 'JOBS_MAX_TOTAL_INPUT_BYTES', '10GiB')),
      outputRetentionDays: int(env, 'JOBS_OUTPUT_RETENTION_DAYS', 7, 1, 3650),
      downloadTtlSeconds: int(env, 'JOBS_DOWNLOAD_TTL_SECONDS', 3600, 10, 7 * 86_400),
    },
    ingest: {
      singlePutMaxBytes: parseBytes('UPLOAD_SINGLE_PUT_MAX_BYTES', str(env, 'UPLOAD_SINGLE_PUT_MAX_BYTES', '100MiB')),
      partBytes: partBytes(env),
      // Mux's direct uploads give up after an hour by default; a presigned URL may live 7 days.
      uploadExpirySeconds: int(env, 'UPLOAD_EXPIRY_SECONDS', 3600, 60, 7 * 86_400),
      importTimeoutSeconds: int(env, 'IMPORT_TIMEOUT_SECONDS', 30, 1, 3600),
      importMaxSeconds: int(env, 'IMPORT_MAX_SECONDS', 3600, 10, 86_400),
      // Off unless asked: the fetch runs in the worker, whose own settings say nothing about
      // where it is deployed. `npm run up` asks (scripts/up.ts), to import from localhost.
      importAllowPrivate: bool(env, 'IMPORT_ALLOW_PRIVATE', false),
      admissionMaxWaitSeconds: int(env, 'ADMISSION_MAX_WAIT_SECONDS', 900, 1, 7 * 86_400),
      admissionCacheMs: int(env, 'ADMISSION_CACHE_MS', 1000, 0, 60_000),
    },
    segments: {
      concurrency: int(env, 'JIT_CONCURRENCY', 3, 1, 64),
      queueLimit: int(env, 'JIT_QUEUE_LIMIT', 32, 1, 100_000),
      accountLimit: int(env, 'JIT_ACCOUNT_LIMIT', 16, 1, 100_000),
      waitSeconds: int(env, 'JIT_WAIT_SECONDS', 20, 1, 300),
      readAhead: int(env, 'JIT_READ_AHEAD', 2, 0, 32),
      timeoutSeconds: int(env, 'JIT_TIMEOUT_SECONDS', 60, 1, 3600),
    },
    worker: {
      concurrency: int(env, 'WORKER_CONCURRENCY', 2, 0, 64),
      ladderConcurrency: int(env, 'WORKER_LADDER_CONCURRENCY', 1, 0, 64),
      leaseSeconds: int(env, 'JOB_LEASE_SECONDS', 30, 2, 3600),
      maxAttempts: int(env, 'JOB_MAX_ATTEMPTS', 3, 1, 100),
      pollIntervalMs: int(env, 'JOB_POLL_INTERVAL_MS', 2000, 50, 600_000),
      ffmpegTimeoutSeconds: int(env, 'FFMPEG_TIMEOUT_SECONDS', 3600, 1, 86_400),
      shutdownGraceSeconds: int(env, 'WORKER_SHUTDOWN_GRACE_SECONDS', 10, 0, 3600),
      tmpDir: str(env, 'WORKER_TMP_DIR', ''),
      host: str(env, 'WORKER_HOST', '127.0.0.1'),
      port: int(env, 'WORKER_PORT', 4200, 0, 65535),
    },
    playback: {
      signingKeys: env['PLAYBACK_SIGNING_KEYS'] || undefined,
      signingKeysFile: str(env, 'PLAYBACK_SIGNING_KEYS_FILE', `${dataDir}/signing-keys.json`),
      audience: str(env, 'PLAYBACK_AUDIENCE', 'kino-playback'),
      ttlSeconds: int(env, 'PLAYBACK_TOKEN_TTL_SECONDS', 3600, 10, 30 * 86_400),
      maxTtlSeconds: int(env, 'PLAYBACK_TOKEN_MAX_TTL_SECONDS', 86_400, 10, 30 * 86_400),
      waitMaxSeconds: int(env, 'PLAYBACK_WAIT_MAX_SECONDS', 60, 1, 3600),
      edgeHealthySeconds: int(env, 'EDGE_HEALTHY_SECONDS', 30, 1, 3600),
      edgeFallbackUrl: env['EDGE_FALLBACK_URL'] ? url(env, 'EDGE_FALLBACK_URL', '', ['http:', 'https:']).replace(/\/$/, '') : undefined,
    },
    events: {
      maxStreamsPerAccount: int(env, 'EVENTS_MAX_STREAMS_PER_ACCOUNT', 20, 1, 10_000),
      maxStreamBufferBytes: parseBytes('EVENTS_MAX_STREAM_BUFFER', str(env, 'EVENTS_MAX_STREAM_BUFFER', '1MiB')),
      // At most 30: a revoked key's stream must end within 30 s.
      heartbeatSeconds: int(env, 'EVENTS_HEARTBEAT_SECONDS', 15, 1, 30),
    },
    internalToken: internalToken(env, nodeEnv),
    tenancy: {
      plans: parsePlans(env['TENANT_PLANS']),
      // Under the 1 s within which a revoked key must be refused, should a Redis message be lost.
      keyCacheMs: int(env, 'KEY_CACHE_MS', 500, 0, 1000),
      badKeysPerMinute: int(env, 'BAD_KEYS_PER_MINUTE', 30, 1, 1_000_000),
      rateLimits: bool(env, 'RATE_LIMITS', true),
    },
    webhooks: {
      // `npm run up` runs on the developer's own machine, where a receiver on localhost is
      // the point; an api others can reach must not be steered into its own network.
      allowPrivate: bool(env, 'WEBHOOK_ALLOW_PRIVATE', nodeEnv !== 'production' && LOOPBACK.test(apiHost)),
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      concurrency: int(env, 'WEBHOOK_CONCURRENCY', 8, 1, 256),
      accountConcurrency: int(env, 'WEBHOOK_ACCOUNT_CONCURRENCY', 4, 1, 256),
      endpointConcurrency: int(env, 'WEBHOOK_ENDPOINT_CONCURRENCY', 1, 1, 64),
      disableAfterSeconds: int(env, 'WEBHOOK_DISABLE_AFTER_SECONDS', 3 * 86_400, 1, 30 * 86_400),
      pollIntervalMs: int(env, 'WEBHOOK_POLL_INTERVAL_MS', 1000, 20, 600_000),
      retryScheduleMs: msList(
        env,
        'WEBHOOK_RETRY_SCHEDULE_MS',
        [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 28_800_000],
      ),
    },
    edge: edgeConfig(env, dataDir, apiHost, apiPort),
    clickhouse: {
      url: env['CLICKHOUSE_URL'] ? url(env, 'CLICKHOUSE_URL', '', ['http:', 'https:']).replace(/\/$/, '') : undefined,
      path: str(env, 'CLICKHOUSE_PATH', `${dataDir}/clickhouse`),
      database: identifier(env, 'CLICKHOUSE_DATABASE', 'kino'),
      username: str(env, 'CLICKHOUSE_USER', 'default'),
      password: str(env, 'CLICKHOUSE_PASSWORD', ''),
      retentionDays: int(env, 'CLICKHOUSE_RETENTION_DAYS', 400, 1, 3650),
    },
    telemetry: {
      enabled: bool(env, 'TELEMETRY_ENABLED', true),
      batchRows: int(env, 'TELEMETRY_BATCH_ROWS', 5000, 1, 1_000_000),
      flushMs: int(env, 'TELEMETRY_FLUSH_MS', 1000, 10, 600_000),
      maxQueuedRows: int(env, 'TELEMETRY_MAX_QUEUED_ROWS', 200_000, 1, 10_000_000),
      spoolDir: str(env, 'TELEMETRY_SPOOL_DIR', `${dataDir}/telemetry-spool`),
      spoolBytes: parseBytes('TELEMETRY_SPOOL_BYTES', str(env, 'TELEMETRY_SPOOL_BYTES', '512MiB')),
      replayMs: int(env, 'TELEMETRY_REPLAY_MS', 5000, 10, 3_600_000),
    },
    logLevel: str(env, 'LOG_LEVEL', nodeEnv === 'test' ? 'warn' : 'info'),
    logFormat: logFormat(env),
  };
}
