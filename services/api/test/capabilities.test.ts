import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@kino/testkit-stack';

// GET /v1/capabilities answers from what live workers' ffmpeg reported at their start.

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s?.close());

const capabilities = async () => {
  const res = await fetch(`${s.api.url}/v1/capabilities`, { headers: { authorization: `Bearer ${s.key}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as any;
};

/** POST /v1/analyze asking for vmaf: its status and error code. */
const analyzeVmaf = async () => {
  const res = await fetch(`${s.api.url}/v1/analyze`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reference: 'https://example.com/a.mp4', distorted: 'https://example.com/b.mp4', metrics: ['vmaf'] }),
  });
  return { status: res.status, code: ((await res.json()) as any).error?.code };
};

describe('GET /v1/capabilities', () => {
  it('is empty and stale before any worker reported', async () => {
    const c = await capabilities();
    expect(c).toMatchObject({
      containers: [],
      video_codecs: [],
      filters: [],
      vmaf: false,
      ffmpeg: { stale: true, workers: 0, probed_at: null },
    });
    // Whatever this host's ffmpeg has, VMAF is what the workers reported: none yet.
    expect(await analyzeVmaf()).toEqual({ status: 422, code: 'METRIC_UNAVAILABLE' });
    expect(c.operations).toContain('convert');
  });

  it('lists what a started worker’s ffmpeg has: libx264, aac, mp4, psnr', async () => {
    const worker = await s.startWorker();
    const c = await capabilities();
    expect(c.video_codecs).toContain('libx264');
    expect(c.audio_codecs).toContain('aac');
    expect(c.containers).toEqual(expect.arrayContaining(['mp4', 'matroska', 'webm']));
    // Only what a command may name as well: ffmpeg has these, the allowlist refuses them.
    for (const muxer of ['hls', 'image2', 'null', 'tee']) expect(c.containers).not.toContain(muxer);
    for (const encoder of ['mpeg4', 'rawvideo']) expect(c.video_codecs).not.toContain(encoder);
    expect(c.filters).toEqual(expect.arrayContaining(['psnr', 'ssim', 'scale']));
    // Only filters a command may use: ffmpeg's movie (which opens files) is never listed.
    expect(c.filters).not.toContain('movie');
    expect(c.metrics).toEqual(c.vmaf ? ['psnr', 'ssim', 'vmaf'] : ['psnr', 'ssim']);
    expect(c.ffmpeg).toMatchObject({ workers: 1, stale: false, version: expect.any(String) });
    expect(c.limits.max_upload_bytes).toBe(s.config.api.maxUploadBytes);

    // Another live worker whose ffmpeg lacks psnr: the answer is what every worker has.
    const [row] = await s.db.sql`select * from worker_capabilities where worker_id = ${worker.id}`;
    await s.db.sql`insert into workers (id, concurrency, ladder_concurrency) values ('fake-worker', 1, 1)`;
    await s.db.sql`
      insert into worker_capabilities (worker_id, ffmpeg_version, muxers, video_encoders, audio_encoders, filters, vmaf)
      values ('fake-worker', 'fake', ${row!.muxers}, ${row!.video_encoders}, ${row!.audio_encoders},
              ${(row!.filters as string[]).filter((f) => f !== 'psnr')}, false)`;
    const both = await capabilities();
    expect(both.filters).not.toContain('psnr');
    expect(both.filters).toContain('ssim');
    expect(both.ffmpeg.workers).toBe(2);
    // One live worker without libvmaf: analyze cannot promise it.
    expect(both.vmaf).toBe(false);
    expect(await analyzeVmaf()).toEqual({ status: 422, code: 'METRIC_UNAVAILABLE' });

    // No worker alive: the last known report, said to be stale.
    await s.db.sql`delete from workers`;
    const stale = await capabilities();
    expect(stale.ffmpeg).toMatchObject({ stale: true, workers: 0, probed_at: expect.any(String) });
    expect(stale.video_codecs.length).toBeGreaterThan(0);
  });
});
