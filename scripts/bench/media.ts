// npm run bench:media — each derived product of a 60 s 1080p source through the real stack
// (api, worker and edge in this process), against the plain ffmpeg command doing the same
// thing in the same run: highest MP4, audio M4A, a 10 s clip, a thumbnail miss and hit
// through the edge, an animated WebP, a storyboard. Targets: ≤ 1.2× plain ffmpeg each, a
// thumbnail miss ≤ 500 ms. A product whose route answers otherwise than expected is
// reported as such (the routes come from §1 of issue 14), the others still run.
import { join } from 'node:path';
import { ANIMATED_REQUEST, STILL_REQUEST, STORYBOARD_SPRITE_PATH } from '@kino/artifacts';
import { makeFixture } from '@kino/testkit';
import { startPlayerStack } from '@kino/testkit-stack';
import { mediaInput, runFfmpeg } from '@kino/media';
import { printTable, writeBenchJson, type Row } from './report.ts';
import { benchWorkDir, round, sleep } from './util.ts';

const SECONDS = 60;
const TARGET_RATIO = 1.2;
const THUMBNAIL_MISS_MS = 500;
const WAIT_MS = 15 * 60_000;

const work = await benchWorkDir('media');
const stack = await startPlayerStack();
const auth = { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' };
const rows: Row[] = [];
const results: Array<Record<string, unknown>> = [];

const api = (path: string, init: RequestInit = {}) => fetch(`${stack.api.url}${path}`, { ...init, headers: { ...auth, ...init.headers } });

/** Polls the asset until `done` says so. */
async function until(id: string, done: (a: any) => boolean): Promise<any> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const a = await stack.asset(id);
    if (done(a)) return a;
    if (Date.now() > deadline) throw new Error(`asset ${id} did not get there in time`);
    await sleep(100);
  }
}

async function plain(args: string[]): Promise<number> {
  const t0 = performance.now();
  await runFfmpeg(args);
  return performance.now() - t0;
}

async function timed(what: string, kino: () => Promise<void>, ffmpegArgs: string[] | null, target?: number): Promise<void> {
  let kinoMs: number | null = null;
  let error: string | null = null;
  try {
    const t0 = performance.now();
    await kino();
    kinoMs = performance.now() - t0;
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const ffmpegMs = ffmpegArgs ? await plain(ffmpegArgs) : null;
  const ratio = kinoMs !== null && ffmpegMs ? kinoMs / ffmpegMs : null;
  const ok = error === null && (target !== undefined ? kinoMs! <= target : ratio !== null && ratio <= TARGET_RATIO);
  rows.push({
    product: what,
    'kino ms': kinoMs === null ? null : Math.round(kinoMs),
    'ffmpeg ms': ffmpegMs === null ? null : Math.round(ffmpegMs),
    ratio: ratio === null ? null : round(ratio, 2),
    target: target !== undefined ? `≤ ${target} ms` : `≤ ${TARGET_RATIO}×`,
    met: ok ? 'yes' : 'no',
    note: error,
  });
  results.push({ product: what, kino_ms: kinoMs, ffmpeg_ms: ffmpegMs, ratio, met: ok, error });
}

async function expectStatus(res: Response, ...ok: number[]): Promise<any> {
  if (!ok.includes(res.status)) throw new Error(`answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return res.json().catch(() => null);
}

try {
  process.stderr.write(`[bench] ${SECONDS} s 1080p30 fixture …\n`);
  const src = await makeFixture('hd', join(work, 'source.mp4'), { seconds: SECONDS, width: 1920, height: 1080, fps: 30 });
  const id = await stack.uploadReady('hd', { seconds: SECONDS, width: 1920, height: 1080, fps: 30 }, 'signed');
  const out = (name: string) => join(work, name);

  await timed(
    'highest MP4',
    async () => {
      await expectStatus(
        await api(`/v1/assets/${id}/static-renditions`, { method: 'POST', body: JSON.stringify({ renditions: ['highest'] }) }),
        200,
        201,
        202,
      );
      await until(id, (a) => a.static_renditions?.find((r: any) => r.name === 'highest')?.status === 'ready');
    },
    // biome-ignore format: ffmpeg options read in pairs
    [...mediaInput(src), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-c:a', 'aac', '-movflags', '+faststart', out('highest.mp4')],
  );
  await timed('audio M4A', async () => {
    await expectStatus(
      await api(`/v1/assets/${id}/static-renditions`, { method: 'POST', body: JSON.stringify({ renditions: ['audio'] }) }),
      200,
      201,
      202,
    );
    await until(id, (a) => a.static_renditions?.find((r: any) => r.name === 'audio')?.status === 'ready');
  }, [...mediaInput(src), '-vn', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', out('audio.m4a')]);
  await timed('10 s clip (playable)', async () => {
    const clip = await expectStatus(
      await api(`/v1/assets/${id}/clips`, { method: 'POST', body: JSON.stringify({ start: 20, end: 30 }) }),
      201,
      202,
    );
    // Made when it plays: its source cut and its opener out (its ladder follows, as any upload's).
    await until(clip.id, (a) => a.playable_state !== 'not_playable' || a.error !== null);
  }, ['-ss', '20', '-t', '10', ...mediaInput(src), '-c:v', 'libx264', '-preset', 'veryfast', '-c:a', 'aac', out('clip.mp4')]);

  const block = await stack.playback(id);
  const base = String(block.urls.thumbnail).replace(/[^/]+$/, '');
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    if (res.status !== 200) throw new Error(`${path.split('?')[0]} answered ${res.status}`);
    await res.arrayBuffer();
  };
  await timed(
    'thumbnail miss (edge)',
    () => get(`${STILL_REQUEST}.webp?time=31.5&width=640`),
    ['-ss', '31.5', ...mediaInput(src), '-frames:v', '1', '-vf', 'scale=640:-2', out('thumb.webp')],
    THUMBNAIL_MISS_MS,
  );
  await timed('thumbnail hit (edge)', () => get(`${STILL_REQUEST}.webp?time=31.5&width=640`), null, THUMBNAIL_MISS_MS);
  await timed('animated WebP (edge)', () => get(`${ANIMATED_REQUEST}.webp?start=10&end=13&fps=15&width=320`), [
    '-ss',
    '10',
    '-t',
    '3',
    ...mediaInput(src),
    '-vf',
    'fps=15,scale=320:-2',
    '-c:v',
    'libwebp_anim',
    '-loop',
    '0',
    out('anim.webp'),
  ]);
  // The storyboard is made with the ladder (one job), so it has no time of its own here: the
  // row says whether it exists, and what the plain command costs.
  const storyboard = (await stack.asset(id)).artifacts?.some((x: any) => x.kind === 'storyboard') ?? false;
  // biome-ignore format: ffmpeg options read in pairs
  const storyboardMs = await plain(['-skip_frame', 'nokey', ...mediaInput(src), '-vf', 'fps=1/2,scale=160:-2,tile=10x3', '-frames:v', '1', '-update', '1', out(STORYBOARD_SPRITE_PATH)]);
  rows.push({
    product: 'storyboard',
    'kino ms': null,
    'ffmpeg ms': Math.round(storyboardMs),
    ratio: null,
    target: 'with the ladder',
    met: storyboard ? 'made' : 'no',
    note: null,
  });
  results.push({ product: 'storyboard', kino_ms: null, ffmpeg_ms: storyboardMs, made: storyboard });

  printTable(`bench:media — ${SECONDS} s 1080p30 source (indicative on a shared machine)`, rows);
  const file = await writeBenchJson(
    'media',
    { seconds: SECONDS, products: results },
    { target_ratio: TARGET_RATIO, thumbnail_miss_ms: THUMBNAIL_MISS_MS },
  );
  process.stderr.write(`[bench] wrote ${file}\n`);
} finally {
  await stack.close();
}
