import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLadder, planLadder, probe, type LadderResult } from '../src/index.ts';
import { parseMediaPlaylist } from '../src/master-playlist.ts';
import { ffprobe, keyframeTimes, makeFixture, tempDir, type FixtureKind, type FixtureOptions } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

async function ladder(kind: FixtureKind, name: string, opts: FixtureOptions = {}) {
  const src = await makeFixture(kind, join(dir, `${name}.src.mp4`), opts);
  const p = await probe(src);
  const plan = planLadder(p);
  const hlsDir = join(dir, name);
  const fractions: number[] = [];
  const result = await makeLadder(src, hlsDir, p, plan, { onProgress: (x) => fractions.push(x.fraction) });
  const master = await readFile(result.masterPath, 'utf8');
  return { p, plan, hlsDir, result, master, fractions };
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

async function filesUnder(hlsDir: string, r: LadderResult['renditions'][number]): Promise<string[]> {
  return (await readdir(join(hlsDir, r.name))).map((f) => `${r.name}/${f}`).sort();
}

describe('makeLadder', () => {
  it('encodes every planned rendition as aligned CMAF HLS with a complete master playlist', async () => {
    const { p, plan, hlsDir, result, master, fractions } = await ladder('standard', 'standard', {
      width: 640,
      height: 360,
      seconds: 9,
    });
    expect(plan.map((r) => r.name)).toEqual(['360p', '240p']);
    expect(result.masterPath).toBe(join(hlsDir, 'master.m3u8'));
    expect(result.renditions.map((r) => [r.name, r.width, r.height])).toEqual([
      ['360p', 640, 360],
      ['240p', 426, 240],
    ]);

    const extinfs: number[][] = [];
    const keyframes: number[][] = [];
    for (const r of result.renditions) {
      // Every file listed exists, and nothing else was written.
      expect(r.files).toContain(`${r.name}/index.m3u8`);
      expect(r.files).toContain(`${r.name}/init.mp4`);
      expect(r.files).toContain(`${r.name}/0.m4s`);
      expect([...r.files].sort()).toEqual(await filesUnder(hlsDir, r));
      await Promise.all(r.files.map((f) => access(join(hlsDir, f))));
      expect(r.dir).toBe(join(hlsDir, r.name));

      const pl = await playlist(hlsDir, r.name);
      expect(pl.initUri).toBe('init.mp4');
      extinfs.push(pl.segments.map((s) => s.durationSec));
      const total = pl.segments.reduce((a, s) => a + s.durationSec, 0);
      expect(total).toBeCloseTo(p.durationSec, 1);

      const out = await ffprobe(join(hlsDir, r.name, 'index.m3u8'));
      expect(out.durationSec).toBeCloseTo(p.durationSec, 0);
      const v = out.streams.find((s) => s.codec_type === 'video')!;
      const a = out.streams.find((s) => s.codec_type === 'audio')!;
      expect(v).toMatchObject({ codec_name: 'h264', profile: 'High', width: r.width, height: r.height, pix_fmt: 'yuv420p' });
      expect(a).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
      expect(r.width! * r.height!).toBeLessThanOrEqual(640 * 360);
      expect(r.codecs).toMatch(/^avc1\.6400[0-9a-f]{2},mp4a\.40\.2$/);
      expect(r.bandwidth).toBeGreaterThanOrEqual(r.averageBandwidth);
      keyframes.push(await keyframeTimes(join(hlsDir, r.name, 'index.m3u8')));
    }

    // Aligned: same segment boundaries everywhere, cut on the 4 s keyframe grid.
    expect(extinfs[0]).toEqual([4, 4, 1]);
    expect(extinfs[1]).toEqual(extinfs[0]);
    expect(keyframes[1]).toEqual(keyframes[0]);
    const k = keyframes[0]!;
    expect(k.map((t) => Math.round((t - k[0]!) * 1000) / 1000)).toEqual([0, 4, 8]);

    const listed = variants(master);
    expect(master.split('\n').slice(0, 3)).toEqual(['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS']);
    expect(listed.map((v) => v.uri)).toEqual(['360p/index.m3u8', '240p/index.m3u8']);
    listed.forEach((v, i) => {
      const r = result.renditions[i]!;
      expect(v).toMatchObject({
        BANDWIDTH: String(r.bandwidth),
        'AVERAGE-BANDWIDTH': String(r.averageBandwidth),
        RESOLUTION: `${r.width}x${r.height}`,
        CODECS: r.codecs,
        'FRAME-RATE': '30.000',
      });
    });
    // The higher rung costs more, and the bandwidths are near what was asked for.
    expect(result.renditions[0]!.averageBandwidth).toBeGreaterThan(result.renditions[1]!.averageBandwidth);
    expect(result.renditions[1]!.averageBandwidth).toBeGreaterThan(0.5 * (plan[1]!.videoBitrate + plan[1]!.audioBitrate));
    expect(result.renditions[1]!.averageBandwidth).toBeLessThan(1.5 * (plan[1]!.videoBitrate + plan[1]!.audioBitrate));

    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThan(fractions[i - 1]!);
  });

  it('keeps a rotated phone clip portrait', async () => {
    const { result, master } = await ladder('portrait-rotated', 'rotated', { width: 480, height: 270 });
    expect(result.renditions.map((r) => [r.name, r.width, r.height])).toEqual([['240p', 240, 426]]);
    const v = (await ffprobe(join(result.renditions[0]!.dir, 'index.m3u8'))).streams.find((s) => s.codec_type === 'video');
    expect([v?.width, v?.height]).toEqual([240, 426]);
    expect(variants(master)[0]!.RESOLUTION).toBe('240x426');
  });

  it('makes one audio-only rendition from an audio-only source', async () => {
    const { result, master } = await ladder('audio-only', 'audio', { seconds: 5 });
    expect(result.renditions.map((r) => r.name)).toEqual(['audio']);
    const r = result.renditions[0]!;
    expect(r).toMatchObject({ codecs: 'mp4a.40.2' });
    expect(r.width).toBeUndefined();
    const out = await ffprobe(join(r.dir, 'index.m3u8'));
    expect(out.streams.map((s) => s.codec_name)).toEqual(['aac']);
    expect(out.durationSec).toBeCloseTo(5, 0);
    const [v] = variants(master);
    expect(v).toMatchObject({ CODECS: 'mp4a.40.2', uri: 'audio/index.m3u8' });
    expect(v!.RESOLUTION).toBeUndefined();
    expect(v!['FRAME-RATE']).toBeUndefined();
  });

  it('leaves audio out of a silent source', async () => {
    const { result, master } = await ladder('silent', 'silent', { seconds: 3 });
    const r = result.renditions[0]!;
    expect(r.codecs).toMatch(/^avc1\.[0-9a-f]{6}$/);
    const out = await ffprobe(join(r.dir, 'index.m3u8'));
    expect(out.streams.map((s) => s.codec_type)).toEqual(['video']);
    expect(master).not.toContain('mp4a');
  });

  it('turns odd source sizes into even renditions', async () => {
    const { result, master } = await ladder('odd-dimensions', 'odd', { seconds: 3 });
    expect(result.renditions.map((r) => [r.name, r.width, r.height])).toEqual([['190p', 326, 190]]);
    expect(variants(master)[0]!.RESOLUTION).toBe('326x190');
  });

  it('keeps 60 fps', async () => {
    const { result, master } = await ladder('fps60', 'fps60', { seconds: 3 });
    const v = (await ffprobe(join(result.renditions[0]!.dir, 'index.m3u8'))).streams.find((s) => s.codec_type === 'video');
    expect(v?.avg_frame_rate).toBe('60/1');
    expect(variants(master)[0]!['FRAME-RATE']).toBe('60.000');
  });

  it('stops on abort and removes what it had written', async () => {
    const src = await makeFixture('standard', join(dir, 'abort.src.mp4'), { width: 640, height: 360, seconds: 20 });
    const p = await probe(src);
    const hlsDir = join(dir, 'abort');
    const controller = new AbortController();
    const err = await makeLadder(src, hlsDir, p, planLadder(p), {
      signal: controller.signal,
      onProgress: (x) => {
        if (x.fraction > 0) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ABORTED' });
    expect(await readdir(hlsDir)).toEqual([]);
  });
});
