import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, padMp4, scratchDir } from '@kino/testkit';
import { startStack, type Stack } from '@kino/testkit-stack';
import { createKino, KinoError } from '../src/index.ts';
import { fileResumeStore, uploadFile } from '../src/node.ts';
import { startCuttingProxy, type CuttingProxy } from './proxy.ts';

// Uploads through the SDK against a real api: tus when the api offers it (one PATCH for the
// whole file), a streamed POST otherwise, and resumption after a cut, within one call and
// across calls through a resume store.

const BIG = 24 * 1024 * 1024;

let s: Stack;
let proxy: CuttingProxy;
let dir: string;
let small: string;
let big: string;

beforeAll(async () => {
  s = await startStack({ MAX_UPLOAD_BYTES: '64MiB' });
  proxy = await startCuttingProxy(s.api.url);
  dir = await scratchDir('kino-sdk-uploads-');
  small = await makeFixture('standard', join(dir, 'small.mp4'), { seconds: 2 });
  big = await padMp4(await makeFixture('standard', join(dir, 'big.mp4'), { seconds: 2 }), BIG);
});
afterAll(async () => {
  await proxy?.close();
  await s?.close();
});

/** A client whose requests are written down as `METHOD path`. */
function recordingKino(baseUrl = s.api.url, answer?: (request: Request) => Response | undefined) {
  const requests: string[] = [];
  const kino = createKino({
    baseUrl,
    apiKey: s.key,
    fetch: async (input, init) => {
      const request = new Request(input, init?.body ? { ...init, body: null } : init);
      requests.push(`${request.method} ${new URL(request.url).pathname}`);
      return answer?.(request) ?? fetch(input, init);
    },
  });
  return { kino, requests };
}

describe('uploads.create', () => {
  it('sends a Blob over tus in one PATCH, reporting progress up to its size', async () => {
    const bytes = await readFile(small);
    const { kino, requests } = recordingKino();
    const seen: number[] = [];
    const asset = await kino.uploads.create(new Blob([bytes], { type: 'video/mp4' }), {
      title: 'tus blob',
      onProgress: (p) => {
        expect(p.totalBytes).toBe(bytes.length);
        seen.push(p.sentBytes);
      },
    });
    expect(asset).toMatchObject({ title: 'tus blob', source_state: 'uploaded', source: { bytes: bytes.length } });
    expect(requests.filter((r) => r.startsWith('PATCH'))).toEqual([`PATCH /v1/uploads/tus/${asset.id}`]);
    expect(requests).toContain('POST /v1/uploads/tus');
    expect(seen.at(-1)).toBe(bytes.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('streams a ReadableStream of unknown size as one POST /v1/videos', async () => {
    const bytes = await readFile(small);
    const { kino, requests } = recordingKino();
    const stream = new Blob([bytes]).stream();
    const asset = await kino.uploads.create(stream, { title: 'streamed', contentType: 'video/mp4', idempotencyKey: 'sdk-stream-1' });
    expect(asset).toMatchObject({ title: 'streamed', source: { bytes: bytes.length } });
    expect(requests).toEqual(['POST /v1/videos']);
  });

  it('falls back to a streamed POST when the api offers no tus', async () => {
    const bytes = await readFile(small);
    const { kino, requests } = recordingKino(s.api.url, (r) => (r.method === 'OPTIONS' ? new Response(null, { status: 404 }) : undefined));
    const progress: number[] = [];
    const asset = await kino.uploads.create(new Uint8Array(bytes), {
      contentType: 'video/mp4',
      onProgress: (p) => progress.push(p.sentBytes),
    });
    expect(asset.source?.bytes).toBe(bytes.length);
    expect(requests).toEqual(['OPTIONS /v1/uploads/tus', 'POST /v1/videos']);
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it('turns a refusal into a KinoError with the code, status and request id', async () => {
    const { kino } = recordingKino();
    const err = await kino.uploads
      .create(new TextEncoder().encode('not a video at all'.repeat(100)), { contentType: 'video/mp4' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(KinoError);
    expect(err).toMatchObject({ code: 'NOT_MEDIA', status: 415, requestId: expect.any(String) });
  });
});

describe('uploadFile (@kino/sdk/node)', () => {
  it('resumes within the call when the connection is cut mid-PATCH, from what the api stored', async () => {
    const { kino, requests } = recordingKino(proxy.url);
    const cut = proxy.cutAfter(BIG / 2);
    const asset = await uploadFile(kino, big, { title: 'cut once' });
    await cut;
    expect(asset).toMatchObject({ title: 'cut once', source_state: 'uploaded', source: { bytes: BIG } });
    // The second PATCH starts where the HEAD after the cut said the api stood.
    expect(requests.filter((r) => r.startsWith('PATCH')).length).toBeGreaterThanOrEqual(2);
    expect(requests).toContain(`HEAD /v1/uploads/tus/${asset.id}`);
  });

  it('resumes in a later call through the resume store, on the same asset, without sending the start again', async () => {
    const store = fileResumeStore(join(dir, 'uploads.json'));
    const { kino } = recordingKino();
    const stop = new AbortController();
    const first = await uploadFile(kino, big, {
      resume: store,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.sentBytes > BIG / 2) stop.abort();
      },
    }).catch((e) => e);
    expect(first).toMatchObject({ name: 'AbortError' });
    const remembered = Object.values(JSON.parse(await readFile(join(dir, 'uploads.json'), 'utf8')) as Record<string, string>);
    expect(remembered).toHaveLength(1);
    const { mtimeMs } = await stat(big);
    expect(await store.get(`${big}:${BIG}:${Math.floor(mtimeMs)}`)).toBe(remembered[0]);

    let resumedAt: number | undefined;
    const asset = await uploadFile(kino, big, { resume: store, onProgress: (p) => (resumedAt ??= p.sentBytes) });
    expect(remembered[0]).toMatch(new RegExp(`/v1/uploads/tus/${asset.id}$`));
    expect(resumedAt).toBeGreaterThan(0);
    expect(asset).toMatchObject({ source_state: 'uploaded', source: { bytes: BIG } });
    // Finished uploads are forgotten.
    expect(JSON.parse(await readFile(join(dir, 'uploads.json'), 'utf8'))).toEqual({});
  });
});
