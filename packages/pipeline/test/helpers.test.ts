import { spawnSync } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MASTER_PATH } from '@kino/artifacts';
import { MediaError, type LadderResult } from '@kino/media';
import { scratchDir } from '@kino/testkit';
import { describeFailure, ladderArtifacts, sweepDeadScratch } from '../src/index.ts';

describe('describeFailure', () => {
  it('fails a source that cannot play for good, and lets encoding failures retry', () => {
    expect(describeFailure(new MediaError('CORRUPT_SOURCE', 'Not a video.'))).toMatchObject({
      retryable: false,
      error: { code: 'CORRUPT_SOURCE', message: 'Not a video.' },
    });
    expect(describeFailure(new MediaError('FFMPEG_TIMEOUT', 'Too slow.'))).toMatchObject({
      retryable: false,
      error: { code: 'PROCESSING_TIMEOUT' },
    });
    expect(describeFailure(new MediaError('UNSAFE_COMMAND', 'Refused.'))).toMatchObject({
      retryable: false,
      error: { code: 'PROCESSING_FAILED' },
    });
    expect(describeFailure(new MediaError('FFMPEG_FAILED', 'Encoding failed.', { stderrTail: 'first\nConversion failed!' }))).toMatchObject(
      {
        retryable: true,
        error: { code: 'ENCODING_FAILED', message: 'The video could not be encoded: Conversion failed!' },
      },
    );
  });

  it('keeps URLs and paths out of what it reports about other errors', () => {
    const err = new Error('GET http://minio.internal:9000/bucket/sources/x?X-Amz-Signature=abc failed reading /var/tmp/kino-job-1/source');
    const report = describeFailure(err);
    expect(report).toMatchObject({ retryable: true, error: { code: 'PROCESSING_FAILED' } });
    expect(report.detail).toMatch(/^Error: /);
    expect(report.detail).not.toMatch(/minio\.internal|X-Amz-Signature|\/var\/tmp/);
  });
});

describe('sweepDeadScratch', () => {
  it('removes only the job directories of processes that are gone', async () => {
    const root = await scratchDir('kino-sweep-');
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    const dead = `kino-job-7-${exited}-abc`;
    const mine = `kino-job-8-${process.pid}-def`;
    for (const name of [dead, mine, 'unrelated']) await mkdir(join(root, name));
    expect(await sweepDeadScratch(root)).toBe(1);
    expect((await readdir(root)).sort()).toEqual([mine, 'unrelated'].sort());
  });
});

describe('ladderArtifacts', () => {
  it('lists each rendition with its dimensions, and the master last', async () => {
    const dir = await scratchDir('kino-ladder-');
    const ladder: LadderResult = {
      masterPath: join(dir, 'master.m3u8'),
      renditions: [
        {
          name: '240p',
          width: 320,
          height: 240,
          bandwidth: 500_000,
          averageBandwidth: 400_000,
          codecs: 'avc1.42c015,mp4a.40.2',
          dir: join(dir, '240p'),
          files: ['240p/index.m3u8', '240p/init.mp4', '240p/0.m4s'],
        },
      ],
    };
    const files = await ladderArtifacts(dir, ladder);
    expect(files.map((f) => [f.path, f.kind, f.rendition, f.height])).toEqual([
      ['hls/240p/index.m3u8', 'playlist', '240p', 240],
      ['hls/240p/init.mp4', 'init', '240p', 240],
      ['hls/240p/0.m4s', 'segment', '240p', 240],
      [MASTER_PATH, 'master', null, null],
    ]);
    expect(files[0]!.file).toBe(join(dir, '240p/index.m3u8'));
  });
});
