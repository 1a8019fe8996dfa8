import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { assertConfined, mediaInput, MediaError, runFfmpeg, scrub } from '../src/index.ts';
import { runProcess } from '../src/process.ts';
import { tempDir } from './helpers.ts';

function refusal(args: string[]): string {
  try {
    assertConfined(args);
  } catch (err) {
    expect(err).toBeInstanceOf(MediaError);
    expect((err as MediaError).code).toBe('UNSAFE_COMMAND');
    return (err as MediaError).message;
  }
  throw new Error(`not refused: ${args.join(' ')}`);
}

describe('assertConfined', () => {
  it('passes what the media steps build and lavfi test sources', () => {
    assertConfined([...mediaInput('/x/source'), '-vf', 'fps=30000/1001,scale=640:360,setsar=1,format=yuv420p', '-f', 'mp4', '/x/o.mp4']);
    assertConfined(['-t', '4', ...mediaInput('http://origin:9000/b/k?X-Amz-Signature=1', 'mov,mp4,m4a,3gp,3g2,mj2'), '-f', 'null', '-']);
    assertConfined(['-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=10', '-f', 'null', '-']);
    assertConfined([...mediaInput('/x/s'), '-filter_complex', '[0:0]fps=30,scale=1280:720,split=2[v0][c0];[c0]scale=640:360,setsar=1[v1]']);
  });

  it('names the transport of the input and nothing else', () => {
    expect(mediaInput('/x/source')).toEqual([
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      expect.any(String),
      '-i',
      'file:/x/source',
    ]);
    expect(mediaInput('https://s3/b/k')).toContain('https,tls,tcp');
    expect(mediaInput('http://s3/b/k')).toContain('http,tcp');
    expect(mediaInput('/x/s', 'matroska,webm')).toContain('matroska');
    expect(() => mediaInput('/x/s', 'hls')).toThrow(MediaError);
  });

  it('refuses inputs that are not confined', () => {
    expect(refusal(['-i', '/x/source', '-f', 'null', '-'])).toMatch(/protocol allowlist/);
    expect(refusal(['-protocol_whitelist', 'file,http,tcp', '-i', '/x/s'])).toMatch(/protocol allowlist/);
    expect(refusal(['-protocol_whitelist', 'file', '-i', '/x/s'])).toMatch(/demuxer allowlist/);
    const confined = mediaInput('/x/s');
    expect(refusal([...confined.slice(0, -2), '-f', 'hls', '-i', '/x/s'])).toMatch(/demuxer hls/);
    // Each input needs its own lists: a second bare -i is not covered by the first's.
    expect(refusal([...confined, '-i', '/x/other'])).toMatch(/protocol allowlist/);
  });

  it('refuses filters and options that open files', () => {
    expect(refusal(['-f', 'lavfi', '-i', 'movie=/etc/passwd'])).toMatch(/filter movie/);
    expect(refusal([...mediaInput('/x/s'), '-vf', 'subtitles=/x/s'])).toMatch(/filter subtitles/);
    expect(refusal([...mediaInput('/x/s'), '-filter_complex', 'amovie=/x/y[a]'])).toMatch(/filter amovie/);
    expect(refusal([...mediaInput('/x/s'), '-vf', 'drawtext=textfile=/etc/passwd'])).toMatch(/filter drawtext/);
    expect(refusal([...mediaInput('/x/s'), '-vf', 'metadata=mode=print:file=/tmp/out'])).toMatch(/does not take the argument file/);
    expect(refusal([...mediaInput('/x/s'), '-vf', "scale='iw':ih"])).toMatch(/quoted/);
    expect(refusal([...mediaInput('/x/s'), '-filter_complex_script', '/x/g'])).toMatch(/filter_complex_script/);
    expect(refusal([...mediaInput('/x/s'), '-attach', '/etc/passwd'])).toMatch(/-attach/);
    // Stream specifiers do not hide an option, and positional arguments do not hide a file.
    expect(refusal([...mediaInput('/x/s'), '-filter:0', 'movie=/etc/passwd'])).toMatch(/filter movie/);
    expect(refusal([...mediaInput('/x/s'), '-filter:V', 'amovie=/x'])).toMatch(/filter amovie/);
    expect(refusal([...mediaInput('/x/s'), '-filter_script:v', '/x/g'])).toMatch(/filter_script:v/);
    expect(refusal([...mediaInput('/x/s'), '-dump_attachment:t:0', '/x/a'])).toMatch(/dump_attachment/);
    expect(refusal([...mediaInput('/x/s'), '-vf', 'metadata=print:a:b:same_str:1:/tmp/x'])).toMatch(/argument at place 5/);
    expect(refusal([...mediaInput('/x/s'), '-vf', 'metadata=print:a:b:same_str:1:file\\:x'])).toMatch(/quoted or escaped/);
    expect(refusal([...mediaInput('/x/s'), '-vf', 'metadata=mode=print:key=k:value=http://x/'])).toMatch(/no positional argument/);
    // Each filter takes only its listed arguments, by name or by place, and no value that looks like a path.
    expect(refusal([...mediaInput('/x/s'), '-vf', 'metadata=print:k:v:same_str:e:./../../../../tmp/x'])).toMatch(/argument at place 5/);
    expect(refusal([...mediaInput('/x/s'), '-vf', 'split[a][b];[a]palettegen[p];[b][p]paletteuse=debug_kdtree=./../../tmp/x'])).toMatch(
      /does not take the argument debug_kdtree/,
    );
    expect(refusal([...mediaInput('/x/s'), '-vf', 'scale=w=640:threads=64'])).toMatch(/argument threads/);
    expect(refusal([...mediaInput('/x/s'), '-vf', 'scale=w=640:320'])).toMatch(/no positional argument after a named one/);
    for (const value of ['./x', '~/x', '/x', 'a/../b', 'tmp/x'])
      expect(refusal([...mediaInput('/x/s'), '-vf', `metadata=mode=add:key=k:value=${value}`])).toMatch(/may not name a file/);
    assertConfined([...mediaInput('/x/s'), '-vf', 'scale=iw/2:-2,fps=30000/1001,setsar=1/1,setpts=PTS/2', '-f', 'null', '-']);
    // The metric filters' first argument is a stats file; they run bare or not at all.
    expect(refusal([...mediaInput('/x/s'), ...mediaInput('/x/d'), '-filter_complex', '[0:v][1:v]psnr=stats.log'])).toMatch(
      /takes no arguments/,
    );
    expect(refusal([...mediaInput('/x/s'), ...mediaInput('/x/d'), '-filter_complex', '[0:v][1:v]ssim=stats_file=x'])).toMatch(
      /takes no arguments/,
    );
    assertConfined([...mediaInput('/x/s'), ...mediaInput('/x/d'), '-filter_complex', '[1:v][0:v]psnr;[1:v][0:v]ssim', '-f', 'null', '-']);
  });
});

describe('runProcess', () => {
  it("sets a run's address space and CPU seconds with prlimit, and a huge frame then fails to allocate", async () => {
    let out = '';
    const onStdout = (c: Buffer) => {
      out += c.toString();
    };
    const result = await runProcess('sh', ['-c', 'ulimit -v; ulimit -t'], { rlimits: { memoryBytes: 2 ** 30, cpuSeconds: 7 }, onStdout });
    expect(result.code).toBe(0);
    expect(out.split('\n').slice(0, 2)).toEqual(['1048576', '7']);
    const huge = ['-f', 'lavfi', '-i', 'testsrc2=size=7680x4320:duration=0.2', '-vf', 'scale=7680:4320,tile=8x8', '-f', 'null', '-'];
    await expect(runFfmpeg(huge, { rlimits: { memoryBytes: 256 * 2 ** 20, cpuSeconds: 60 } })).rejects.toMatchObject({
      code: 'FFMPEG_FAILED',
    });
  });

  it('runs a tool in an empty directory of its own, removed afterwards, with none of our environment', async () => {
    const { dir, cleanup } = await tempDir();
    const secrets = { S3_SECRET_ACCESS_KEY: 'kino-secret-xyz', DATABASE_URL: 'postgres://u:p@db/kino', http_proxy: 'http://proxy:1' };
    Object.assign(process.env, secrets);
    try {
      const out: Buffer[] = [];
      const r = await runProcess('sh', ['-c', 'env; echo "cwd=$(pwd)"; echo "files=$(ls -A | wc -l)"'], {
        scratchRoot: dir,
        onStdout: (c) => out.push(c),
      });
      expect(r.code).toBe(0);
      const text = Buffer.concat(out).toString();
      const vars = text
        .split('\n')
        .filter((l) => /^[A-Za-z_]+=/.test(l) && !/^(cwd|files)=/.test(l))
        .map((l) => l.split('=')[0]!)
        .sort();
      // sh adds PWD (and SHLVL) itself; what we hand over is PATH and the locale.
      expect(vars.filter((v) => !['PWD', 'SHLVL', '_'].includes(v))).toEqual(['LC_ALL', 'PATH']);
      for (const value of Object.values(secrets)) expect(text).not.toContain(value);
      expect(text).toMatch(new RegExp(`cwd=${dir}/kino-run-\\w+`));
      expect(text).toContain('files=0');
      expect(await readdir(dir)).toEqual([]);
    } finally {
      for (const k of Object.keys(secrets)) delete process.env[k];
      await cleanup();
    }
  });
});

describe('scrub', () => {
  it('keeps the words and drops URLs, presigned parameters, paths, hosts and key ids', () => {
    const said =
      '[http @ 0x55] HTTP error 403 Forbidden\nhttp://minio.internal:9000/kino/videos/a/source?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F: Server returned 403\n' +
      '/var/lib/kino/tmp/kino-job-1/source: Invalid data found when processing input\n' +
      'file:/var/lib/kino/tmp/kino-job-1/source: Invalid argument\n' +
      'Stream #0:0: Video: h264, 30000/1001 fps, I/O error X-Amz-Signature=abc AKIAIOSFODNN7EXAMPLE Connection to minio.internal:9000 failed';
    const clean = scrub(said, ['minio.internal:9000', 'minio.internal']);
    expect(clean).toContain('Invalid data found when processing input');
    expect(clean).toContain('30000/1001');
    expect(clean).toContain('I/O error');
    const socket = scrub('connect ECONNREFUSED 10.1.2.3:9000; getaddrinfo ENOTFOUND minio.internal; connect ECONNREFUSED [::1]:5432');
    expect(socket).toBe('connect ECONNREFUSED <host>; getaddrinfo ENOTFOUND <host>; connect ECONNREFUSED <host>');
    for (const leak of ['http://', 'file:', 'X-Amz', 'AKIA', '/var/lib', 'kino-job', 'minio.internal', 'videos/a'])
      expect(clean).not.toContain(leak);
  });
});
