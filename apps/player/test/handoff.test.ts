import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, recordNetwork, type Browser, type NetworkEntry } from './browser.ts';
import { startPlayerStack, type PlayerStack } from '@kino/testkit-stack';

// The opener hand-off on an asset that is NOT hls_ready, by construction: the ladder's
// worker is stopped once the opener is out, and what remains is a worker that only makes
// segments just in time (WORKER_CONCURRENCY=0). Every HLS segment past the startup ones is
// encoded when the edge first misses it.

let s: PlayerStack;
let assetId: string;
/** The only worker left: just-in-time segments, no ladder. */
let jit: PlayerStack['worker'];
let browser: Browser | undefined;

/** The 60 s source has 15 segments of 4 s; 52 s is the start of segment 13, past what the first test buffers. */
const SEEK_TO = 52;
const FAR_SEGMENT = /\/hls\/(\d+p)\/13\.m4s$/;

beforeAll(async () => {
  // With no shutdown grace, stopping the worker releases the ladder's job at once.
  s = await startPlayerStack({ WORKER_SHUTDOWN_GRACE_SECONDS: '0' });
  assetId = await s.upload('standard', { width: 640, height: 360, seconds: 60 });
  // The first job (playlists, opener, audio) is done once it has queued the ladder's.
  // (expect.poll is for tests only.)
  const ladderQueued = async () =>
    (await s.db.sql`select 1 from media_jobs where asset_id = ${assetId} and kind = 'encode_ladder'`).length > 0;
  for (const until = Date.now() + 90_000; !(await ladderQueued()); ) {
    if (Date.now() > until) throw new Error('the first job did not finish in 90 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  await s.worker.stop();
  jit = await s.startWorker({ WORKER_CONCURRENCY: '0', WORKER_LADDER_CONCURRENCY: '0' });
  await expectNotHlsReady();
});
afterEach(async () => {
  // Whatever the test did, no page tried a host outside the stack (Chromium resolves none).
  const outside = browser?.outside.slice() ?? [];
  await browser?.close();
  browser = undefined;
  expect(outside).toEqual([]);
});
afterAll(async () => {
  await s?.close();
});

async function expectNotHlsReady(): Promise<void> {
  expect((await s.asset(assetId)).playable_state).toBe('opener_ready');
  const ladder = await s.db.sql`select 1 from asset_events where asset_id = ${assetId} and type = 'asset.rendition_ready'
    and data->>'rendition' <> 'audio'`;
  expect(ladder).toEqual([]);
}

/** A fresh browser (empty cache) recording its network, on the asset's player page. */
async function openPlayerPage(): Promise<{ b: Browser; net: { entries: NetworkEntry[]; mark(): number } }> {
  browser = await launchChromium();
  const net = await recordNetwork(browser);
  await browser.page.goto(`${s.api.url}/player/${assetId}`);
  await browser.page.waitForFunction('window.kinoEvents.some((e) => e.type === "ready")', undefined, { timeout: 60_000 });
  return { b: browser, net };
}

const player = (b: Browser, expr: string) =>
  b.page.evaluate(
    `(() => { const el = document.querySelector('kino-player'); const v = el.video; const message = el.shadowRoot.querySelector('[part=message]'); return ${expr}; })()`,
  );
const waitVideo = (b: Browser, expr: string) =>
  b.page.waitForFunction(`(() => { const v = document.querySelector('kino-player').video; return ${expr}; })()`, undefined, {
    polling: 100,
    timeout: 60_000,
  });
const eventTypes = async (b: Browser) => ((await b.page.evaluate('window.kinoEvents')) as { type: string }[]).map((e) => e.type);

/** What the page shows is playback: no error event, no message over the video, not paused. */
async function expectStillPlaying(b: Browser): Promise<void> {
  expect(await eventTypes(b)).not.toContain('error');
  expect(await player(b, 'message.hidden')).toBe(true);
  expect(await player(b, 'v.paused || v.ended || v.error !== null')).toBe(false);
}

describe('an asset that is not hls_ready', () => {
  it('plays from the start through the hand-off from the opener to HLS, whose segments are made just in time', async () => {
    const { b, net } = await openPlayerPage();
    const block = JSON.parse((await b.page.locator('kino-player').getAttribute('playback'))!);
    // The page's bootstrap: opener first, the master already there.
    expect(block.playable_state).toBe('opener_ready');
    expect(block.urls.master).toMatch(/\/hls\/master\.m3u8$/);

    const ranBefore = jit.segments.ran;
    const click = net.mark();
    await b.page.locator('kino-player button[part=play]').click();
    // The opener plays first: the element's own loader, no HLS renditions.
    await waitVideo(b, 'v.currentTime > 0.5');
    expect(await player(b, 'v.currentSrc')).toMatch(/\/opener\.mp4$/);

    // Past the opener's end (4 s), and on: HLS carries on from there.
    await waitVideo(b, 'v.currentTime > 7');
    const names = ((await player(b, 'el.renditions')) as { name: string }[]).map((r) => r.name).sort();
    expect(names).toEqual(['240p', '360p']);
    // hls.js feeds the element through MSE.
    expect(await player(b, 'v.currentSrc')).toMatch(/^blob:/);
    // HLS took over at the opener's end, not from the start: what the new source has played begins there.
    expect(await player(b, 'v.played.start(0)')).toBeGreaterThan(3.5);
    const since = net.entries.slice(click);
    // What played 4-8 s and after came from HLS segments, over the network from the edge.
    expect(since.some((e) => /\/hls\/\d+p\/[1-9]\d*\.m4s$/.test(e.url) && e.status === 200)).toBe(true);
    expect(since.some((e) => e.url === block.urls.master)).toBe(true);

    // The sound goes on too: hls.js loads the audio rendition (our ladders are video-only)
    // and the element decodes it. (The counter starts again with the new source.)
    expect(since.some((e) => /\/hls\/audio\/\d+\.m4s$/.test(e.url) && e.status === 200)).toBe(true);
    await waitVideo(b, 'v.webkitAudioDecodedByteCount > 0');

    // And it keeps going.
    const at = (await player(b, 'v.currentTime')) as number;
    await waitVideo(b, `v.currentTime > ${at + 1}`);
    await expectStillPlaying(b);
    // The segments after the startup ones were encoded on demand by the segments-only worker.
    expect(jit.segments.ran).toBeGreaterThan(ranBefore);
    await expectNotHlsReady();
  });

  it('seeks far ahead from the opener: HLS starts there, on segments encoded just in time for it', async () => {
    const { b, net } = await openPlayerPage();
    // Nothing made segment 10 yet: no ladder, and the startup read-ahead stops near the start.
    const farRows = () => s.db.sql`select path from artifacts where asset_id = ${assetId} and path ~ '^hls/[0-9]+p/13\\.m4s$'`;
    expect(await farRows()).toEqual([]);

    await b.page.locator('kino-player button[part=play]').click();
    await waitVideo(b, 'v.currentTime > 0.5');
    const before = jit.segments.ran;
    const seek = net.mark();
    // Still on the opener (its own loader, no renditions) when the seek is asked for.
    const onOpener = await player(
      b,
      `(() => {
      const onOpener = el.renditions.length === 0 && !v.ended && !v.currentSrc.startsWith('blob:');
      el.seek(${SEEK_TO});
      return onOpener;
    })()`,
    );
    expect(onOpener).toBe(true);

    await waitVideo(b, `v.currentTime >= ${SEEK_TO} && !v.paused && v.readyState >= 3`);
    const at = (await player(b, 'v.currentTime')) as number;
    await waitVideo(b, `v.currentTime > ${at + 1}`);
    // HLS plays there, the element's first played range starting at the seek point.
    expect(await player(b, 'v.currentSrc')).toMatch(/^blob:/);
    expect(await player(b, 'v.played.start(0)')).toBeGreaterThanOrEqual(SEEK_TO - 0.5);
    await waitVideo(b, 'v.webkitAudioDecodedByteCount > 0');

    // The segment at 52 s came from the edge after the seek, made just in time: the worker
    // (segments only) ran encodes for it, and its rows appeared.
    const far = net.entries.slice(seek).filter((e) => FAR_SEGMENT.test(e.url) && e.status === 200);
    expect(far.length).toBeGreaterThanOrEqual(1);
    expect(jit.segments.ran).toBeGreaterThan(before);
    const rendition = FAR_SEGMENT.exec(far[0]!.url)![1];
    expect((await farRows()).map((r) => r.path)).toContain(`hls/${rendition}/13.m4s`);

    await expectStillPlaying(b);
    await expectNotHlsReady();
  });
});
