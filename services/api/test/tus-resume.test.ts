import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, issueApiKey } from '@kino/db';
import type { Config } from '@kino/config';
import {
  createTestConfig,
  createTestDatabase,
  createTestS3,
  makeFixture,
  padMp4,
  scratchDir,
  type TestDatabase,
  type TestS3,
} from '@kino/testkit';
import { startApiProcess, type ApiProcess } from '@kino/testkit-stack';
import { createWorker, type Worker } from '@kino/worker';

// A 200 MB tus upload cut off halfway by destroying its connection, resumed from where it
// stopped, and processed to hls_ready, with the api in a process of its own so that its
// memory is measured alone (as bench:pipeline measures the streamed upload's): sampled from
// /proc while the bytes flow, its growth stays under 100 MB.

const SIZE = 200 * 1024 * 1024;
const RSS_BOUND = 100 * 1024 * 1024;

let db: TestDatabase;
let s3: TestS3;
let config: Config;
let api: ApiProcess;
let worker: Worker;
let key: string;
let file: string;

beforeAll(async () => {
  [db, s3] = await Promise.all([createTestDatabase(), createTestS3()]);
  const env = { MAX_UPLOAD_BYTES: '256MiB' };
  config = await createTestConfig(db, s3, env);
  api = await startApiProcess(config, env);
  worker = await createWorker(config);
  await worker.start();
  key = (await issueApiKey(db.sql, (await createAccount(db.sql, 'tus')).id)).key;
  const dir = await scratchDir('kino-tus-resume-');
  file = await padMp4(await makeFixture('standard', join(dir, 'padded.mp4'), { seconds: 2 }), SIZE);
});
afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await Promise.all([db?.drop(), s3?.close()]);
});

/** The largest RSS growth of the api process over its RSS when `sample` starts, until `stop`. */
function sampleRss(): { stop(): Promise<number> } {
  let sampling = true;
  const done = (async () => {
    const before = await api.rss();
    let peak = before;
    while (sampling) {
      peak = Math.max(peak, await api.rss());
      await new Promise((r) => setTimeout(r, 25));
    }
    return peak - before;
  })();
  return {
    async stop() {
      sampling = false;
      return done;
    },
  };
}

describe('a resumable upload', () => {
  it('survives a connection destroyed halfway, resumes where it stopped, reaches hls_ready, and keeps the api’s memory bounded', async () => {
    const endpoint = `${api.url}/v1/uploads/tus`;
    const headers = { authorization: `Bearer ${key}` };
    const rss = sampleRss();

    // First attempt: one PATCH for the whole file, its connection destroyed past the middle.
    let assetId: string | undefined;
    let sentBeforeCut = 0;
    const first: tus.Upload = await new Promise((resolve, reject) => {
      const upload = new tus.Upload(createReadStream(file) as never, {
        endpoint,
        headers,
        metadata: { title: 'resumed', filetype: 'video/mp4' },
        retryDelays: [],
        onAfterResponse(req, res) {
          if (req.getMethod() === 'POST') assetId = res.getHeader('kino-asset-id');
        },
        onProgress(sent) {
          if (sentBeforeCut === 0 && sent > SIZE / 2) {
            sentBeforeCut = sent;
            void upload.abort().then(() => resolve(upload));
          }
        },
        onSuccess: () => reject(new Error('the upload finished before it was cut')),
        onError: reject,
      });
      upload.start();
    });
    expect(assetId).toMatch(/^[0-9a-f-]{36}$/);

    // What the server kept of it: everything up to about where the connection broke.
    const auth = { ...headers, 'tus-resumable': '1.0.0' };
    let kept = 0;
    await expect
      .poll(
        async () => {
          const head = await fetch(first.url!, { method: 'HEAD', headers: auth });
          kept = Number(head.headers.get('upload-offset'));
          return head.status;
        },
        { timeout: 30_000 },
      )
      .toBe(200);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(sentBeforeCut);

    // Second attempt: from the upload URL, tus-js-client asks for the offset and sends the rest.
    let resumedFrom: number | undefined;
    let sentAfter = 0;
    await new Promise<void>((resolve, reject) => {
      const upload = new tus.Upload(createReadStream(file) as never, {
        uploadUrl: first.url,
        headers,
        retryDelays: [],
        onBeforeRequest(req) {
          if (req.getMethod() === 'PATCH') resumedFrom ??= Number(req.getHeader('Upload-Offset'));
        },
        onProgress(sent) {
          sentAfter = sent - (resumedFrom ?? 0);
        },
        onSuccess: () => resolve(),
        onError: reject,
      });
      upload.start();
    });
    const growth = await rss.stop();

    expect(resumedFrom).toBe(kept);
    expect(sentAfter).toBe(SIZE - kept);
    // Sent twice: what was on its way when the connection broke — at most a part's worth and
    // the sockets' buffers, far less than the file.
    const resent = sentBeforeCut - kept;
    expect(resent).toBeLessThan(32 * 1024 * 1024);
    expect(growth).toBeLessThan(RSS_BOUND);

    const until = Date.now() + 110_000;
    let asset: any;
    for (;;) {
      asset = await (await fetch(`${api.url}/v1/assets/${assetId}`, { headers })).json();
      if (asset.playable_state === 'hls_ready' || asset.error || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(asset).toMatchObject({ title: 'resumed', source_state: 'uploaded', playable_state: 'hls_ready', error: null });
    expect(asset.source.bytes).toBe(SIZE);
  }, 240_000);
});
