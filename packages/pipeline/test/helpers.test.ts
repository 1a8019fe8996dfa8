import { spawnSync } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MASTER_PATH } from '@kino/artifacts';
import { MediaError, planMedia, type ProbeResult } from '@kino/media';
import { scratchDir } from '@kino/testkit';
import { describeFailure, hlsArtifacts, plannedSegment, sweepDeadScratch } from '../src/index.ts';

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
    const deadSegment = `kino-job-seg-${exited}-ghi`;
    const mine = `kino-job-8-${process.pid}-def`;
    for (const name of [dead, deadSegment, mine, 'unrelated']) await mkdir(join(root, name));
    expect(await sweepDeadScratch(root)).toBe(2);
    expect((await readdir(root)).sort()).toEqual([mine, 'unrelated'].sort());
  });
});

describe('hlsArtifacts', () => {
  it('describes each file by its rendition, as planned: size and average bit rate; audio and the master without', async () => {
    const dir = await scratchDir('kino-ladder-');
    const p: ProbeResult = {
      durationSec: 9,
      sizeBytes: 1,
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      video: { index: 0, codec: 'h264', width: 320, height: 240, displayWidth: 320, displayHeight: 240, rotation: 0, fps: 30 },
      audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48_000 },
    };
    const plan = planMedia(p);
    const files = hlsArtifacts(dir, plan, [
      { relative: '240p/index.m3u8', rendition: '240p' },
      { relative: '240p/init.mp4', rendition: '240p' },
      { relative: '240p/0.m4s', rendition: '240p' },
      { relative: 'audio/0.m4s', rendition: 'audio' },
      { relative: 'master.m3u8', rendition: null },
    ]);
    const average = plan.video[0]!.videoBitrate + 128_000;
    expect(files.map((f) => [f.path, f.kind, f.rendition, f.height, f.bitrate])).toEqual([
      ['hls/240p/index.m3u8', 'playlist', '240p', 240, average],
      ['hls/240p/init.mp4', 'init', '240p', 240, average],
      ['hls/240p/0.m4s', 'segment', '240p', 240, average],
      ['hls/audio/0.m4s', 'segment', 'audio', null, 128_000],
      [MASTER_PATH, 'master', null, null, null],
    ]);
    expect(files[0]!.file).toBe(join(dir, '240p/index.m3u8'));
  });
});

describe('plannedSegment', () => {
  const probe: ProbeResult = {
    durationSec: 9,
    sizeBytes: 1,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    video: { index: 0, codec: 'h264', width: 320, height: 240, displayWidth: 320, displayHeight: 240, rotation: 0, fps: 30 },
    audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48_000 },
  };
  const live = {
    media_probe: probe as unknown as Record<string, unknown>,
    deleted_at: null,
    source_state: 'uploaded' as const,
    error: null,
    preset: null,
  };

  it('places what the plan lists, an init segment as segment 0, and audio as audio', () => {
    expect(plannedSegment(live, 'hls/240p/2.m4s')).toMatchObject({ rendition: '240p', index: 2, audio: false });
    expect(plannedSegment(live, 'hls/240p/init.mp4')).toMatchObject({ rendition: '240p', index: 0, audio: false });
    expect(plannedSegment(live, 'hls/audio/1.m4s')).toMatchObject({ rendition: 'audio', index: 1, audio: true });
  });

  it('refuses what the plan does not list, and assets that are gone, failed or unplanned', () => {
    for (const path of ['hls/240p/3.m4s', 'hls/360p/0.m4s', 'hls/240p/index.m3u8', 'hls/master.m3u8', 'opener.mp4']) {
      expect(plannedSegment(live, path)).toBeUndefined();
    }
    expect(plannedSegment({ ...live, deleted_at: new Date() }, 'hls/240p/0.m4s')).toBeUndefined();
    expect(plannedSegment({ ...live, source_state: 'failed' }, 'hls/240p/0.m4s')).toBeUndefined();
    expect(plannedSegment({ ...live, error: { code: 'ENCODING_FAILED', message: 'x' } }, 'hls/240p/0.m4s')).toBeUndefined();
    expect(plannedSegment({ ...live, media_probe: null }, 'hls/240p/0.m4s')).toBeUndefined();
  });
});
