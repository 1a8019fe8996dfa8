// npm run bench:player — time to first frame in headless Chromium over loopback: the Kino
// player page (prefetch at page load) against a plain hls.js page on the same master URL
// that loads nothing before the click, alternating run by run with the HTTP cache cleared
// before each page; and the size of the player bundle.
//
// Api, worker and edge run in this process on a private database and bucket (the player
// tests' stack); Chromium is Debian's, as in the tests. Both pages are measured by the same
// script: from the click (a capturing listener, before any page handler) to the first
// frame handed to the compositor (requestVideoFrameCallback) and to the `playing` event.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { buildPlayerBundle } from '@kino/player';
import { launchChromium, startPageServer } from '../../apps/player/test/browser.ts';
import { startPlayerStack } from '@kino/testkit-stack';
import { printTable, writeBenchJson, type Row } from './report.ts';
import { percentile, round } from './util.ts';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);

const MEASURE = `addEventListener('click', () => {
  const t0 = performance.now();
  const v = document.querySelector('kino-player')?.video ?? document.querySelector('video');
  v.requestVideoFrameCallback(() => { window.benchFrame = performance.now() - t0; });
  v.addEventListener('playing', () => { window.benchPlaying = performance.now() - t0; }, { once: true });
}, true);`;

/** The page a developer would write with hls.js alone: nothing happens before the click. */
function plainPage(hlsJs: string, master: string): string {
  return `<!doctype html><body style="margin:0;background:#000">
<video style="width:100vw;aspect-ratio:16/9" playsinline></video><button id="play">play</button>
<script>${hlsJs}</script>
<script>
document.getElementById('play').addEventListener('click', () => {
  const video = document.querySelector('video');
  const hls = new Hls();
  hls.loadSource(${JSON.stringify(master)});
  hls.attachMedia(video);
  video.play();
});
</script></body>`;
}

const bundle = await buildPlayerBundle();
const hlsJs = await readFile(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'), 'utf8');
const [stack, pages, browser] = await Promise.all([startPlayerStack(), startPageServer(), launchChromium()]);
try {
  console.log('[bench] encoding a 10 s 720p clip into a ladder …');
  const assetId = await stack.uploadReady('standard', { width: 1280, height: 720, seconds: 10 });
  const block = await stack.playback(assetId);
  const targets = {
    kino: { url: `${stack.api.url}/player/${assetId}`, click: 'kino-player button[part=play]' },
    plain: { url: pages.page(plainPage(hlsJs, block.urls.master)), click: '#play' },
  };
  const page = browser.page;
  await browser.context.addInitScript(MEASURE);
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');

  const samples = { kino: { frame: [] as number[], playing: [] as number[] }, plain: { frame: [] as number[], playing: [] as number[] } };
  for (let run = 0; run < RUNS; run++) {
    // Alternate which page goes first, so drift on the shared machine hits both alike.
    for (const name of run % 2 === 0 ? (['kino', 'plain'] as const) : (['plain', 'kino'] as const)) {
      const t = targets[name];
      await cdp.send('Network.clearBrowserCache');
      await page.goto(t.url);
      if (name === 'kino') await page.waitForFunction('window.kinoEvents.some((e) => e.type === "ready")');
      // Whatever the page fetches at load (the Kino prefetch) is done: the viewer reads a moment, then clicks.
      await page.waitForLoadState('networkidle');
      await page.click(t.click);
      const [frame, playing] = (await (
        await page.waitForFunction('window.benchFrame && window.benchPlaying && [window.benchFrame, window.benchPlaying]')
      ).jsonValue()) as [number, number];
      samples[name].frame.push(frame);
      samples[name].playing.push(playing);
    }
    process.stderr.write(
      `[bench] run ${run + 1}/${RUNS}: kino ${round(samples.kino.frame.at(-1)!)} ms, plain hls.js ${round(samples.plain.frame.at(-1)!)} ms\n`,
    );
  }

  const rows: Row[] = (['kino', 'plain'] as const).map((name) => ({
    page: name === 'kino' ? 'Kino player (prefetch)' : 'plain hls.js (no prefetch)',
    runs: RUNS,
    'first frame p50 ms': round(percentile(samples[name].frame, 0.5)),
    'first frame p90 ms': round(percentile(samples[name].frame, 0.9)),
    'playing p50 ms': round(percentile(samples[name].playing, 0.5)),
  }));
  printTable('Time to first frame: click → first video frame, headless Chromium over loopback', rows);

  const kino = percentile(samples.kino.frame, 0.5);
  const plain = percentile(samples.plain.frame, 0.5);
  const gzipKb = bundle.gzip.length / 1024;
  const targetRows: Row[] = [
    { target: 'Kino TTFF ≤ 0.5 × plain hls.js (p50)', measured: `${(kino / plain).toFixed(2)}×`, met: kino <= 0.5 * plain ? 'yes' : 'no' },
    { target: 'Kino TTFF p50 ≤ 150 ms', measured: `${round(kino)} ms`, met: kino <= 150 ? 'yes' : 'no' },
    {
      target: 'bundle ≤ 200 KB gzipped (hls.js included)',
      measured: `${round(gzipKb)} KB (${round(bundle.js.length / 1024)} KB raw)`,
      met: gzipKb <= 200 ? 'yes' : 'no',
    },
  ];
  printTable('Targets', targetRows);
  const file = await writeBenchJson('player', {
    runs: RUNS,
    samples,
    rows,
    targets: targetRows,
    bundle: { bytes: bundle.js.length, gzip_bytes: bundle.gzip.length },
  });
  console.log(`[bench] wrote ${file}`);
} finally {
  await browser.close();
  await pages.close();
  await stack.close();
}
