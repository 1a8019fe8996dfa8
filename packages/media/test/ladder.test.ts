import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredBandwidth, makeAudio, makeLadder, planMedia, probe, writePlaylists, type LadderRendition } from '../src/index.ts';
import { parseMediaPlaylist } from '../src/master-playlist.ts';
import { packetSpans, worstSeam } from '@kino/testkit';
import { ffprobe, keyframeTimes, makeFixture, tempDir, type FixtureKind, type FixtureOptions } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

/** What the pipeline makes of a source: the plan's playlists, the video ladder and the audio rendition. */
async function hls(kind: FixtureKind, name: string, opts: FixtureOptions = {}) {
  const src = await makeFixture(kind, join(dir, `${name}.src.mp4`), opts);
  const p = await probe(src);
  const plan = planMedia(p);
  const hlsDir = join(dir, name);
  const fractions: number[] = [];
  const video = p.video ? await makeLadder(src, hlsDir, p, plan, { onProgress: (x) => fractions.push(x.fraction) }) : [];
  const audio = p.audio ? await makeAudio(src, hlsDir, p, plan) : undefined;
  await writePlaylists(hlsDir, plan);
  const master = await readFile(join(hlsDir, 'master.m3u8'), 'utf8');
  return { p, plan, hlsDir, video, audio, master, fractions };
}

/** The master's variants as attribute maps, in order. */
function variants(master: string): Array<Record<string, string> & { uri: string }> {
  const lines = master.trim().split('\n');
  const out: Array<Record<string, string> & { uri: string }> = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('#EXT-X-STREAM-INF:')) return;
    const attrs: Record<string, string> = {};
    for (const m of line.slice(18).matchAll(/([A-Z-]+)=("[^"]*"|[^,]*)/g)) attrs[m[1]!] = m[2]!.replace(/"/g, '');
    out.push({ ...attrs, uri: lines[i + 1]! });
  });
  return out;
}

async function playlist(hlsDir: string, name: string) {
  return parseMediaPlaylist(await readFile(join(hlsDir, name, 'index.m3u8'), 'utf8'));
}

async function filesUnder(hlsDir: string, r: LadderRendition): Promise<string[]> {
  return (await readdir(join(hlsDir, r.name)))
    .filter((f) => f !== 'index.m3u8')
    .map((f) => `${r.name}/${f}`)
    .sort();
}

describe('planned HLS', () => {
  it('encodes every planned rendition as aligned CMAF, audio once in its own group, as the plan’s playlists list it', async () => {
    const { p, plan, hlsDir, video, audio, master, fractions } = await hls('standard', 'standard', { width: 640, height: 360, seconds: 9 });
    expect(plan.video.map((r) => r.name)).toEqual(['360p', '240p']);
    expect(plan.segments.map((s) => s.durationSec)).toEqual([4, 4, 1]);
    expect(video.map((r) => r.name)).toEqual(['360p', '240p']);
    expect(audio?.name).toBe('audio');

    const keyframes: number[][] = [];
    for (const r of [...video, audio!]) {
      // Every file the plan's playlist lists exists, and nothing else was written.
      expect(r.dir).toBe(join(hlsDir, r.name));
      expect([...r.files].sort()).toEqual(await filesUnder(hlsDir, r));
      const pl = await playlist(hlsDir, r.name);
      expect(pl.initUri).toBe('init.mp4');
      expect(pl.segments.map((s) => `${r.name}/${s.uri}`)).toEqual(r.files.slice(1));
      expect(pl.segments.map((s) => s.durationSec)).toEqual([4, 4, 1]);
    }
    for (const r of video) {
      const out = await ffprobe(join(hlsDir, r.name, 'index.m3u8'));
      expect(out.durationSec).toBeCloseTo(p.durationSec, 1);
      const planned = plan.video.find((x) => x.name === r.name)!;
      // Video only: the audio is its own rendition now.
      expect(out.streams).toHaveLength(1);
      expect(out.streams[0]).toMatchObject({
        codec_name: 'h264',
        profile: 'High',
        width: planned.width,
        height: planned.height,
        pix_fmt: 'yuv420p',
      });
      keyframes.push(await keyframeTimes(join(hlsDir, r.name, 'index.m3u8')));
    }
    const a = await ffprobe(join(hlsDir, 'audio', 'index.m3u8'));
    expect(a.streams).toMatchObject([{ codec_name: 'aac', sample_rate: '48000', channels: 2 }]);
    expect(a.durationSec).toBeCloseTo(plan.durationSec, 1);

    // Aligned: the same boundaries everywhere, cut on the 4 s keyframe grid.
    expect(keyframes[1]).toEqual(keyframes[0]);
    const k = keyframes[0]!;
    expect(k.map((t) => Math.round((t - k[0]!) * 1000) / 1000)).toEqual([0, 4, 8]);

    expect(master.split('\n').slice(0, 4)).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"',
    ]);
    const listed = variants(master);
    expect(listed.map((v) => v.uri)).toEqual(['360p/index.m3u8', '240p/index.m3u8']);
    for (const [i, v] of listed.entries()) {
      const r = plan.video[i]!;
      expect(v).toMatchObject({
        RESOLUTION: `${r.width}x${r.height}`,
        CODECS: `${r.codecs},mp4a.40.2`,
        'FRAME-RATE': '30.000',
        AUDIO: 'audio',
      });
      // BANDWIDTH was declared before encoding: it must bound every real segment, video plus audio.
      const dir = join(hlsDir, r.name);
      const sizes = await Promise.all(plan.segments.map(async (s, n) => ((await stat(join(dir, `${n}.m4s`))).size * 8) / s.durationSec));
      const audioPeak = Math.max(
        ...(await Promise.all(
          plan.segments.map(async (s, n) => ((await stat(join(hlsDir, 'audio', `${n}.m4s`))).size * 8) / s.durationSec),
        )),
      );
      expect(Number(v.BANDWIDTH)).toBe(declaredBandwidth(plan, r).peak);
      expect(Number(v.BANDWIDTH)).toBeGreaterThanOrEqual(Math.max(...sizes.slice(0, -1)) + audioPeak);
      expect(Number(v['AVERAGE-BANDWIDTH'])).toBe(r.videoBitrate + 128_000);
    }

    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThan(fractions[i - 1]!);
  });

  it('is continuous: across every segment boundary, no gap or overlap over one frame, and the source’s duration', async () => {
    const { p, plan, hlsDir } = await hls('standard', 'seams', { width: 320, height: 180, seconds: 13, fps: 30000 / 1001 });
    const frame = 1001 / 30000;
    for (const r of plan.video) {
      const spans = await packetSpans(join(hlsDir, r.name, 'index.m3u8'), 'v:0');
      expect(worstSeam(spans)).toBeLessThanOrEqual(frame + 1e-3);
      expect(spans.at(-1)![1] - spans[0]![0]).toBeCloseTo(p.durationSec, 1);
    }
    const audio = await packetSpans(join(hlsDir, 'audio', 'index.m3u8'), 'a:0');
    expect(worstSeam(audio)).toBeLessThanOrEqual(frame);
    expect(Math.abs(audio.at(-1)![1] - audio[0]![0] - p.durationSec)).toBeLessThan(0.1);
  });

  it('keeps a rotated phone clip portrait', async () => {
    const { video, master } = await hls('portrait-rotated', 'rotated', { width: 480, height: 270 });
    expect(video.map((r) => r.name)).toEqual(['240p']);
    const v = (await ffprobe(join(video[0]!.dir, 'index.m3u8'))).streams.find((s) => s.codec_type === 'video');
    expect([v?.width, v?.height]).toEqual([240, 426]);
    expect(variants(master)[0]!.RESOLUTION).toBe('240x426');
  });

  it('makes one audio-only rendition from an audio-only source', async () => {
    const { plan, video, audio, master, hlsDir } = await hls('audio-only', 'audio', { seconds: 5 });
    expect(video).toEqual([]);
    expect(plan.video).toEqual([]);
    expect(audio?.name).toBe('audio');
    const out = await ffprobe(join(hlsDir, 'audio', 'index.m3u8'));
    expect(out.streams.map((s) => s.codec_name)).toEqual(['aac']);
    expect(out.durationSec).toBeCloseTo(5, 0);
    expect(master).not.toContain('EXT-X-MEDIA');
    const [v] = variants(master);
    expect(v).toMatchObject({ CODECS: 'mp4a.40.2', uri: 'audio/index.m3u8' });
    expect(v!.RESOLUTION).toBeUndefined();
    expect(v!['FRAME-RATE']).toBeUndefined();
  });

  it('leaves audio out of a silent source', async () => {
    const { plan, audio, master, hlsDir } = await hls('silent', 'silent', { seconds: 3 });
    expect(plan.audio).toBeUndefined();
    expect(audio).toBeUndefined();
    const out = await ffprobe(join(hlsDir, plan.video[0]!.name, 'index.m3u8'));
    expect(out.streams.map((s) => s.codec_type)).toEqual(['video']);
    expect(master).not.toContain('mp4a');
    expect(master).not.toContain('AUDIO');
  });

  it('turns odd source sizes into even renditions', async () => {
    const { video, master } = await hls('odd-dimensions', 'odd', { seconds: 3 });
    expect(video.map((r) => r.name)).toEqual(['190p']);
    expect(variants(master)[0]!.RESOLUTION).toBe('326x190');
  });

  it('keeps 60 fps', async () => {
    const { video, master } = await hls('fps60', 'fps60', { seconds: 3 });
    const v = (await ffprobe(join(video[0]!.dir, 'index.m3u8'))).streams.find((s) => s.codec_type === 'video');
    expect(v?.avg_frame_rate).toBe('60/1');
    expect(variants(master)[0]!['FRAME-RATE']).toBe('60.000');
  });

  it('stops on abort and removes what it had written', async () => {
    const src = await makeFixture('standard', join(dir, 'abort.src.mp4'), { width: 640, height: 360, seconds: 20 });
    const p = await probe(src);
    const hlsDir = join(dir, 'abort');
    const controller = new AbortController();
    const err = await makeLadder(src, hlsDir, p, planMedia(p), {
      signal: controller.signal,
      onProgress: (x) => {
        if (x.fraction > 0) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ABORTED' });
    expect(await readdir(hlsDir)).toEqual([]);
  });
});
