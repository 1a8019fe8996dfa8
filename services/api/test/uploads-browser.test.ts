import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, padMp4 } from '@kino/testkit';
import { startStack, type Stack } from '@kino/testkit-stack';
import { launchChromium, startPageServer, type Browser, type PageServer } from '../../../apps/player/test/browser.ts';

// A direct upload as a web app makes one: the developer's backend opens the upload with its
// API key, and the page, on its own origin, sends the file straight to storage with fetch.
// This is what the bucket's CORS answers are for (a preflight for the PUT, the ETag exposed).

let s: Stack;
let pages: PageServer;
let browser: Browser;

beforeAll(async () => {
  [s, pages, browser] = await Promise.all([
    startStack({ UPLOAD_SINGLE_PUT_MAX_BYTES: '1MiB', UPLOAD_PART_BYTES: '5MiB' }),
    startPageServer(),
    launchChromium(),
  ]);
  await s.startWorker();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await s?.close();
});

/** Opens an upload the way a backend would, with the API key the page never sees. */
async function openUpload(bytes: number): Promise<{ asset: { id: string }; upload: any }> {
  const res = await fetch(`${s.api.url}/v1/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content_type: 'video/mp4', bytes }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as any;
}

/**
 * The page's upload code: the file as a Blob, sent whole or part by part; the ETags read
 * from the answers are what the backend completes a multipart upload with.
 */
async function uploadFromPage(file: Buffer, upload: any): Promise<{ part: number; etag: string }[]> {
  const page = await browser.context.newPage();
  try {
    await page.goto(pages.page('<!doctype html><title>upload</title>'));
    return await page.evaluate(
      async ({ base64, upload }) => {
        const blob = new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'video/mp4' });
        if (upload.url) {
          const res = await fetch(upload.url, { method: 'PUT', body: blob });
          if (!res.ok) throw new Error(`PUT answered ${res.status}`);
          return [];
        }
        const parts = [];
        for (const p of upload.parts) {
          const res = await fetch(p.url, { method: 'PUT', body: blob.slice((p.part - 1) * upload.part_bytes, p.part * upload.part_bytes) });
          if (!res.ok) throw new Error(`part ${p.part} answered ${res.status}`);
          const etag = res.headers.get('etag');
          if (!etag) throw new Error('the ETag of a part is not readable from the page');
          parts.push({ part: p.part, etag });
        }
        return parts;
      },
      { base64: file.toString('base64'), upload },
    );
  } finally {
    await page.close();
  }
}

async function completeAndPlay(id: string, parts: { part: number; etag: string }[]): Promise<void> {
  const res = await fetch(`${s.api.url}/v1/uploads/${id}/complete`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(parts.length > 0 ? { parts } : {}),
  });
  expect(res.status).toBe(200);
  const ready = await s.waitFor(id, (a) => a.playable_state === 'hls_ready' || a.error);
  expect(ready.playable_state).toBe('hls_ready');
}

describe('direct uploads from a browser page on another origin', () => {
  it('PUTs a file with fetch to its presigned URL', async () => {
    const file = await readFile(await makeFixture('standard', join(s.work, 'page.mp4'), { seconds: 2 }));
    const { asset, upload } = await openUpload(file.length);
    expect(await uploadFromPage(file, upload)).toEqual([]);
    await completeAndPlay(asset.id, []);
  }, 120_000);

  it('PUTs a large file part by part and reads each ETag', async () => {
    const file = await readFile(await padMp4(await makeFixture('standard', join(s.work, 'page-big.mp4'), { seconds: 2 }), 6 * 1024 * 1024));
    const { asset, upload } = await openUpload(file.length);
    const parts = await uploadFromPage(file, upload);
    expect(parts.map((p) => p.part)).toEqual([1, 2]);
    await completeAndPlay(asset.id, parts);
  }, 120_000);
});
