import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

// Player events do not bubble; a capturing listener on window sees them all. (A string, not
// a function: the bench runs under tsx, whose transform would leave helper calls in it.)
const RECORD_EVENTS = `window.kinoEvents = [];
for (const type of ['ready', 'playing', 'error']) {
  addEventListener(type, (e) => {
    if (e.target?.localName === 'kino-player') window.kinoEvents.push({ type, detail: e.detail });
  }, true);
}`;

export interface Browser {
  context: BrowserContext;
  page: Page;
  /**
   * Every request any page of this browser tried to send to a host other than the stack's
   * loopback address (127.0.0.1), in order. Chromium fails them at name resolution (see
   * ONLY_LOOPBACK), so they never leave the machine; tests assert this stays empty.
   */
  outside: string[];
  close(): Promise<void>;
}

/** The one host the stack and test pages listen on. */
export const STACK_HOST = '127.0.0.1';

/**
 * Chromium's resolver maps every host but the stack's to "not found", IP literals included
 * (checked: a listener on 127.0.0.2 sees no connection), so nothing outside the stack can be
 * loaded, whatever DevTools happened to record.
 */
export const ONLY_LOOPBACK = `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${STACK_HOST}`;

const isOutside = (url: string) => !/^(data|blob|about|chrome|devtools):/.test(url) && new URL(url).hostname !== STACK_HOST;

/** Debian's Chromium, headless, on a fresh profile; never a downloaded browser. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}; run: node scripts/bootstrap.mjs --need chromium -- true`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'kino-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ONLY_LOOPBACK,
    ],
  });
  const outside: string[] = [];
  // Requests (beacons and workers' included) of every page, and WebSockets, which are not requests.
  context.on('request', (r) => {
    if (isOutside(r.url())) outside.push(r.url());
  });
  const watchSockets = (p: Page) =>
    p.on('websocket', (ws) => {
      if (isOutside(ws.url())) outside.push(ws.url());
    });
  context.pages().forEach(watchSockets);
  context.on('page', watchSockets);
  await context.addInitScript(RECORD_EVENTS);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    outside,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface NetworkEntry {
  url: string;
  method: string;
  /** Position in the order requests were sent. */
  seq: number;
  status?: number;
  /** Answered by the HTTP cache (memory or disk) rather than the network. */
  fromCache: boolean;
  postData?: string;
}

/** Every request of the page, in order, with whether the browser's cache answered it (from CDP). */
export async function recordNetwork(b: Browser): Promise<{ entries: NetworkEntry[]; mark(): number }> {
  const cdp = await b.context.newCDPSession(b.page);
  const entries: NetworkEntry[] = [];
  const byId = new Map<string, NetworkEntry>();
  cdp.on('Network.requestWillBeSent', (e) => {
    const entry: NetworkEntry = {
      url: e.request.url,
      method: e.request.method,
      seq: entries.length,
      fromCache: false,
      postData: e.request.postData,
    };
    entries.push(entry);
    byId.set(e.requestId, entry);
    // Blob bodies (sendBeacon's) are not inlined in the event; ask for them.
    if (e.request.hasPostData && entry.postData === undefined) {
      cdp.send('Network.getRequestPostData', { requestId: e.requestId }).then(
        (r) => (entry.postData = r.postData),
        () => {},
      );
    }
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const entry = byId.get(e.requestId);
    if (entry) entry.fromCache = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    const entry = byId.get(e.requestId);
    if (!entry) return;
    entry.status = e.response.status;
    if (e.response.fromDiskCache || e.response.fromPrefetchCache) entry.fromCache = true;
  });
  await cdp.send('Network.enable');
  return { entries, mark: () => entries.length };
}

/** Luma samples of a PNG, decoded by ffmpeg, so the check does not trust the page. */
export async function lumaOf(png: Buffer, dir: string): Promise<{ mean: number; distinct: number }> {
  const file = join(dir, `shot-${Date.now()}.png`);
  await writeFile(file, png);
  const { stdout } = await promisify(execFile)('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 << 20,
  });
  await rm(file);
  let sum = 0;
  const seen = new Set<number>();
  for (const v of stdout) {
    sum += v;
    seen.add(v);
  }
  return { mean: sum / stdout.length, distinct: seen.size };
}

export interface PageServer {
  /** Serves `html` at a new path and returns its URL. */
  page(html: string): string;
  close(): Promise<void>;
}

/**
 * Pages a test writes itself, served from loopback like the stack: Chromium lets only pages
 * from a local address reach local addresses (Local Network Access), so a page injected
 * with page.route could not talk to the edge.
 */
export async function startPageServer(): Promise<PageServer> {
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    const html = pages.get(req.url ?? '');
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    page(html) {
      const path = `/page-${pages.size}`;
      pages.set(path, html);
      return base + path;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
