import { readFile, readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobPrefix } from '@kino/artifacts';
import { createAccount, issueApiKey } from '@kino/db';
import { vmafAvailable } from '@kino/media';
import { expireJobOutputs } from '@kino/pipeline';
import { listKeys } from '@kino/storage';
import { makeFixture } from '@kino/testkit';
import { type ApiHarness, startApiHarness, startStack, type Stack } from '@kino/testkit-stack';
import { signDownload } from '@kino/tokens';
import { openStream, type SseStream } from './sse.ts';

// The jobs API end to end: the api in this process, a worker in this process (so its
// ffmpeg children are ours to look for), real ffmpeg, S3, Postgres and Redis.

let s: Stack;
let assetId: string;
let keyB: string;
let images: Server;
let imageUrl: string;
let stream: SseStream;

const auth = (key = s.key) => ({ authorization: `Bearer ${key}` });
const post = async (body: unknown, key = s.key) => {
  const res = await fetch(`${s.api.url}/v1/jobs`, {
    method: 'POST',
    headers: { ...auth(key), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};
const get = async (id: string, key = s.key) => {
  const res = await fetch(`${s.api.url}/v1/jobs/${id}`, { headers: auth(key) });
  return { status: res.status, body: (await res.json()) as any };
};
async function settled(id: string, timeoutMs = 120_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await get(id);
    if (['succeeded', 'failed', 'cancelled'].includes(body.state)) return body;
    if (Date.now() > until) throw new Error(`job ${id} did not finish: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
/** The api's own origin: the download URL names the configured public one. */
const local = (url: string) => `${s.api.url}${new URL(url).pathname}${new URL(url).search}`;

/** ffmpeg processes this process started (the in-process worker's), by pid. */
async function ffmpegChildren(): Promise<number[]> {
  const pids: number[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
    if (m?.[1] === 'ffmpeg' && Number(m[2]) === process.pid) pids.push(Number(pid));
  }
  return pids;
}

beforeAll(async () => {
  s = await startStack();
  await s.startWorker({ WORKER_LADDER_CONCURRENCY: '2' });
  stream = await openStream(`${s.api.url}/v1/events`, { authorization: `Bearer ${s.key}` });
  const uploaded = await s.upload('standard', { seconds: 2, width: 160, height: 90 });
  assetId = uploaded.id;
  keyB = (await issueApiKey(s.db.sql, (await createAccount(s.db.sql, 'b')).id)).key;
  const png = await readFile(await makeFixture('still-image', join(s.work, 'mark.png'), { width: 32, height: 32 }));
  images = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(png));
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
  imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/mark.png`;
});
afterAll(async () => {
  stream?.close();
  images?.close();
  await s?.close();
});

describe('typed operations', () => {
  it('each produces an output ffprobe reads, with a download URL', async () => {
    const jobs = {
      convert: { operation: 'convert', inputs: [assetId], options: { container: 'webm', width: 80 } },
      trim: { operation: 'trim', inputs: [assetId], options: { start: 0.5, end: 1.5 } },
      extract_audio: { operation: 'extract_audio', inputs: [assetId], options: { codec: 'mp3' } },
      thumbnail: { operation: 'thumbnail', inputs: [assetId], options: { time: 1, width: 80, format: 'png' } },
      gif: { operation: 'gif', inputs: [assetId], options: { end: 1, fps: 5, width: 80 } },
      concat: { operation: 'concat', inputs: [assetId, assetId] },
      watermark: { operation: 'watermark', inputs: [assetId, imageUrl], options: { position: 'top-left', opacity: 0.5 } },
    };
    const ids: Record<string, string> = {};
    for (const [op, body] of Object.entries(jobs)) {
      const res = await post(body);
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body).toMatchObject({ operation: op, state: 'queued', outputs: [] });
      ids[op] = res.body.id;
    }
    const expected: Record<string, { type: string; codec: string }> = {
      convert: { type: 'video', codec: 'vp9' },
      trim: { type: 'video', codec: 'h264' },
      extract_audio: { type: 'audio', codec: 'mp3' },
      thumbnail: { type: 'video', codec: 'png' },
      gif: { type: 'video', codec: 'gif' },
      concat: { type: 'video', codec: 'h264' },
      watermark: { type: 'video', codec: 'h264' },
    };
    for (const [op, id] of Object.entries(ids)) {
      const job = await settled(id);
      expect(job, op).toMatchObject({ state: 'succeeded', progress: 1, error: null });
      expect(job.outputs).toHaveLength(1);
      expect(job.outputs[0].metadata.streams, op).toContainEqual(expect.objectContaining(expected[op]));
      expect(job.outputs[0].download_url).not.toMatch(/X-Amz|Signature=/);
    }
    const concat = await settled(ids['concat']!);
    expect(concat.outputs[0].metadata.duration_sec).toBeGreaterThan(3.5);
    const trim = await settled(ids['trim']!);
    expect(trim.outputs[0].metadata.duration_sec).toBeLessThan(1.5);
  });

  it('refuses options that do not fit, naming the field', async () => {
    const res = await post({ operation: 'convert', inputs: [assetId], options: { container: 'webm', video_codec: 'h264' } });
    expect(res).toMatchObject({ status: 422, body: { error: { code: 'INVALID_OPTIONS', details: { field: 'video_codec' } } } });
    const trim = await post({ operation: 'trim', inputs: [assetId], options: { start: 2, end: 1 } });
    expect(trim).toMatchObject({ status: 422, body: { error: { code: 'INVALID_OPTIONS', details: { field: 'end' } } } });
  });
});

describe('quality metrics', () => {
  it('analyze scores a video against its reference; convert measures its output with enable_metrics', async () => {
    const analyze = await (
      await fetch(`${s.api.url}/v1/analyze`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ reference: assetId, distorted: assetId, metrics: ['psnr', 'ssim'] }),
      })
    ).json();
    expect((analyze as any).operation).toBe('analyze');
    const convert = await post({ operation: 'convert', inputs: [assetId], options: { container: 'mp4', crf: 40 }, enable_metrics: true });
    expect(convert.status).toBe(202);

    const same = await settled((analyze as any).id);
    expect(same).toMatchObject({ state: 'succeeded', outputs: [], metrics: { psnr: 100, ssim: 1 } });
    const measured = await settled(convert.body.id);
    expect(measured.state).toBe('succeeded');
    expect(measured.metrics.psnr).toBeLessThan(100);
    expect(measured.metrics.ssim).toBeGreaterThan(0.5);
    expect(measured.metrics.ssim).toBeLessThan(1);
  });

  it('refuses vmaf where the worker cannot measure it', async () => {
    const res = await fetch(`${s.api.url}/v1/analyze`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ reference: assetId, distorted: assetId, metrics: ['vmaf'] }),
    });
    if (await vmafAvailable()) expect(res.status).toBe(202);
    else expect(((await res.json()) as any).error.code).toBe('METRIC_UNAVAILABLE');
  });
});

describe('presets', () => {
  it('converts with a preset and records the encode speed; an unknown preset is 400', async () => {
    const res = await post({ operation: 'convert', inputs: [assetId], preset: 'h265' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const job = await settled(res.body.id);
    expect(job.state).toBe('succeeded');
    expect(job.outputs[0].metadata.streams).toContainEqual(expect.objectContaining({ type: 'video', codec: 'hevc', height: 90 }));
    expect(await s.db.sql`select codec, height from encode_speed_samples where codec = 'h265'`).toEqual([{ codec: 'h265', height: 90 }]);
    expect(await post({ operation: 'convert', inputs: [assetId], preset: 'nope' })).toMatchObject({
      status: 400,
      body: { error: { code: 'UNKNOWN_PRESET' } },
    });
    expect(await post({ operation: 'convert', inputs: [assetId], preset: 'social_9x16' })).toMatchObject({
      status: 422,
      body: { error: { code: 'INVALID_OPTIONS', details: { field: 'preset' } } },
    });
  });
});

describe('command mode', () => {
  let done: any;

  it('runs a command with two outputs', async () => {
    const res = await post({
      ffmpeg_args: '-i {{in_video}} -vf "scale=80:-2" -c:v libx264 -crf 30 -an {{out_small}} -vn -c:a aac -b:a 64k {{out_audio}}',
      input_files: { in_video: assetId },
      output_files: { out_small: 'small.mp4', out_audio: 'sound.m4a' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.operation).toBe('command');
    done = await settled(res.body.id);
    expect(done.state).toBe('succeeded');
    expect(done.outputs.map((o: any) => o.name)).toEqual(['small.mp4', 'sound.m4a']);
    expect(done.outputs[0].metadata.streams).toEqual([expect.objectContaining({ type: 'video', codec: 'h264', width: 80 })]);
    expect(done.outputs[1].metadata.streams).toEqual([expect.objectContaining({ type: 'audio', codec: 'aac' })]);
    expect((await listKeys(s.s3.storage, jobPrefix(done.id))).sort()).toEqual([
      `${jobPrefix(done.id)}small.mp4`,
      `${jobPrefix(done.id)}sound.m4a`,
    ]);
  });

  it('serves an output at its signed URL, and refuses a forged or expired one', async () => {
    const output = done.outputs[0];
    const res = await fetch(local(output.download_url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="small.mp4"');
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect((await res.arrayBuffer()).byteLength).toBe(output.bytes);

    const url = new URL(local(output.download_url));
    const forged = new URL(url);
    forged.pathname = forged.pathname.replace('small.mp4', 'sound.m4a');
    const expired = new URL(url);
    expired.searchParams.set('token', signDownload(s.config.internalToken, { jobId: done.id, name: 'small.mp4', expiresAt: 1000 }));
    for (const [u, message] of [
      [forged, 'not valid'],
      [expired, 'expired'],
    ] as const) {
      const refused = await fetch(u);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as any).error).toMatchObject({
        code: 'INVALID_DOWNLOAD_TOKEN',
        message: expect.stringContaining(message),
      });
    }
  });

  it('refuses what the allowlist does not hold, naming the token, and queues nothing', async () => {
    const before = await s.db.sql`select count(*)::int as n from user_jobs`;
    const cases: Array<[string, Record<string, string>, string]> = [
      ['-f concat -i {{in_video}} {{out_o}}', { out_o: 'o.mp4' }, 'concat'],
      ['-i {{in_video}} -vf movie=x.mp4 {{out_o}}', { out_o: 'o.mp4' }, 'movie'],
      ['-i {{in_video}} -i /etc/passwd {{out_o}}', { out_o: 'o.mp4' }, '/etc/passwd'],
      ['-i {{in_video}} -vf scale=80:-2 http://127.0.0.1/x.mp4 {{out_o}}', { out_o: 'o.mp4' }, 'http://127.0.0.1/x.mp4'],
      ['-i {{in_video}} {{out_o}}', { out_o: 'o.exe' }, 'o.exe'],
      ['-i {{in_nope}} {{out_o}}', { out_o: 'o.mp4' }, '{{in_nope}}'],
      ['-i {{in_video}} {{out_o}} {{out_x}}', { out_o: 'o.mp4' }, '{{out_x}}'],
      [
        '-i {{in_video}} {{out_a}}',
        { out_a: 'a.mp4', out_b: 'b.mp4', out_c: 'c.mp4', out_d: 'd.mp4', out_e: 'e.mp4', out_f: 'f.mp4' },
        'out_f',
      ],
    ];
    for (const [args, outputs, token] of cases) {
      const res = await post({ ffmpeg_args: args, input_files: { in_video: assetId }, output_files: outputs });
      expect(res.status, args).toBe(422);
      expect(res.body.error, args).toMatchObject({ code: 'INVALID_COMMAND', details: { token } });
      expect(res.body.error.message).toContain(token);
    }
    expect(await s.db.sql`select count(*)::int as n from user_jobs`).toEqual(before);
  });

  it("refuses another account's asset as an input, and hides its jobs", async () => {
    const res = await post({ operation: 'thumbnail', inputs: [assetId] }, keyB);
    expect(res).toMatchObject({ status: 422, body: { error: { code: 'INVALID_INPUT', details: { input: 'inputs[0]' } } } });
    expect((await get(done.id, keyB)).status).toBe(404);
    const cancel = await fetch(`${s.api.url}/v1/jobs/${done.id}`, { method: 'DELETE', headers: auth(keyB) });
    expect(cancel.status).toBe(404);
  });

  it('lists jobs newest first with a cursor', async () => {
    const first = (await (await fetch(`${s.api.url}/v1/jobs?limit=2`, { headers: auth() })).json()) as any;
    expect(first.data).toHaveLength(2);
    expect(first.data[0].id).toBe(done.id);
    const next = (await (await fetch(`${s.api.url}/v1/jobs?cursor=${first.next_cursor}`, { headers: auth() })).json()) as any;
    expect(next.data.map((j: any) => j.id)).not.toContain(done.id);
  });
});

describe('cancel', () => {
  it('kills a running ffmpeg at once and leaves nothing stored', async () => {
    // A minute of 1080p at veryslow from a 2 s source: long enough to be caught running.
    const res = await post({
      ffmpeg_args: '-i {{in_video}} -vf tpad=stop_mode=clone:stop_duration=60,scale=1920:1080 -c:v libx264 -preset veryslow {{out_long}}',
      input_files: { in_video: assetId },
      output_files: { out_long: 'long.mp4' },
    });
    expect(res.status).toBe(202);
    const id = res.body.id;
    let pids: number[] = [];
    for (const until = Date.now() + 60_000; pids.length === 0; ) {
      const job = (await get(id)).body;
      if (job.state === 'running') pids = await ffmpegChildren();
      if (Date.now() > until) throw new Error(`no ffmpeg ran: ${JSON.stringify(job)}`);
      if (pids.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    const cancelled = await fetch(`${s.api.url}/v1/jobs/${id}`, { method: 'DELETE', headers: auth() });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as any).state).toBe('cancelled');
    // Gone: the worker heard the cancel and killed it (no timing asserted, only that it ends).
    for (const until = Date.now() + 30_000; (await ffmpegChildren()).some((p) => pids.includes(p)); ) {
      if (Date.now() > until) throw new Error('ffmpeg still runs after the cancel');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await s.db.sql`select state from media_jobs where job_id = ${id}`).toEqual([{ state: 'cancelled' }]);
    expect((await get(id)).body).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' }, outputs: [] });
    expect(await listKeys(s.s3.storage, jobPrefix(id))).toEqual([]);

    const again = await fetch(`${s.api.url}/v1/jobs/${id}`, { method: 'DELETE', headers: auth() });
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).error.code).toBe('JOB_FINISHED');
  });

  it('deletes the outputs of a finished job', async () => {
    const [job] = await s.db.sql<{ id: string }[]>`select id from user_jobs where state = 'succeeded' order by created_at limit 1`;
    const res = await fetch(`${s.api.url}/v1/jobs/${job!.id}/outputs`, { method: 'DELETE', headers: auth() });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).outputs).toEqual([]);
    expect(await listKeys(s.s3.storage, jobPrefix(job!.id))).toEqual([]);
  });

  it('expires the outputs of jobs finished longer ago than the retention', async () => {
    const [job] = await s.db.sql<{ id: string }[]>`
      select id from user_jobs where state = 'succeeded' and outputs <> '[]'::jsonb order by created_at limit 1`;
    expect(await listKeys(s.s3.storage, jobPrefix(job!.id))).not.toEqual([]);
    expect(await expireJobOutputs({ sql: s.db.sql, storage: s.s3.storage }, 7)).toBe(0);
    await s.db.sql`update user_jobs set finished_at = now() - interval '8 days' where id = ${job!.id}`;
    expect(await expireJobOutputs({ sql: s.db.sql, storage: s.s3.storage }, 7)).toBe(1);
    expect(await listKeys(s.s3.storage, jobPrefix(job!.id))).toEqual([]);
    expect((await get(job!.id)).body).toMatchObject({ state: 'succeeded', outputs: [] });
  });
});

describe('stored bytes', () => {
  it("counts jobs' outputs in the account's stored_bytes and refuses a job at the quota", async () => {
    const account = await createAccount(s.db.sql, 'outputs');
    const key = (await issueApiKey(s.db.sql, account.id)).key;
    await s.db.sql`update accounts set limits = ${s.db.sql.json({ stored_bytes: 1000 })} where id = ${account.id}`;
    await s.db.sql`
      insert into user_jobs (account_id, operation, state, request, outputs, finished_at)
      values (${account.id}, 'convert', 'succeeded', '{}'::jsonb, ${s.db.sql.json([{ name: 'a.mp4', bytes: 1000 }])}, now())`;
    const res = await post({ operation: 'thumbnail', inputs: ['https://media.example.com/a.mp4'] }, key);
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'QUOTA_EXCEEDED', details: { quota: 'stored_bytes', used: 1000 } } } });
  });
});

describe('events', () => {
  it('tells the stream of each job, asset_id null', async () => {
    const types = (await stream.until((e) => e.some((x) => x.event === 'job.cancelled'))).filter((e) => e.data.asset_id === null);
    const names = new Set(types.map((e) => e.event));
    for (const t of ['job.queued', 'job.started', 'job.progress', 'job.succeeded', 'job.cancelled']) expect(names).toContain(t);
    const succeeded = types.find((e) => e.event === 'job.succeeded')!;
    expect(succeeded.data.data).toMatchObject({ job_id: expect.any(String), outputs: expect.any(Array) });
  });
});

describe('bounds at the door', () => {
  let h: ApiHarness;
  let connections = 0;
  let listener: Server;

  beforeAll(async () => {
    h = await startApiHarness({ IMPORT_ALLOW_PRIVATE: 'false', TENANT_PLANS: JSON.stringify({ default: { user_jobs: 1 } }) });
    listener = createServer((_req, res) => res.end());
    listener.on('connection', () => connections++);
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    listener?.close();
    await h?.close();
  });

  const submit = async (input: string) => {
    const res = await fetch(`${h.api.url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keyA}`, 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'thumbnail', inputs: [input] }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('refuses an input URL to a private address without connecting', async () => {
    const res = await submit(`http://127.0.0.1:${(listener.address() as AddressInfo).port}/x.mp4`);
    expect(res).toMatchObject({ status: 422, body: { error: { code: 'INVALID_INPUT' } } });
    expect(connections).toBe(0);
  });

  it('bounds the jobs an account has queued or running', async () => {
    expect((await submit('https://media.example.com/a.mp4')).status).toBe(202);
    expect(await submit('https://media.example.com/b.mp4')).toMatchObject({ status: 429, body: { error: { code: 'TOO_MANY_JOBS' } } });
  });
});
