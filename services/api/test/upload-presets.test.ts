import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ffprobe, makeFixture } from '@kino/testkit';
import { startStack, storedState, type Stack } from '@kino/testkit-stack';

// `preset=` on uploads: a crop preset ends with square renditions from a landscape source
// (ladder, opener, master), the asset shows its preset, and presets an upload cannot use are
// refused before anything is stored.

let s: Stack;
let source: Buffer;

beforeAll(async () => {
  s = await startStack();
  await s.startWorker();
  source = await readFile(await makeFixture('standard', join(s.work, 'landscape.mp4'), { width: 640, height: 360 }));
}, 60_000);
afterAll(() => s?.close());

const upload = (query: string) =>
  fetch(`${s.api.url}/v1/videos?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.key}`, 'content-type': 'video/mp4' },
    body: source,
  });

it('an upload with preset=social_1x1 ends with square renditions, a square opener, and the preset on the asset', async () => {
  const res = await upload('preset=social_1x1');
  expect(res.status).toBe(201);
  const made = (await res.json()) as any;
  expect(made.preset).toBe('social_1x1');
  const asset = await s.waitFor(made.id, (a) => a.playable_state === 'hls_ready');
  expect(asset.preset).toBe('social_1x1');
  const dir = await s.fetchArtifacts(made.id);
  const master = await readFile(join(dir, 'hls/master.m3u8'), 'utf8');
  expect(master.match(/RESOLUTION=\d+x\d+/g)).toEqual(['RESOLUTION=360x360', 'RESOLUTION=240x240']);
  for (const [r, side] of [
    ['360p', 360],
    ['240p', 240],
  ] as const) {
    // The init segment and the first media segment together: what a player decodes.
    const joined = join(dir, `${r}-0.mp4`);
    await writeFile(joined, Buffer.concat([await readFile(join(dir, `hls/${r}/init.mp4`)), await readFile(join(dir, `hls/${r}/0.m4s`))]));
    const video = (await ffprobe(joined)).streams.find((st) => st.codec_type === 'video')!;
    expect([video.width, video.height]).toEqual([side, side]);
  }
  const opener = (await ffprobe(join(dir, 'opener.mp4'))).streams.find((st) => st.codec_type === 'video')!;
  expect(opener.width).toBe(opener.height);
  // The ladder's encode was recorded for estimates, one sample per rung height.
  const samples = await s.db.sql`select codec, height from encode_speed_samples order by height desc`;
  expect(samples).toEqual([
    { codec: 'h264', height: 360 },
    { codec: 'h264', height: 240 },
  ]);
});

it('refuses an unknown preset with 400 UNKNOWN_PRESET and one uploads cannot use yet with 422, storing nothing', async () => {
  const before = await storedState(s);
  const unknown = await upload('preset=nope');
  expect(unknown.status).toBe(400);
  expect(((await unknown.json()) as any).error.code).toBe('UNKNOWN_PRESET');
  for (const name of ['h265', 'av1', 'audio_only']) {
    const res = await upload(`preset=${name}`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).error.code).toBe('PRESET_NOT_SUPPORTED_FOR_UPLOADS');
  }
  expect(await storedState(s)).toEqual(before);
});
