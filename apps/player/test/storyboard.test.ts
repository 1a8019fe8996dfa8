import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPlayerStack, type PlayerStack } from '@kino/testkit-stack';
import { launchChromium, recordNetwork, type Browser, type NetworkEntry } from './browser.ts';

// The storyboard on the seek bar, in Chromium: hovering the bar shows the sprite's tile for
// the time under the pointer; the WebVTT file is fetched once, on the first hover.

let s: PlayerStack;
let browser: Browser;
let network: { entries: NetworkEntry[]; mark(): number };
let assetId: string;

beforeAll(async () => {
  [s, browser] = await Promise.all([startPlayerStack(), launchChromium()]);
  network = await recordNetwork(browser);
  // 12 s: twelve 160x120 tiles, one a second, ten to a row.
  assetId = await s.uploadReady('standard', { seconds: 12 });
});
afterEach(() => {
  expect(browser.outside).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

const preview = () =>
  browser.page.evaluate(`(() => {
    const p = document.querySelector('kino-player').shadowRoot.querySelector('[part=preview]');
    return { hidden: p.hidden, position: p.style.backgroundPosition, image: p.style.backgroundImage, width: p.style.width, height: p.style.height, time: Number(p.dataset.time) };
  })()`) as Promise<{ hidden: boolean; position: string; image: string; width: string; height: string; time: number }>;

describe('seek-bar previews', () => {
  it('show the storyboard tile of the time under the pointer', async () => {
    await browser.page.goto(`${s.api.url}/player/${assetId}`);
    await browser.page.waitForFunction('window.kinoEvents.some((e) => e.type === "ready")');
    const bar = browser.page.locator('kino-player [part=seekbar]');
    await bar.waitFor({ state: 'visible' });
    const box = (await bar.boundingBox())!;
    const from = network.mark();
    const cases: Array<[number, string]> = [
      [0.02, '0px 0px'], // 0.24 s: tile 0
      [0.55, '-960px 0px'], // 6.6 s: tile 6
      [0.96, '-160px -120px'], // 11.5 s: tile 11, the second row's second
    ];
    for (const [fraction, position] of cases) {
      await browser.page.mouse.move(box.x + box.width * fraction, box.y + box.height / 2);
      await browser.page.waitForFunction(
        `document.querySelector('kino-player').shadowRoot.querySelector('[part=preview]').style.backgroundPosition === ${JSON.stringify(position)}`,
        undefined,
        { timeout: 10_000 },
      );
      const p = await preview();
      expect(p).toMatchObject({ hidden: false, position, width: '160px', height: '120px' });
      expect(p.image).toMatch(/\/storyboard\.jpg"\)$/);
      expect(p.time).toBeCloseTo(fraction * 12, 1);
    }
    // The WebVTT file once, however often the pointer moved; the sprite loads.
    await browser.page.waitForFunction(
      `document.querySelector('kino-player').shadowRoot.querySelector('[part=preview]').checkVisibility()`,
    );
    const asked = network.entries.slice(from).map((e) => e.url);
    expect(asked.filter((u) => u.endsWith('/storyboard.vtt'))).toHaveLength(1);
    await expect.poll(() => network.entries.slice(from).some((e) => e.url.endsWith('/storyboard.jpg') && e.status === 200)).toBe(true);
    // Leaving the bar hides the preview.
    await browser.page.mouse.move(box.x + box.width / 2, box.y - 100);
    await expect.poll(async () => (await preview()).hidden).toBe(true);
  });
});
