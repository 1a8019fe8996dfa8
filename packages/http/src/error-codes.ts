// Every error code a Kino service answers with, in one list: `ApiError` takes only these,
// the OpenAPI document's Error schema enumerates them, and the README's error table is
// rendered from them (`npm run docs`; a test fails when the README is stale).

interface ErrorCodeDoc {
  /** The statuses the code comes with (most have one). */
  status: readonly number[];
  /** Which services answer with it. */
  by: readonly ('api' | 'edge')[];
  when: string;
}

export const ERROR_CODES = {
  VALIDATION_ERROR: {
    status: [400],
    by: ['api', 'edge'],
    when: 'a parameter, field or header is malformed, out of range or unknown (`details` names it; an enum lists its values)',
  },
  INVALID_JSON: { status: [400], by: ['api', 'edge'], when: 'the body is not valid JSON' },
  EMPTY_BODY: { status: [400], by: ['api'], when: 'no bytes (or a form without a file)' },
  INVALID_CURSOR: {
    status: [400],
    by: ['api'],
    when: 'the cursor is not one the API made, names nothing of the account, or comes with other filters than its own',
  },
  INVALID_TIMESTAMP: { status: [400], by: ['api'], when: '`from`/`to` is not RFC 3339 (a `+` must be sent as `%2B`)' },
  INVALID_WINDOW: { status: [400], by: ['api'], when: '`from` is not before `to`' },
  WINDOW_TOO_LARGE: { status: [400], by: ['api'], when: 'the analytics window spans more than its interval allows' },
  INVALID_WEBHOOK_URL: {
    status: [400],
    by: ['api'],
    when: 'a webhook URL that is not http(s) with a host (private addresses are refused at delivery)',
  },
  INVALID_SOURCE_URL: {
    status: [400],
    by: ['api'],
    when: 'a URL import whose `url` is not http(s) with a host, is over 4096 characters, carries a password, or names a private address literally',
  },
  INVALID_PARTS: {
    status: [400],
    by: ['api'],
    when: "a multipart upload's completion lists parts S3 does not have (`details` names them)",
  },
  UNKNOWN_PRESET: { status: [400], by: ['api'], when: "`preset=` names neither a built-in preset nor one of the account's" },
  BAD_REQUEST: { status: [400], by: ['api', 'edge'], when: 'another malformed HTTP request' },
  INVALID_PATH: { status: [400], by: ['edge'], when: 'a playback path with escapes, backslashes, empty or dot segments' },
  UNAUTHORIZED: { status: [401], by: ['api', 'edge'], when: 'no API key (on internal routes: no internal token)' },
  INVALID_API_KEY: { status: [401], by: ['api'], when: 'a key that is not valid, or not sent as `Authorization: Bearer <key>`' },
  API_KEY_EXPIRED: { status: [401], by: ['api'], when: 'the key has passed its `expires_at`' },
  ACCOUNT_DISABLED: { status: [403], by: ['api'], when: "the key's account was disabled by an operator" },
  INSUFFICIENT_SCOPE: {
    status: [403],
    by: ['api'],
    when: "the key's scopes do not cover the route (`details` names the scope it needs)",
  },
  QUOTA_EXCEEDED: {
    status: [403],
    by: ['api'],
    when: 'the account is at a quota (stored bytes, uploads in progress, jobs, webhooks); `details` names it, its limit and the usage',
  },
  API_KEY_REVOKED: { status: [401], by: ['api'], when: 'the `error` event that ends an event stream whose key was revoked' },
  TOKEN_MISSING: { status: [401], by: ['edge'], when: 'a playback URL without its token segment' },
  TOKEN_MALFORMED: { status: [401], by: ['edge'], when: 'the playback token is not a well-formed token' },
  TOKEN_EXPIRED: { status: [401], by: ['edge'], when: 'the playback token expired (ask the API for a fresh playback block)' },
  TOKEN_NOT_YET_VALID: { status: [401], by: ['edge'], when: 'the playback token is not valid yet (clock skew)' },
  TOKEN_BAD_SIGNATURE: { status: [401], by: ['edge'], when: 'the playback token was altered' },
  TOKEN_UNKNOWN_KEY: { status: [401], by: ['edge'], when: 'the playback token names a signing key the edge does not know' },
  TOKEN_BAD_ALGORITHM: { status: [401], by: ['edge'], when: 'the playback token is not signed with Ed25519' },
  TOKEN_WRONG_AUDIENCE: { status: [401], by: ['edge'], when: 'the playback token is meant for another audience' },
  TOKEN_MISSING_CLAIMS: { status: [401], by: ['edge'], when: 'the playback token lacks a required claim' },
  TOKEN_WRONG_ASSET: { status: [403], by: ['edge'], when: 'the playback token is for another asset' },
  NOT_FOUND: {
    status: [404],
    by: ['api'],
    when: "no such asset, job, job output, webhook, webhook delivery or tus upload for this account (another account's included), or a tus upload no longer in progress",
  },
  ROUTE_NOT_FOUND: { status: [404], by: ['api', 'edge'], when: 'no route has this method and path' },
  ASSET_NOT_PLAYABLE: { status: [404], by: ['api'], when: 'playback asked for before the opener is ready' },
  ARTIFACT_NOT_FOUND: { status: [404], by: ['edge'], when: 'the artifact does not exist at the origin' },
  UNPUBLISHED_ARTIFACT: { status: [404], by: ['edge'], when: "a segment path the asset's published playlists do not list" },
  UNKNOWN_ARTIFACT: { status: [404], by: ['edge'], when: 'a path that names nothing an edge serves' },
  INVALID_IMAGE_PARAMS: {
    status: [400],
    by: ['edge'],
    when: 'an image URL (`thumbnail.*`, `animated.*`) with an unknown, repeated or out-of-range parameter',
  },
  IMAGE_VARIANT_LIMIT: {
    status: [403],
    by: ['api', 'edge'],
    when: 'the asset has as many image variants made as it may (200); those already made are served',
  },
  NOT_IN_PLAN: { status: [404], by: ['api'], when: "(internal) a just-in-time segment the asset's plan does not have" },
  METHOD_NOT_ALLOWED: { status: [405], by: ['edge'], when: 'playback URLs answer GET, HEAD and OPTIONS only' },
  INVALID_DOWNLOAD_TOKEN: { status: [403], by: ['api'], when: "a job output's download URL that expired, or whose token was altered" },
  JOB_FINISHED: { status: [409], by: ['api'], when: 'cancelling a job that already succeeded, failed or was cancelled' },
  JOB_NOT_FINISHED: { status: [409], by: ['api'], when: 'deleting the outputs of a job still queued or running (cancel it first)' },
  IDEMPOTENCY_KEY_IN_USE: { status: [409], by: ['api'], when: "the same key's first upload is still streaming" },
  UPLOAD_INCOMPLETE: {
    status: [409],
    by: ['api'],
    when: 'a direct upload completed before its bytes are in storage, or with another size than declared (`details` has both)',
  },
  NOT_A_DIRECT_UPLOAD: { status: [409], by: ['api'], when: 'completing an asset that was not created by `POST /v1/uploads`' },
  UPLOAD_OFFSET_MISMATCH: {
    status: [409],
    by: ['api'],
    when: "a tus PATCH whose `Upload-Offset` is not the upload's offset (ask with HEAD, then send from there)",
  },
  UPLOAD_INTERRUPTED: {
    status: [409],
    by: ['api'],
    when: 'a tus PATCH cut short: its connection broke, or a newer request for the same upload took over',
  },
  UPLOAD_EXPIRED: { status: [410], by: ['api'], when: 'a direct or tus upload used after its `expires_at` (tus: `Upload-Expires`)' },
  ASSET_DELETED: { status: [409, 410], by: ['api', 'edge'], when: 'the asset was deleted: 409 to a change, 410 from an edge' },
  WEBHOOK_DISABLED: {
    status: [409],
    by: ['api'],
    when: 'redelivering to a webhook disabled for failing too long (enable it first: `POST /v1/webhooks/{id}/enable`)',
  },
  DELIVERY_IN_FLIGHT: { status: [409], by: ['api'], when: 'redelivering a webhook delivery that is being sent right now' },
  PRESET_BUILTIN: { status: [409], by: ['api'], when: 'creating, changing or deleting a preset with a built-in name' },
  PRESET_EXISTS: { status: [409], by: ['api'], when: 'creating a preset whose name the account already has (change it with PATCH)' },
  TOO_MANY_PRESETS: {
    status: [409],
    by: ['api'],
    when: 'creating a preset when the account holds as many as it may (50); `details` has the limit and the usage',
  },
  TUS_VERSION_UNSUPPORTED: { status: [412], by: ['api'], when: 'a tus request without `Tus-Resumable: 1.0.0`' },
  PAYLOAD_TOO_LARGE: {
    status: [413],
    by: ['api', 'edge'],
    when: 'an upload over `MAX_UPLOAD_BYTES` (its multipart upload is aborted; tus: an `Upload-Length` over it, or a PATCH past it), or a JSON or beacon body over its limit',
  },
  URI_TOO_LONG: { status: [414], by: ['edge'], when: 'a playback URL over 4096 characters' },
  UNSUPPORTED_CONTENT_TYPE: {
    status: [415],
    by: ['api'],
    when: 'a content type the route does not take (the message names it and the accepted ones; a tus PATCH sends application/offset+octet-stream)',
  },
  NOT_MEDIA: { status: [415], by: ['api'], when: 'the first bytes are not a media container (or are a playlist or manifest)' },
  IDEMPOTENCY_KEY_REUSED: {
    status: [422],
    by: ['api'],
    when: 'an Idempotency-Key used before for another upload or import (`details.differs` says what differs)',
  },
  INVALID_COMMAND: {
    status: [422],
    by: ['api'],
    when: 'a job whose command the allowlist refuses: an option, filter, value, placeholder or output name (`details.token` names it)',
  },
  INVALID_OPTIONS: { status: [422], by: ['api'], when: "a typed job's options that do not fit together (`details.field` names one)" },
  INVALID_INPUT: {
    status: [422],
    by: ['api'],
    when: 'a job input that is neither an asset of the account with its source in nor an http(s) URL to a public address (`details.input` names it)',
  },
  METRIC_UNAVAILABLE: { status: [422], by: ['api'], when: 'a quality metric this deployment cannot measure (vmaf without libvmaf)' },
  TOO_MANY_JOBS: { status: [429], by: ['api'], when: 'the account has as many jobs queued or running as its `user_jobs` quota allows' },
  PRESET_NOT_SUPPORTED_FOR_UPLOADS: {
    status: [422],
    by: ['api'],
    when: 'an upload with a preset whose output the pipeline does not make yet (the message says which part)',
  },
  ESTIMATE_SOURCE_UNSUPPORTED: {
    status: [422],
    by: ['api'],
    when: 'an estimate for a `url` source (not probed yet: send the probe summary or an asset id), or an asset without a probe',
  },
  RATE_LIMITED: {
    status: [429],
    by: ['api', 'edge'],
    when: "too many requests: a key's route class, unknown keys from one address, public player routes, beacons; see Retry-After and RateLimit",
  },
  TOO_MANY_STREAMS: { status: [429], by: ['api'], when: 'the account has as many event streams open as it may' },
  INTERNAL_ERROR: { status: [500], by: ['api', 'edge'], when: 'a fault of ours; the request id helps find it' },
  TUS_EXTENSION_UNSUPPORTED: {
    status: [501],
    by: ['api'],
    when: 'a tus request that needs an extension not offered (concatenation, deferred length); OPTIONS lists `Tus-Extension`',
  },
  ORIGIN_UNAVAILABLE: { status: [502], by: ['edge'], when: 'the origin (S3) could not be reached' },
  ANALYTICS_UNAVAILABLE: { status: [503], by: ['api'], when: 'ClickHouse is away' },
  OVERLOADED: {
    status: [503],
    by: ['api'],
    when: 'new uploads are refused while the estimated wait for processing is over `ADMISSION_MAX_WAIT_SECONDS`; see Retry-After',
  },
  NO_EDGE_AVAILABLE: { status: [503], by: ['api'], when: 'no edge has sent a heartbeat lately and no `EDGE_FALLBACK_URL` is set' },
  SEGMENT_NOT_READY: { status: [503], by: ['api', 'edge'], when: 'a just-in-time segment is not made yet; retry after Retry-After' },
  TOO_MANY_FILLS: { status: [503], by: ['edge'], when: 'the edge is filling as many artifacts from the origin as it may' },
  TOO_MANY_FILLS_FOR_TOKEN: { status: [503], by: ['edge'], when: "one playback token is using its share of the edge's origin fills" },
  TOO_MANY_FILLS_FOR_ASSET: { status: [503], by: ['edge'], when: "one asset is using its share of the edge's origin fills" },
  SHUTTING_DOWN: { status: [503], by: ['edge'], when: 'the edge is stopping' },
} as const satisfies Record<string, ErrorCodeDoc>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The README's error table: one row per code, by status. */
export function errorCodeTable(): string {
  const rows = Object.entries(ERROR_CODES as Record<ErrorCode, ErrorCodeDoc>)
    .sort(([, a], [, b]) => a.status[0]! - b.status[0]!)
    .map(([code, d]) => [d.status.join(', '), `\`${code}\``, d.by.join(', '), d.when]);
  const head = ['status', 'code', 'from', 'when'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
