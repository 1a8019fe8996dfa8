import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../src/process.ts';
import { tempDir } from './helpers.ts';
import {
  assertConfined,
  type MediaError,
  runFfmpeg,
  checkCommand,
  CommandError,
  commandArgv,
  OPERATIONS,
  operationCommand,
  OperationError,
  tokenize,
  type CommandSpec,
} from '../src/index.ts';

const cleanupFile = (path: string) => rm(path, { force: true });
const LIMITS = { maxOutputs: 5, maxOutputBytes: 1_000_000, maxSeconds: 60 };
const spec = (args: string, o: Partial<CommandSpec> = {}): CommandSpec => ({
  args,
  inputs: ['in_video'],
  outputs: { out_small: 'small.mp4' },
  ...o,
});

/** The token a refusal names. */
function refused(s: CommandSpec): string {
  try {
    checkCommand(s, LIMITS);
  } catch (err) {
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).message).toContain((err as CommandError).token);
    return (err as CommandError).token;
  }
  throw new Error(`not refused: ${s.args}`);
}

describe('tokenize', () => {
  it('splits words and quotes without a shell', () => {
    expect(tokenize(`-i {{in_a}}  -vf "scale=640:-2,fps=10" 'x y' a\\ b $(id) ;`)).toEqual([
      '-i',
      '{{in_a}}',
      '-vf',
      'scale=640:-2,fps=10',
      'x y',
      'a b',
      '$(id)',
      ';',
    ]);
    expect(() => tokenize('-vf "scale')).toThrow(CommandError);
  });
});

describe('checkCommand', () => {
  it('passes a command with two outputs and confines it', () => {
    const s = spec('-i {{in_video}} -vf scale=160:-2 -c:v libx264 -crf 30 {{out_small}} -map 0:a? -c:a aac -b:a 64k {{out_audio}}', {
      outputs: { out_small: 'small.mp4', out_audio: 'audio.m4a' },
    });
    const checked = checkCommand(s, LIMITS);
    expect(checked.outputs).toEqual(['out_small', 'out_audio']);
    const argv = commandArgv(
      checked,
      { inputs: { in_video: { src: '/w/in' } }, outputs: { out_small: '/w/o/small.mp4', out_audio: '/w/o/audio.m4a' } },
      LIMITS,
    );
    assertConfined(argv);
    expect(argv.filter((a) => a === '-fs')).toHaveLength(2);
    expect(argv).toContain('file:/w/o/small.mp4');
    expect(argv[argv.indexOf('-i') + 1]).toBe('file:/w/in');
  });

  it('refuses, naming the token', () => {
    expect(refused(spec('-f concat -i {{in_video}} {{out_small}}'))).toBe('concat');
    expect(refused(spec('-i {{in_video}} -vf movie=x.mp4 {{out_small}}'))).toBe('movie');
    expect(refused(spec('-i {{in_video}} -vf drawtext=text=hi {{out_small}}'))).toBe('drawtext');
    expect(refused(spec('-i {{in_video}} -vf subtitles=a.srt {{out_small}}'))).toBe('subtitles');
    expect(refused(spec('-i /etc/passwd {{out_small}}'))).toBe('/etc/passwd');
    expect(refused(spec('-i {{in_video}} /tmp/out.mp4', { outputs: {} }))).toBe('/tmp/out.mp4');
    expect(refused(spec('-i http://127.0.0.1/x.mp4 {{out_small}}'))).toBe('http://127.0.0.1/x.mp4');
    expect(refused(spec('-i {{in_video}} -vf scale=http://x {{out_small}}'))).toBe('scale=http://x');
    expect(refused(spec('-i {{in_video}} -filter_complex_script g {{out_small}}'))).toBe('-filter_complex_script');
    expect(refused(spec('-i {{in_video}} -x264-params stats=/tmp/x {{out_small}}'))).toBe('-x264-params');
    expect(refused(spec('-i {{in_video}} {{out_small}}', { outputs: { out_small: 'small.exe' } }))).toBe('small.exe');
    expect(refused(spec('-i {{in_video}} {{out_small}}', { outputs: { out_small: '../small.mp4' } }))).toBe('../small.mp4');
    expect(refused(spec('-i {{in_other}} {{out_small}}'))).toBe('{{in_other}}');
    expect(refused(spec('-i {{in_video}} {{out_nope}}'))).toBe('{{out_nope}}');
    expect(refused(spec('-i {{in_video}} -t 61 {{out_small}}'))).toBe('61');
    const six = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`out_${i}`, `o${i}.mp4`]));
    expect(refused(spec('-i {{in_video}} {{out_0}}', { outputs: six }))).toBe('out_5');
    expect(refused(spec('-i {{in_video}} -c:v libx264 {{out_small}} -an'))).toBe('-an');
    // Only the list's own names: not what every object inherits.
    for (const name of ['-constructor', '-__proto__', '-toString', '-hasOwnProperty'])
      expect(refused(spec(`-i {{in_video}} ${name} {{out_small}}`))).toBe(name);
  });

  it('reads option values as values: -sseof -5 before an input', () => {
    expect(checkCommand(spec('-sseof -5 -i {{in_video}} {{out_small}}'), LIMITS).inputs).toEqual(['in_video']);
    expect(refused(spec('-sseof -5 -c:v libx264 -i {{in_video}} {{out_small}}'))).toBe('-c:v');
  });

  it('bounds picture sizes, sample rates and threads', () => {
    for (const [args, token] of [
      ['-s 16000x16000', '16000x16000'],
      ['-s 7681x100', '7681x100'],
      ['-ar 999999999', '999999999'],
      ['-threads 99', '99'],
      ['-vf scale=20000:20000', 'scale=20000:20000'],
      ['-vf scale=7680:4320,tile=8x9', 'scale=7680:4320,tile=8x9'],
      ['-vf pad=w=8000:h=100', 'pad=w=8000:h=100'],
      ['-vf aresample=999999', 'aresample=999999'],
      ['-filter_complex testsrc=s=16000x16000', 'testsrc=s=16000x16000'],
      ['-vf pad=aspect=1000', 'pad=aspect=1000'],
      ['-vf split=99', 'split=99'],
    ])
      expect(refused(spec(`-i {{in_video}} ${args} {{out_small}}`))).toBe(token);
    expect(refused(spec('-f lavfi -i testsrc=s=16000x16000 {{out_small}}'))).toBe('lavfi');
    checkCommand(spec('-i {{in_video}} -s 4320x7680 -ar 48000 -threads 8 -vf scale=3840:-2,tile=8x8 {{out_small}}'), LIMITS);
  });

  it("refuses filter arguments that could write a file (metadata's file by place, paletteuse's debug_kdtree)", () => {
    for (const args of EXPLOITS) expect(refused(spec(args))).toMatch(/^(?:metadata|split|\[)/);
    expect(refused(spec('-i {{in_video}} -vf metadata=mode=add:key=k:value=tmp/x {{out_small}}'))).toBe(
      'metadata=mode=add:key=k:value=tmp/x',
    );
    expect(refused(spec('-i {{in_video}} -vf scale=640:-2:threads=64 {{out_small}}'))).toBe('scale=640:-2:threads=64');
    // What the pipeline and users write stays allowed.
    checkCommand(spec('-i {{in_video}} -vf scale=iw/2:-2,fps=30000/1001,setsar=1,metadata=mode=add:key=k:value=v {{out_small}}'), LIMITS);
  });
});

/** The reviewer's two commands: each names a file through a filter argument, relative to the scratch directory. */
const EXPLOITS = [
  '-i {{in_video}} -vf metadata=print:k:v:same_str:e:./../written {{out_small}}',
  '-i {{in_video}} -filter_complex split[a][b];[a]palettegen[p];[b][p]paletteuse=debug_kdtree=./../written {{out_small}}',
];

describe('a refused filter argument, run for real', () => {
  it('is refused before ffmpeg runs, so nothing is written', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const target = join(dir, 'written');
      const exists = () =>
        access(target).then(
          () => true,
          () => false,
        );
      for (const args of EXPLOITS) {
        // Bypass checkCommand: the argv the worker would build, with a generated input.
        const tokens = tokenize(args);
        const [option, graph] = tokens.slice(2, 4) as [string, string];
        const argv = ['-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=5:duration=0.4', option, graph, '-f', 'gif', join(dir, 'o.gif')];
        await expect(runFfmpeg(argv, { scratchRoot: dir })).rejects.toMatchObject({ code: 'UNSAFE_COMMAND' } satisfies Partial<MediaError>);
        expect(await exists()).toBe(false);
        // Without the check the same ffmpeg run writes the file: the test would see a hole.
        await runProcess('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...argv], { scratchRoot: dir });
        expect(await exists()).toBe(true);
        await cleanupFile(target);
      }
    } finally {
      await cleanup();
    }
  });
});

describe('operationCommand', () => {
  it('builds a command the allowlist passes for every operation', () => {
    const options = {
      convert: { container: 'webm' },
      trim: { start: 0.5, end: 1.5 },
      extract_audio: { codec: 'mp3' },
      thumbnail: { time: 1, width: 80, format: 'png' },
      gif: { end: 1, fps: 5, width: 80 },
      concat: {},
      watermark: { position: 'center', opacity: 0.5 },
    } as const;
    for (const op of OPERATIONS) {
      const n = op === 'concat' || op === 'watermark' ? 2 : 1;
      const checked = checkCommand(operationCommand(op, options[op] as never, n), LIMITS);
      assertConfined(
        commandArgv(
          checked,
          { inputs: { in_0: { src: '/a' }, in_1: { src: '/b', images: true } }, outputs: { out_result: '/o/x' } },
          LIMITS,
        ),
      );
    }
  });

  it('refuses options that do not fit together', () => {
    expect(() => operationCommand('convert', { container: 'webm', video_codec: 'h264' }, 1)).toThrow(OperationError);
    expect(() => operationCommand('trim', { start: 2, end: 1 }, 1)).toThrow(OperationError);
    expect(() => operationCommand('concat', {}, 1)).toThrow(OperationError);
  });

  it('holds a gif to its documented bounds', () => {
    const field = (o: { start?: number; end: number; width?: number }) => {
      try {
        operationCommand('gif', o, 1);
      } catch (err) {
        expect(err).toBeInstanceOf(OperationError);
        return (err as OperationError).field;
      }
      return undefined;
    };
    expect(field({ start: 1, end: 31.5 })).toBe('end');
    expect(field({ end: 5, width: 1921 })).toBe('width');
    expect(field({ start: 1, end: 31, width: 1920 })).toBeUndefined();
  });

  it('writes times the command check reads (no exponents)', () => {
    for (const [op, o] of [
      ['trim', { start: 1e-7, end: 1.5 }],
      ['thumbnail', { time: 1e-7 }],
      ['gif', { start: 1e-7, end: 2 }],
    ] as const)
      checkCommand(operationCommand(op, o as never, 1), LIMITS);
    expect(operationCommand('trim', { start: 1e-7, end: 1.5 }, 1).args).toMatch(/^-ss 0\.000 -t 1\.500 /);
  });
});
