import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, recordNetwork, startPageServer, type Browser, type NetworkEntry, type PageServer } from './browser.ts';
import { startPlayerStack, type PlayerStack } from '@kino/testkit-stack';

let s: PlayerStack;
let pages: PageServer;
let assetId: string;
let browser: Browser | undefined;

beforeAll(async () => {
  [s, pages] = await Promise.all([startPlayerStack(), startPageServer()]);
  // Two rungs (360p, 240p), the opener is the first 4 s.
  assetId = await s.uploadReady('standard', { width: 640, height: 360, seconds: 12 });
});
afterEach(async () => {
  // Whatever the test did, no page tried a host outside the stack (Chromium resolves none).
  const outside = browser?.outside.slice() ?? [];
  await browser?.close();
  browser = undefined;
  expect(outside).toEqual([]);
});
afterAll(async () => {
  await pages?.close();
  await s?.close();
});

/** A fresh browser (empty cache) recording its network. */
async function open(): Promise<{ b: Browser; net: { entries: NetworkEntry[]; mark(): number } }> {
  browser = await launchChromium();
  return { b: browser, net: await recordNetwork(browser) };
}

/** A page of our own that mounts the player with `block`; its refresh callback counts calls. */
function mountPage(block: unknown): string {
  return pages.page(`<!doctype html><body><script type="module">
import { mount } from '${s.api.url}/player/kino-player.js';
window.refreshes = 0;
mount(document.body, {
  playback: ${JSON.stringify(block)},
  controls: true,
  refresh: async () => {
    window.refreshes++;
    return (await fetch('${s.api.url}/player/${assetId}/playback')).json();
  },
});
</script></body>`);
}

const video = (b: Browser, expr: string) =>
  b.page.evaluate(`(() => { const v = document.querySelector('kino-player').video; return ${expr}; })()`);
const waitVideo = (b: Browser, expr: string, timeout = 60_000) =>
  b.page.waitForFunction(`(() => { const v = document.querySelector('kino-player').video; return ${expr}; })()`, undefined, {
    polling: 100,
    timeout,
  });
const ready = (b: Browser) => b.page.waitForFunction('window.kinoEvents.some((e) => e.type === "ready")');
const play = (b: Browser) => b.page.locator('kino-player button[part=play]').click();
const fetched = (net: { entries: NetworkEntry[] }, url: string) =>
  net.entries.some((e) => e.url === url && !e.fromCache && e.status !== undefined);

describe('prefetch', () => {
  it('fetches the HLS startup files at page load, and the first play reads them from the cache', async () => {
    const { b, net } = await open();
    await b.page.goto(`${s.api.url}/player/${assetId}`);
    await ready(b);
    const block = JSON.parse((await b.page.locator('kino-player').getAttribute('playback'))!);
    const hints: string[] = block.prefetch.filter((u: string) => u !== block.urls.opener);
    expect(hints.map((u) => u.split(`/${assetId}/`)[1])).toEqual([
      'hls/master.m3u8',
      'hls/360p/index.m3u8',
      'hls/360p/init.mp4',
      'hls/360p/0.m4s',
      'hls/360p/1.m4s',
      // The sound is its own rendition: its startup files come with the video's.
      'hls/audio/index.m3u8',
      'hls/audio/init.mp4',
      'hls/audio/0.m4s',
      'hls/audio/1.m4s',
    ]);
    await expect.poll(() => hints.every((u) => fetched(net, u)), { timeout: 30_000 }).toBe(true);

    const click = net.mark();
    await play(b);
    await waitVideo(b, 'v.currentTime > 1');
    for (const url of hints) {
      const overNetwork = net.entries.filter((e) => e.url === url && !e.fromCache);
      expect(overNetwork, url).toHaveLength(1);
      expect(overNetwork[0]!.seq, url).toBeLessThan(click);
    }
    // What the play request needed first came from the browser's cache.
    for (const url of hints.filter((u) => /init\.mp4$|\/0\.m4s$/.test(u))) {
      expect(
        net.entries.some((e) => e.url === url && e.seq >= click && e.fromCache),
        url,
      ).toBe(true);
    }
    // HLS never reads the opener, so it is not fetched.
    expect(net.entries.some((e) => e.url === block.urls.opener)).toBe(false);
  });

  it('plays the prefetched opener while only it is ready, then picks up HLS where it ends', async () => {
    const block = await s.playback(assetId);
    const openerOnly = {
      ...block,
      playable_state: 'opener_ready',
      startup_rendition: null,
      urls: { ...block.urls, master: null },
      prefetch: [block.urls.opener],
    };
    const { b, net } = await open();
    await b.page.goto(mountPage(openerOnly));
    await ready(b);
    await expect.poll(() => fetched(net, block.urls.opener), { timeout: 30_000 }).toBe(true);

    const click = net.mark();
    await play(b);
    // The opener is the first 4 s; past 5 s the HLS ladder is playing.
    await waitVideo(b, 'v.currentTime > 5');
    const opener = net.entries.filter((e) => e.url === block.urls.opener);
    expect(opener.filter((e) => !e.fromCache).map((e) => e.seq < click)).toEqual([true]);
    expect(opener.filter((e) => e.seq >= click).every((e) => e.fromCache)).toBe(true);
    expect(await b.page.evaluate('window.refreshes')).toBeGreaterThanOrEqual(1);
    // HLS took over at the opener's end (4 s), not from the start: what the new source has
    // played begins there.
    expect(await video(b, 'v.played.start(0)')).toBeGreaterThan(3.5);
    expect(net.entries.some((e) => e.seq >= click && e.url.endsWith('/hls/360p/2.m4s') && e.status === 200)).toBe(true);
    expect(((await b.page.evaluate('window.kinoEvents')) as { type: string }[]).map((e) => e.type)).not.toContain('error');
  });
});

describe('an expired token', () => {
  it('makes the player ask the page for a fresh bootstrap, and playback goes on from where it was', async () => {
    const short = await s.playback(assetId, '?ttl_seconds=10');
    const { b, net } = await open();
    await b.page.goto(mountPage(short));
    await ready(b);
    await play(b);
    await waitVideo(b, 'v.currentTime > 1');
    await video(b, 'v.pause()');
    // Past the expiry and the edge's clock tolerance (5 s).
    await b.page.waitForFunction(`Date.now() > ${Date.parse(short.expires_at) + 6000}`, undefined, { timeout: 60_000 });

    // A rendition nothing was loaded from yet needs the network, under the expired token.
    const renditions = (await b.page.evaluate('document.querySelector("kino-player").renditions')) as { name: string; height: number }[];
    const fresh = renditions.find((r) => !net.entries.some((e) => e.url.includes(`/hls/${r.name}/`) && e.url.endsWith('.m4s')))!;
    expect(fresh).toBeDefined();
    const position = (await video(b, 'v.currentTime')) as number;
    const switched = net.mark();
    await b.page.evaluate(`document.querySelector('kino-player').rendition = ${JSON.stringify(fresh.name)}`);
    await video(b, 'v.play()');
    // A refresh, a new edge fill and a rendition switch: slow on a loaded machine.
    await waitVideo(b, `v.videoHeight === ${fresh.height} && v.currentTime > ${position + 1}`, 120_000);

    const after = net.entries.slice(switched);
    const oldToken = short.beacon.token as string;
    expect(after.some((e) => e.url.includes(`/p/${oldToken}/`) && e.status === 401)).toBe(true);
    expect(await b.page.evaluate('window.refreshes')).toBe(1);
    expect(after.some((e) => !e.url.includes(oldToken) && e.url.includes(`/hls/${fresh.name}/`) && e.status === 200)).toBe(true);
    // It went on from where it was paused, not from the start.
    expect(await video(b, 'v.currentTime')).toBeGreaterThan(position);
    expect(((await b.page.evaluate('window.kinoEvents')) as { type: string }[]).map((e) => e.type)).not.toContain('error');
  });
});
