import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalisePicture, videoFilter } from '../src/encoding.ts';
import {
  assertConfined,
  ladderArgs,
  makeLadder,
  makeOpener,
  makeThumbnail,
  planLadder,
  planMedia,
  probe,
  type ProbeResult,
} from '../src/index.ts';
import {
  ffprobe,
  interlaceVerdicts,
  makeFixture,
  meanLuma,
  pictureStats,
  tempDir,
  type FixtureKind,
  type PictureStats,
  type ProbedStream,
} from './helpers.ts';

const exec = promisify(execFile);

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

/** Every fixture here: 320x240, 30 fps, 2 s, no audio. */
const fixtures = new Map<FixtureKind, Promise<string>>();
function fixture(kind: FixtureKind): Promise<string> {
  if (!fixtures.has(kind)) fixtures.set(kind, makeFixture(kind, join(dir, `${kind}.mp4`), { seconds: 2 }));
  return fixtures.get(kind)!;
}

async function opener(kind: FixtureKind): Promise<{ file: string; v: ProbedStream; frames: number }> {
  const src = await fixture(kind);
  const file = join(dir, `${kind}.opener.mp4`);
  await makeOpener(src, file, await probe(src));
  return { file, ...(await videoOf(file)) };
}

async function ladder(kind: FixtureKind): Promise<{ file: string; v: ProbedStream; frames: number }> {
  const src = await fixture(kind);
  const p = await probe(src);
  const renditions = await makeLadder(src, join(dir, `${kind}.hls`), p, planMedia(p));
  const [rendition] = renditions;
  expect(renditions.map((r) => r.name)).toEqual(['240p']);
  // Init segment then media segments, joined: one fragmented MP4 that ffprobe reads whole.
  const file = join(dir, `${kind}.ladder.mp4`);
  await writeFile(file, Buffer.concat(await Promise.all(rendition!.files.map((f) => readFile(join(dir, `${kind}.hls`, f))))));
  return { file, ...(await videoOf(file)) };
}

async function videoOf(file: string): Promise<{ v: ProbedStream; frames: number }> {
  const v = (await ffprobe(file)).streams.find((s) => s.codec_type === 'video')!;
  // biome-ignore format: ffmpeg options read in pairs
  const { stdout } = await exec('ffprobe', [
    '-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file,
  ]);
  return { v, frames: Number(stdout.trim()) };
}

/**
 * What is wrong with a picture that should show `ref`'s content, as a list (empty when
 * nothing is). Tone-mapped HDR comes out darker than its SDR original (Hable keeps headroom
 * for highlights) but keeps most of its colour and contrast with hues in place; an HDR signal
 * shown as if it were SDR is grey and flat (saturation and contrast a fifth to a third of
 * the original) and its hues move (PQ's mean V drifts by about 5 codes).
 */
function unfaithful(out: PictureStats, ref: PictureStats): string[] {
  const problems: string[] = [];
  if (out.saturation < ref.saturation * 0.5) problems.push(`washed-out colour: saturation ${out.saturation} vs ${ref.saturation}`);
  if (out.contrast < ref.contrast * 0.5) problems.push(`flat: luma deviation ${out.contrast} vs ${ref.contrast}`);
  if (Math.abs(out.u - ref.u) > 2 || Math.abs(out.v - ref.v) > 2) problems.push(`hue shift: U/V ${out.u}/${out.v} vs ${ref.u}/${ref.v}`);
  if (out.y < ref.y * 0.5 || out.y > ref.y * 1.1) problems.push(`brightness: mean luma ${out.y} vs ${ref.y}`);
  return problems;
}

const plan240 = {
  name: '240p',
  width: 320,
  height: 240,
  videoBitrate: 400_000,
  maxrate: 428_000,
  bufsize: 600_000,
  audioBitrate: 96_000,
  crop: null,
  x264Preset: 'veryfast' as const,
  fps: 30,
};

/** A progressive 8-bit BT.709 source as the probe now describes it. */
function progressive8(extra: Partial<NonNullable<ProbeResult['video']>> = {}): ProbeResult {
  return {
    durationSec: 10,
    sizeBytes: 1_000_000,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    video: {
      index: 0,
      codec: 'h264',
      width: 640,
      height: 360,
      displayWidth: 640,
      displayHeight: 360,
      rotation: 0,
      fps: 30000 / 1001,
      pixFmt: 'yuv420p',
      ...extra,
    },
    audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48000 },
  };
}

describe('the picture chain builder', () => {
  it('leaves a progressive 8-bit source exactly as before: same filters, same arguments', () => {
    // The strings the pipeline built before sources were normalised.
    const before = 'fps=30,scale=320:240,setsar=1,format=yuv420p';
    expect(videoFilter(plan240)).toBe(before);
    for (const v of [
      {},
      { fieldOrder: 'progressive', bitDepth: 8 },
      { fieldOrder: 'unknown', bitDepth: 8, colorTransfer: 'bt709', colorPrimaries: 'bt709', colorSpace: 'bt709' },
    ]) {
      expect(videoFilter(plan240, progressive8(v).video)).toBe(before);
      expect(normalisePicture(progressive8(v).video)).toEqual({ deinterlace: [], colour: [], outputArgs: [] });
    }

    const bare = progressive8();
    const described = progressive8({
      fieldOrder: 'progressive',
      bitDepth: 8,
      colorTransfer: 'bt709',
      colorPrimaries: 'bt709',
      colorSpace: 'bt709',
    });
    const args = ladderArgs('/src.mp4', '/hls', described, planMedia(described));
    expect(args).toEqual(ladderArgs('/src.mp4', '/hls', bare, planMedia(bare)));
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(
      '[0:0]fps=30000/1001,scale=640:360,setsar=1,format=yuv420p,tpad=stop_mode=clone:stop_duration=11,split=2[v0][c0];[c0]scale=426:240,setsar=1[v1]',
    );
    expect(args.filter((a) => a.startsWith('-color'))).toEqual([]);
  });

  it('deinterlaces first, keeping one frame per frame, for every field order ffprobe reports', () => {
    for (const fieldOrder of ['tt', 'bb', 'tb', 'bt']) {
      expect(videoFilter(plan240, progressive8({ fieldOrder }).video)).toBe(
        'bwdif=mode=send_frame:parity=auto:deint=all,fps=30,scale=320:240,setsar=1,format=yuv420p',
      );
    }
  });

  it('tone-maps PQ and HLG to BT.709 SDR and tags the output so', () => {
    const tonemap =
      'zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p';
    for (const colorTransfer of ['smpte2084', 'arib-std-b67']) {
      const v = progressive8({
        pixFmt: 'yuv420p10le',
        bitDepth: 10,
        colorTransfer,
        colorPrimaries: 'bt2020',
        colorSpace: 'bt2020nc',
      }).video;
      expect(videoFilter(plan240, v)).toBe(`fps=30,${tonemap},scale=320:240,setsar=1,format=yuv420p`);
      expect(normalisePicture(v).outputArgs).toEqual(['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709']);
    }
    // Interlaced HDR: deinterlaced, then tone-mapped.
    const both = progressive8({
      fieldOrder: 'tt',
      bitDepth: 10,
      colorTransfer: 'smpte2084',
      colorPrimaries: 'bt2020',
      colorSpace: 'bt2020nc',
    });
    expect(videoFilter(plan240, both.video)).toBe(
      `bwdif=mode=send_frame:parity=auto:deint=all,fps=30,${tonemap},scale=320:240,setsar=1,format=yuv420p`,
    );
    // A stream that tags only its transfer is given BT.2020, which PQ and HLG are defined in.
    const bare = progressive8({ bitDepth: 10, colorTransfer: 'smpte2084', colorSpace: 'unknown' }).video;
    expect(normalisePicture(bare).colour).toEqual(['setparams=color_primaries=bt2020:colorspace=bt2020nc', ...tonemap.split(',')]);
    // The ladder tags every rendition.
    const args = ladderArgs('/src.mp4', '/hls', both, planMedia(both));
    expect(args.filter((a) => a === '-color_trc')).toHaveLength(planLadder(both).length);
  });

  it('brings 10-bit SDR to 8-bit 4:2:0 before scaling, without a colour conversion or new tags', () => {
    const v = progressive8({ pixFmt: 'yuv420p10le', bitDepth: 10, colorTransfer: 'bt709' }).video;
    expect(videoFilter(plan240, v)).toBe('fps=30,format=yuv420p,scale=320:240,setsar=1,format=yuv420p');
    expect(normalisePicture(v).outputArgs).toEqual([]);
  });

  it('builds chains the media confinement accepts', () => {
    const v = progressive8({ fieldOrder: 'bb', bitDepth: 10, colorTransfer: 'arib-std-b67' }).video;
    expect(() => assertConfined(['-vf', videoFilter(plan240, v)])).not.toThrow();
  });
});

describe('probe: field order, colour and depth', () => {
  it('reports them for each kind of source', async () => {
    const kinds: FixtureKind[] = ['silent', 'interlaced', 'sdr10', 'sdr-bt709', 'hdr-pq', 'hdr-hlg'];
    const probed = await Promise.all(kinds.map(async (k) => (await probe(await fixture(k))).video!));
    const summary = (v: NonNullable<ProbeResult['video']>) => [
      v.fieldOrder,
      v.bitDepth,
      v.pixFmt,
      v.colorTransfer,
      v.colorPrimaries,
      v.colorSpace,
    ];
    expect(probed.map(summary)).toEqual([
      ['progressive', 8, 'yuv420p', undefined, undefined, undefined],
      ['tt', 8, 'yuv420p', undefined, undefined, undefined],
      ['progressive', 10, 'yuv420p10le', undefined, undefined, undefined],
      ['progressive', 8, 'yuv420p', 'bt709', 'bt709', 'bt709'],
      ['progressive', 10, 'yuv420p10le', 'smpte2084', 'bt2020', 'bt2020nc'],
      ['progressive', 10, 'yuv420p10le', 'arib-std-b67', 'bt2020', 'bt2020nc'],
    ]);
    expect(probed[1]!.fps).toBe(30);
  });
});

describe('an interlaced source', () => {
  it('is woven from fields to begin with (so the checks below have something to catch)', async () => {
    const verdicts = await interlaceVerdicts(await fixture('interlaced'));
    expect(verdicts.interlaced).toBeGreaterThan(verdicts.progressive * 9);
  });

  it.each([
    ['opener', opener],
    ['ladder', ladder],
  ])('comes out of the %s progressive at the source frame rate', async (_, make) => {
    const out = await make('interlaced');
    expect(out.v.field_order).toBe('progressive');
    expect(out.v.avg_frame_rate).toBe('30/1');
    expect(out.frames).toBe(60);
    // `idet` judges the pictures themselves: combing gone from (nearly) every frame.
    const verdicts = await interlaceVerdicts(out.file);
    expect(verdicts.progressive).toBeGreaterThan(verdicts.interlaced * 9);
  });
});

describe('HDR sources', () => {
  let reference: PictureStats;
  beforeAll(async () => {
    reference = await pictureStats((await opener('sdr-bt709')).file);
  });

  it('are caught by the picture checks when shown as if they were SDR', async () => {
    for (const kind of ['hdr-pq', 'hdr-hlg'] as const) {
      const naive = join(dir, `${kind}.naive.mp4`);
      // biome-ignore format: ffmpeg options read in pairs
      await exec('ffmpeg', ['-v', 'error', '-i', await fixture(kind), '-vf', 'format=yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-y', naive]);
      expect(unfaithful(await pictureStats(naive), reference)).not.toEqual([]);
    }
  });

  it.each([
    ['hdr-pq', 'opener', opener],
    ['hdr-hlg', 'opener', opener],
    ['hdr-pq', 'ladder', ladder],
    ['hdr-hlg', 'ladder', ladder],
  ] as const)('%s comes out of the %s as 8-bit BT.709 SDR showing the same picture', async (kind, _, make) => {
    const out = await make(kind);
    expect(out.v).toMatchObject({ pix_fmt: 'yuv420p', color_primaries: 'bt709', color_transfer: 'bt709', color_space: 'bt709' });
    expect(out.v.avg_frame_rate).toBe('30/1');
    expect(unfaithful(await pictureStats(out.file), reference)).toEqual([]);
  });
});

describe('a 10-bit SDR source', () => {
  it.each([
    ['opener', opener],
    ['ladder', ladder],
  ])('comes out of the %s as 8-bit with the colours of the 8-bit original', async (_, make) => {
    const [deep, eight] = await Promise.all([make('sdr10'), make('silent')]);
    expect(deep.v.pix_fmt).toBe('yuv420p');
    expect(deep.v.color_transfer).toBe(eight.v.color_transfer);
    const [a, b] = await Promise.all([pictureStats(deep.file), pictureStats(eight.file)]);
    for (const key of ['y', 'u', 'v'] as const) expect(Math.abs(a[key] - b[key])).toBeLessThan(1);
    expect(Math.abs(a.saturation - b.saturation)).toBeLessThan(1);
    expect(Math.abs(a.contrast - b.contrast)).toBeLessThan(1);
  });
});

describe('thumbnails', () => {
  it('are made from interlaced and 10-bit sources, and show HDR sources tone-mapped', async () => {
    for (const kind of ['interlaced', 'sdr10'] as const) expect(await meanLuma(await thumbnail(kind))).toBeGreaterThan(24);
    const reference = await pictureStats(await thumbnail('sdr-bt709'));
    for (const kind of ['hdr-pq', 'hdr-hlg'] as const) {
      expect(unfaithful(await pictureStats(await thumbnail(kind)), reference)).toEqual([]);
    }
  });
});

async function thumbnail(kind: FixtureKind): Promise<string> {
  const src = await fixture(kind);
  const out = join(dir, `${kind}.jpg`);
  await makeThumbnail(src, out, await probe(src));
  return out;
}
