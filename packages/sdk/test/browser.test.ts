import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startStack, type Stack } from '@kino/testkit-stack';
import { type Browser, launchChromium } from '../../../apps/player/test/browser.ts';

// The built browser entry in real Chromium, on a page served from the api's origin (a
// reverse proxy in front of it, as a console would be): it uploads a Blob over tus (Blob
// slices, since browsers stream no request body over HTTP/1.1; this 2 s clip is one slice, and
// uploads.test.ts covers the slicing with a small piece size), reads the asset back and
// verifies a webhook signature with WebCrypto.

const run = promisify(execFile);
const sdkDir = new URL('..', import.meta.url).pathname;

let s: Stack;
let browser: Browser;
let site: Server;
let origin: string;
let clip: Buffer;

/** The built SDK and openapi-fetch under /lib/, a page at /, everything else proxied to the api. */
async function startSite(dist: string): Promise<Server> {
  const files: Record<string, string> = {
    '/lib/openapi-fetch.js': join(sdkDir, '../../node_modules/openapi-fetch/dist/index.mjs'),
  };
  // The page imports the SDK itself: a dynamic import inside page.evaluate would be rewritten by vitest.
  const page =
    '<!doctype html><title>sdk</title><script type="importmap">{"imports":{"openapi-fetch":"/lib/openapi-fetch.js"}}</script>' +
    '<script type="module">import * as sdk from "/lib/sdk/index.js"; window.kinoSdk = sdk;</script>';
  const server = createServer(async (req, res) => {
    const url = req.url ?? '/';
    if (url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (url === '/clip.mp4') return void res.writeHead(200, { 'content-type': 'video/mp4' }).end(clip);
    if (url.startsWith('/lib/')) {
      const file = files[url] ?? join(dist, url.slice('/lib/sdk/'.length).replace(/[^a-z.-]/g, ''));
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(file));
    }
    const { hostname, port } = new URL(s.api.url);
    const upstream = request({ hostname, port, path: url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

beforeAll(async () => {
  const [stack, out, b] = await Promise.all([startStack(), scratchDir('kino-sdk-browser-'), launchChromium()]);
  s = stack;
  browser = b;
  // Its own build, so it cannot race the pack test's (which rebuilds dist/).
  await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', join(out, 'dist')], { cwd: sdkDir });
  clip = await readFile(await makeFixture('standard', join(out, 'clip.mp4'), { seconds: 2 }));
  site = await startSite(join(out, 'dist'));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => site?.close(r));
  await s?.close();
});

describe('@kino/sdk in Chromium', () => {
  it('uploads a Blob over tus, reads the asset and verifies a webhook signature', async () => {
    const secret = `whsec_${Buffer.from('a secret of thirty-two bytes....').toString('base64')}`;
    const body = JSON.stringify({ type: 'asset.created', timestamp: new Date().toISOString(), data: { id: 1 } });
    const timestamp = Math.floor(Date.now() / 1000);
    const mac = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update(`msg_1.${timestamp}.${body}`)
      .digest('base64');
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${mac}` };

    await browser.page.goto(`${origin}/`);
    await browser.page.waitForFunction('window.kinoSdk');
    const result = await browser.page.evaluate(
      async ({ key, headers, body, secret }) => {
        const { createKino } = (window as any).kinoSdk;
        const kino = createKino({ baseUrl: location.origin, apiKey: key });
        const blob = await (await fetch('/clip.mp4')).blob();
        const progress: number[] = [];
        const asset = await kino.uploads.create(blob, {
          title: 'from a page',
          onProgress: (p: { sentBytes: number }) => progress.push(p.sentBytes),
        });
        const again = await kino.assets.get(asset.id);
        const verified = await kino.webhooks.verify(headers, body, secret);
        const tampered = await kino.webhooks.verify(headers, `${body} `, secret).catch((e: { code: string }) => e.code);
        const missing = await kino.assets
          .get('00000000-0000-4000-8000-000000000000')
          .catch((e: { code: string; status: number }) => `${e.code} ${e.status}`);
        return { asset: again, size: blob.size, progress, verified, tampered, missing };
      },
      { key: s.key, headers, body, secret },
    );
    expect(result.asset).toMatchObject({ title: 'from a page', source_state: 'uploaded', source: { bytes: result.size } });
    expect(result.progress.at(-1)).toBe(result.size);
    expect(result.verified).toEqual(JSON.parse(body));
    expect(result.tampered).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(result.missing).toBe('NOT_FOUND 404');
    expect(browser.outside).toEqual([]);
  });
});
