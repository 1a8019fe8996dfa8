// npm run smoke — black-box checks of a running Kino, through its public HTTP surface only:
// the api at KINO_API_URL with the key KINO_API_KEY, and the edge the api hands out. Both
// default to what `npm run up` uses (its api address and the dev key it saved), so against a
// local stack it runs as is; pointed at a deployment it needs neither root nor a database.
// One line per flow, with its time; the exit code is 1 when any flow failed. What a run
// creates (assets, a webhook) is deleted before it exits. Uploads, event streams and webhook
// signatures go through @kino/sdk, as a customer's code would: the SDK speaks only HTTP.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@kino/config';
import { createKino, KinoError, verifyWebhook } from '@kino/sdk';
import { uploadFile } from '@kino/sdk/node';
import { makeFixture } from '@kino/testkit';

const env = process.env;
const seconds = (name: string, fallback: number) => Number(env[name] ?? fallback) * 1000;
// How long processing may take before the upload flow gives up (a busy queue is slow, not broken).
const READY_MS = seconds('KINO_SMOKE_TIMEOUT_SECONDS', 300);
// How long the edge's telemetry may take to show in the analytics, and a delete to reach the edge.
const SETTLE_MS = seconds('KINO_SMOKE_SETTLE_SECONDS', 60);
const CONCURRENT = 8;
const SHORT_TTL_SECONDS = 10;
// Edges accept a token this long past its expiry (clock skew between machines).
const EDGE_LEEWAY_MS = 5000;

/** Where and as whom: the environment, else what `npm run up` uses on this checkout. */
async function target(): Promise<{ api: string; key: string }> {
  const given = env['KINO_API_URL'];
  const config = given ? undefined : loadConfig();
  const api = (given ?? config!.api.publicUrl).replace(/\/$/, '');
  let key = env['KINO_API_KEY'] ?? env['KINO_DEV_API_KEY'];
  if (!key && config) key = (await readFile(join(config.dataDir, 'dev-api-key'), 'utf8').catch(() => '')).trim();
  if (!key) {
    console.error('kino smoke: set KINO_API_KEY (a key of the account to test with), or run `npm run up` here first.');
    process.exit(2);
  }
  return { api, key };
}

const { api, key } = await target();
const auth = { authorization: `Bearer ${key}` };
const kino = createKino({ baseUrl: api, apiKey: key, userAgent: 'kino-smoke' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Skip extends Error {}

async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { text: text.slice(0, 200) };
  }
}

/** A failure that says what answered: status, error code and message. */
async function unexpected(what: string, res: Response): Promise<Error> {
  const body = await json(res);
  const e = body?.error;
  return new Error(`${what} answered ${res.status}${e ? ` ${e.code}: ${e.message}` : body?.text ? `: ${body.text}` : ''}`);
}

async function call(method: string, path: string, body?: unknown, expected = [200]): Promise<any> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((err: Error & { cause?: { code?: string; message?: string } }) => {
    throw new Error(`${method} ${path}: could not reach ${api} (${err.cause?.code ?? err.cause?.message ?? err.message})`);
  });
  if (!expected.includes(res.status)) throw await unexpected(`${method} ${path}`, res);
  return res.status === 204 ? undefined : json(res);
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>, every = 250): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s`);
    await sleep(every);
  }
}

// What the flows share: the asset under test and what the edge answered for it.
const run: {
  assetId?: string;
  playback?: any;
  /** A URL of the master playlist whose token expires SHORT_TTL_SECONDS after the opener. */
  shortLived?: { url: string; expiresAt: number };
  /** Edge answers for the asset, with a genuine token: each one is a row in its analytics. */
  edgeRequests: number;
  /** The URLs asked of the edge so far: not cold any more. */
  fetched: Set<string>;
  deleted: boolean;
  /** Made along the way and removed at the end whatever happened. */
  cleanup: Array<() => Promise<unknown>>;
} = { edgeRequests: 0, fetched: new Set(), deleted: false, cleanup: [] };

async function edgeGet(url: string): Promise<Response> {
  const res = await fetch(url);
  run.edgeRequests++;
  run.fetched.add(url);
  return res;
}

const needAsset = () => {
  if (!run.assetId || !run.playback) throw new Skip('no playable asset (the upload flow failed)');
  return { id: run.assetId, playback: run.playback };
};

/** The URIs a playlist lists (media playlists, EXT-X-MEDIA's included; segments and EXT-X-MAP's init), resolved against it. */
function playlistUris(text: string, base: string): string[] {
  const uris: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    const map = /^#EXT-X-(?:MAP|MEDIA):.*URI="([^"]+)"/.exec(line);
    if (map) uris.push(new URL(map[1]!, base).toString());
    else if (line && !line.startsWith('#')) uris.push(new URL(line, base).toString());
  }
  return uris;
}

async function edgeText(url: string): Promise<string> {
  const res = await edgeGet(url);
  if (res.status !== 200) throw await unexpected(`the edge (${new URL(url).pathname.split('/').slice(3).join('/')})`, res);
  return res.text();
}

/** The artifact path of a playback URL (after /p/{token}/{asset id}/), for the report. */
const artifactOf = (url: string) => new URL(url).pathname.split('/').slice(4).join('/');

const flows: Array<{ name: string; run(): Promise<string> }> = [
  {
    name: 'api and key',
    async run() {
      const account = await call('GET', '/v1/account');
      return `account ${account.name ?? account.id} (${account.plan ?? 'default'} plan)`;
    },
  },
  {
    name: 'upload → opener → HLS via edge',
    async run() {
      const dir = await mkdtemp(join(tmpdir(), 'kino-smoke-'));
      run.cleanup.push(() => rm(dir, { recursive: true, force: true }));
      const file = await makeFixture('standard', join(dir, 'smoke.mp4'), { seconds: 12 });
      const t0 = Date.now();
      // Streamed from disk (tus when the api offers it), as `kino upload` sends a file.
      const asset = await uploadFile(kino, file, { title: 'kino-smoke' });
      run.assetId = asset.id;
      run.cleanup.push(() => (run.deleted ? Promise.resolve() : call('DELETE', `/v1/assets/${asset.id}`, undefined, [200, 202, 204, 404])));
      // Both waits watch the asset's events on the SSE stream; a failed asset ends them with its error.
      await kino.assets.waitUntil(asset.id, 'opener_ready', { timeoutMs: 60_000 });
      const opener = (Date.now() - t0) / 1000;
      const short = await call('GET', `/v1/assets/${asset.id}/playback?ttl_seconds=${SHORT_TTL_SECONDS}`);
      if (short.urls.master) run.shortLived = { url: short.urls.master, expiresAt: Date.parse(short.expires_at) };
      const ready = await kino.assets.waitUntil(asset.id, 'hls_ready', { timeoutMs: READY_MS });
      const hls = (Date.now() - t0) / 1000;
      run.playback = await call('GET', `/v1/assets/${ready.id}/playback`);
      const master = run.playback.urls.master as string;
      const media = playlistUris(await edgeText(master), master);
      if (media.length === 0) throw new Error('the master playlist lists no media playlist');
      // A video rendition's (the master lists them after the audio's EXT-X-MEDIA) init and first segment, as a player starts.
      const [init, segment] = playlistUris(await edgeText(media.at(-1)!), media.at(-1)!);
      let bytes = 0;
      for (const url of [init!, segment!]) bytes += (await (await edgeGetOk(url)).arrayBuffer()).byteLength;
      return `opener ${opener.toFixed(1)} s, hls_ready ${hls.toFixed(1)} s after upload; master, ${artifactOf(segment!)} and its init (${bytes} B) from ${new URL(master).origin}`;
    },
  },
  {
    name: 'signed-URL refusals',
    async run() {
      const { playback } = needAsset();
      const master = new URL(playback.urls.master as string);
      const parts = master.pathname.split('/'); // ['', 'p', token, asset id, …path]
      const token = parts[2]!;
      const signature = token.slice(token.lastIndexOf('.') + 1);
      const flipped = signature[10] === 'A' ? 'B' : 'A';
      const tampered = `${token.slice(0, token.lastIndexOf('.') + 1)}${signature.slice(0, 10)}${flipped}${signature.slice(11)}`;
      const withPath = (t: string, asset: string) =>
        new URL([...parts.slice(0, 2), t, asset, ...parts.slice(4)].join('/'), master).toString();
      const refused = async (what: string, url: string) => {
        const res = await fetch(url);
        const body = await json(res);
        if (res.status !== 401 && res.status !== 403) throw new Error(`${what}: the edge answered ${res.status}, not 401/403`);
        return `${what} ${res.status} ${body?.error?.code ?? ''}`.trim();
      };
      const seen = [await refused('tampered', withPath(tampered, parts[3]!)), await refused('other asset', withPath(token, randomUUID()))];
      if (run.shortLived) {
        const { url, expiresAt } = run.shortLived;
        await sleep(Math.max(0, expiresAt + EDGE_LEEWAY_MS + 1000 - Date.now()));
        // A clock of ours behind the edge's would make the first ask early: ask again briefly.
        const expired = await until('the expired token refused', 10_000, async () => {
          const res = await edgeGet(url);
          const body = await json(res);
          return res.status === 200 ? undefined : { status: res.status, code: body?.error?.code ?? '' };
        });
        if (expired.status !== 401 && expired.status !== 403) throw new Error(`expired: the edge answered ${expired.status}, not 401/403`);
        seen.push(`expired ${expired.status} ${expired.code}`.trim());
      }
      return seen.join(', ');
    },
  },
  {
    name: 'coalesced cold fill',
    async run() {
      const { playback } = needAsset();
      const master = playback.urls.master as string;
      // Not warmed (the startup set is) and not asked for by the flows before: the last such segment of the last playlist.
      const warm = new Set<string>([...(playback.prefetch ?? []), ...run.fetched]);
      const media = playlistUris(await edgeText(master), master);
      const last = media.at(-1)!;
      const cold = playlistUris(await edgeText(last), last)
        .filter((u) => !warm.has(u))
        .at(-1);
      if (!cold) throw new Skip('every segment is warm already');
      const answers = await Promise.all(
        Array.from({ length: CONCURRENT }, async () => {
          const res = await edgeGet(cold);
          const body = Buffer.from(await res.arrayBuffer());
          if (res.status !== 200) throw new Error(`a concurrent GET answered ${res.status}`);
          return { cache: res.headers.get('x-kino-cache') ?? 'none', digest: createHash('sha256').update(body).digest('hex') };
        }),
      );
      const count = (c: string) => answers.filter((a) => a.cache === c).length;
      if (new Set(answers.map((a) => a.digest)).size !== 1) throw new Error('the concurrent answers differ in their bytes');
      const tally = `${count('MISS')} MISS, ${count('COALESCED')} COALESCED, ${count('HIT')} HIT`;
      // One MISS is one origin fill: every other request joined it (COALESCED) or came after it (HIT).
      if (count('MISS') !== 1 || count('MISS') + count('COALESCED') + count('HIT') !== CONCURRENT) {
        throw new Error(`${CONCURRENT} concurrent GETs of ${artifactOf(cold)}: ${tally} (X-Kino-Cache), not one origin fill`);
      }
      return `${CONCURRENT} concurrent GETs of ${artifactOf(cold)}: ${tally} → one origin fill`;
    },
  },
  {
    name: 'events + SSE replay',
    async run() {
      const { id } = needAsset();
      const ids: number[] = [];
      for await (const e of kino.assets.events(id)) ids.push(e.id);
      if (ids.length < 2) throw new Error(`the asset has ${ids.length} event(s); an upload makes more`);
      const missed = ids.slice(1);
      // Resume as a client that saw only the first event: the stream replays the rest, in order.
      const abort = new AbortController();
      const replayed: number[] = [];
      const timer = setTimeout(() => abort.abort(), 15_000);
      try {
        for await (const e of kino.events.stream({ assetId: id, lastEventId: String(ids[0]), signal: abort.signal })) {
          replayed.push(e.id);
          if (replayed.length >= missed.length) break;
        }
      } finally {
        clearTimeout(timer);
      }
      const got = replayed.slice(0, missed.length);
      if (got.join() !== missed.join()) {
        throw new Error(`after Last-Event-ID ${ids[0]} the stream sent [${got.join(', ')}], the log has [${missed.join(', ')}]`);
      }
      return `Last-Event-ID ${ids[0]}: the ${missed.length} later events replayed in order`;
    },
  },
  { name: 'webhook delivery', run: webhookFlow },
  {
    name: 'analytics counted',
    async run() {
      const { id } = needAsset();
      const t0 = Date.now();
      let last = 0;
      await until(
        'the edge requests in the analytics',
        SETTLE_MS,
        async () => {
          const res = await fetch(`${api}/v1/assets/${id}/analytics/playback`, { headers: auth });
          if (res.status !== 200) throw await unexpected('GET …/analytics/playback', res);
          last = ((await res.json()) as { requests: number }).requests;
          return last >= run.edgeRequests ? last : undefined;
        },
        1000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}: ${last} of the ${run.edgeRequests} requests made with the asset's tokens counted`);
      });
      return `${last} requests counted (${run.edgeRequests} made with the asset's tokens) ${((Date.now() - t0) / 1000).toFixed(1)} s later`;
    },
  },
  {
    name: 'delete → 410 at the edge',
    async run() {
      const { id, playback } = needAsset();
      await call('DELETE', `/v1/assets/${id}`, undefined, [200, 202, 204]);
      run.deleted = true;
      const t0 = Date.now();
      const gone = await until('the edge refusing the deleted asset', SETTLE_MS, async () => {
        const res = await fetch(playback.urls.master);
        const body = await json(res);
        return res.status === 410 ? body : undefined;
      });
      const after = await fetch(`${api}/v1/assets/${id}/playback`, { headers: auth });
      await after.arrayBuffer();
      if (after.status !== 404) throw new Error(`GET /v1/assets/{id}/playback answered ${after.status} after the delete, not 404`);
      return `edge 410 ${gone.error?.code ?? ''} ${((Date.now() - t0) / 1000).toFixed(1)} s after the delete; api playback 404`;
    },
  },
];

async function edgeGetOk(url: string): Promise<Response> {
  const res = await edgeGet(url);
  if (res.status !== 200) throw await unexpected(`the edge (${artifactOf(url)})`, res);
  return res;
}

/**
 * A listener of ours receives the account's asset.created webhooks while a direct upload is
 * opened (an asset without bytes). Loopback unless KINO_SMOKE_WEBHOOK_URL names a public URL
 * that reaches it (a tunnel to KINO_SMOKE_WEBHOOK_PORT): a production api refuses to deliver
 * to private addresses, and the flow then says so rather than failing.
 */
async function webhookFlow(): Promise<string> {
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(Number(env['KINO_SMOKE_WEBHOOK_PORT'] ?? 0), '127.0.0.1', r));
  try {
    const port = (server.address() as { port: number }).port;
    const url = env['KINO_SMOKE_WEBHOOK_URL'] ?? `http://127.0.0.1:${port}/kino-smoke`;
    const hook = await call('POST', '/v1/webhooks', { url, event_types: ['asset.created'] }, [201]);
    run.cleanup.push(() => call('DELETE', `/v1/webhooks/${hook.id}`, undefined, [200, 204, 404]));
    const t0 = Date.now();
    const made = await call('POST', '/v1/uploads', { content_type: 'video/mp4' }, [201]);
    const assetId = made.asset.id as string;
    run.cleanup.push(() => call('DELETE', `/v1/assets/${assetId}`, undefined, [200, 202, 204, 404]));
    let polled = 0;
    const delivery = await until('a delivery of asset.created', SETTLE_MS, async () => {
      const hit = received.find((r) => r.body.includes(assetId));
      if (hit) return hit;
      if (Date.now() - polled > 1000) {
        polled = Date.now();
        const page = await call('GET', `/v1/webhooks/${hook.id}/deliveries`);
        const blocked = page.data.find((d: { last_error: string | null }) => d.last_error?.startsWith('blocked'));
        if (blocked) {
          throw new Skip(
            `the api refuses to deliver to ${new URL(url).host} (a private address: WEBHOOK_ALLOW_PRIVATE is off); ` +
              'set KINO_SMOKE_WEBHOOK_URL to a public URL that reaches KINO_SMOKE_WEBHOOK_PORT',
          );
        }
      }
      return undefined;
    });
    // Standard Webhooks: throws WEBHOOK_SIGNATURE_INVALID unless a signature matches.
    const payload = await verifyWebhook(delivery.headers, delivery.body, hook.secret);
    if (payload.type !== 'asset.created' || payload.data?.asset_id !== assetId)
      throw new Error(`unexpected payload ${delivery.body.slice(0, 200)}`);
    return `asset.created delivered ${((Date.now() - t0) / 1000).toFixed(1)} s after the event, signature verified`;
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/** What failed: the SDK's errors with their status and code, as `call` reports the api's. */
function describe(err: unknown): string {
  if (err instanceof KinoError) return `${err.status ? `${err.status} ` : ''}${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

console.log(`kino smoke: ${api}\n`);
const started = Date.now();
let failed = 0;
let skipped = 0;
try {
  for (const [i, flow] of flows.entries()) {
    const t0 = Date.now();
    let status: 'ok' | 'FAIL' | 'skipped' = 'ok';
    let detail: string;
    try {
      detail = await flow.run();
    } catch (err) {
      status = err instanceof Skip ? 'skipped' : 'FAIL';
      detail = describe(err);
    }
    if (status === 'FAIL') failed++;
    if (status === 'skipped') skipped++;
    const took = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    console.log(`  ${status.padEnd(7)} ${flow.name.padEnd(31)} ${took.padStart(7)}  ${detail}`);
    // Without the api and a key that works nothing else can be checked.
    if (i === 0 && status === 'FAIL') {
      skipped += flows.length - 1;
      break;
    }
  }
} finally {
  for (const clean of run.cleanup.reverse()) {
    await clean().catch((err) => console.log(`  cleanup: ${err instanceof Error ? err.message : err}`));
  }
}
const ok = flows.length - failed - skipped;
console.log(`\n${ok} ok, ${failed} failed, ${skipped} skipped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed > 0 ? 1 : 0);
