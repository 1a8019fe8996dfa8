import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPageServer, type Browser, type PageServer } from './browser.ts';
import { startPlayerStack, type PlayerStack } from '@kino/testkit-stack';

// What an embedding page sees when its <kino-player> cannot play: a clear `error` event,
// its message on screen, and never an uncaught exception. The pages are served from
// another origin than the api (another port), as on a customer's site.

let s: PlayerStack;
let pages: PageServer;
let browser: Browser;
/** Uncaught exceptions (and unhandled rejections) of the page since the last test. */
const uncaught: string[] = [];

beforeAll(async () => {
  [s, pages, browser] = await Promise.all([startPlayerStack(), startPageServer(), launchChromium()]);
  browser.page.on('pageerror', (e) => uncaught.push(String(e)));
});
afterEach(() => {
  expect(uncaught.splice(0)).toEqual([]);
  // No page tried a host outside the stack (Chromium resolves none; see browser.ts).
  expect(browser.outside).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await s?.close();
});

const attribute = (v: string) => v.replace(/[&"<>']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page of another origin with one player: the tag with `playback` as its attribute, or mount() with it. */
function playerPage(playback: unknown, how: 'attribute' | 'mount' = 'attribute'): string {
  const bundle = `${s.api.url}/player/kino-player.js`;
  return pages.page(
    how === 'attribute'
      ? `<!doctype html><body><script type="module" src="${bundle}"></script>
<kino-player controls playback="${attribute(playback as string)}"></kino-player></body>`
      : `<!doctype html><body><script type="module">
import { mount } from '${bundle}';
mount(document.body, { playback: ${JSON.stringify(playback)}, controls: true });
</script></body>`,
  );
}

interface Shown {
  events: { type: string; detail: { code: string; message: string } }[];
  /** The text of the player's message layer, once it is visible. */
  onScreen: string;
}

/** Opens `url` and waits for the player's `error` event. */
async function errorOf(url: string): Promise<Shown> {
  expect(new URL(url).origin).not.toBe(new URL(s.api.url).origin);
  await browser.page.goto(url);
  await browser.page.waitForFunction('window.kinoEvents.some((e) => e.type === "error")');
  const message = browser.page.locator('kino-player [part=message]');
  await expect.poll(() => message.isVisible()).toBe(true);
  return { events: (await browser.page.evaluate('window.kinoEvents')) as Shown['events'], onScreen: (await message.textContent()) ?? '' };
}

describe('a bootstrap URL answering an error', () => {
  it('gives NOT_FOUND with the API’s message, on screen, for an unknown asset on another origin (not NETWORK)', async () => {
    const url = `${s.api.url}/player/${crypto.randomUUID()}/playback`;
    const api = (await (await fetch(url)).json()) as { error: { code: string; message: string } };
    expect(api.error.code).toBe('NOT_FOUND');

    const shown = await errorOf(playerPage(url));
    expect(shown.events).toEqual([{ type: 'error', detail: { code: 'NOT_FOUND', message: api.error.message } }]);
    expect(shown.onScreen).toBe(api.error.message);
  });

  it('gives NOT_FOUND with the API’s message for a mistyped (non-uuid) id', async () => {
    const url = `${s.api.url}/player/not-an-asset-id/playback`;
    const res = await fetch(url);
    expect(res.status).toBe(400);
    const api = (await res.json()) as { error: { message: string } };

    const shown = await errorOf(playerPage(url));
    expect(shown.events).toEqual([{ type: 'error', detail: { code: 'NOT_FOUND', message: api.error.message } }]);
    expect(shown.onScreen).toBe(api.error.message);
  });
});

describe('a playback that is not a playback block', () => {
  let asset: Record<string, unknown>;
  beforeAll(async () => {
    asset = await s.asset(await s.upload('standard', { seconds: 1 }));
    expect(asset['id']).toEqual(expect.any(String));
  });

  /** The one error event, INVALID_PLAYBACK, and its message on screen; returns the message. */
  async function invalid(url: string): Promise<string> {
    const shown = await errorOf(url);
    expect(shown.events).toEqual([{ type: 'error', detail: { code: 'INVALID_PLAYBACK', message: expect.any(String) } }]);
    const message = shown.events[0]!.detail.message;
    expect(message).toContain('playback must be the block from GET /v1/assets/{id}/playback (asset_id, urls.master');
    expect(shown.onScreen).toBe(message);
    return message;
  }

  it('an asset (GET /v1/assets/{id}) as JSON in the attribute, or as an object to mount()', async () => {
    expect(await invalid(playerPage(JSON.stringify(asset)))).toContain('this looks like an asset');
    expect(await invalid(playerPage(asset, 'mount'))).toContain('this looks like an asset');
  });

  it('an empty object, JSON that does not parse, and a URL answering a page rather than a bootstrap', async () => {
    expect(await invalid(playerPage('{}'))).toContain('got an empty object');
    expect(await invalid(playerPage({}, 'mount'))).toContain('got an empty object');
    expect(await invalid(playerPage('{"asset_id": '))).toContain('this JSON does not parse');
    // A URL answering a web page (CORS-open, whatever the query) in place of a bootstrap.
    const html = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'access-control-allow-origin': '*' });
      res.end('<!doctype html><title>not a bootstrap</title>');
    });
    await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(html.address() as AddressInfo).port}/watch/1`;
      expect(await invalid(playerPage(url))).toContain(`${url} answered text/html that is not JSON`);
    } finally {
      await new Promise((r) => html.close(r));
    }
  });

  it('a block missing what the player reads names the fields', async () => {
    expect(await invalid(playerPage(JSON.stringify({ asset_id: asset['id'], urls: {} })))).toContain(
      'missing or wrong: playable_state, expires_at, urls.master or urls.opener, prefetch',
    );
  });
});
