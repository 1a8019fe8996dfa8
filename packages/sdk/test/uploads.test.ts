import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, padMp4, scratchDir } from '@kino/testkit';
import { startStack, type Stack } from '@kino/testkit-stack';
import { createKino, KinoError } from '../src/index.ts';
import { fileResumeStore, uploadFile } from '../src/node.ts';
import { pieces } from '../src/tus.ts';
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

describe('the tus client against a misbehaving server', () => {
  const blob = async () => new Blob([await readFile(small)], { type: 'video/mp4' });
  const tusAnswer = (method: string, answer: (request: Request) => Response) => (request: Request) =>
    request.method === method && new URL(request.url).pathname.startsWith('/v1/uploads/tus') ? answer(request) : undefined;

  it('sends nothing to an upload URL on another origin, from the Location or from a resume store', async () => {
    const foreign = 'http://127.0.0.2:9/v1/uploads/tus/x';
    const { kino, requests } = recordingKino(
      s.api.url,
      tusAnswer('POST', () => new Response(null, { status: 201, headers: { location: foreign } })),
    );
    expect(await kino.uploads.create(await blob()).catch((e) => e)).toMatchObject({ code: 'UPLOAD_URL_FOREIGN', status: 0 });
    expect(requests.filter((r) => !r.startsWith('OPTIONS'))).toEqual(['POST /v1/uploads/tus']);

    // A remembered URL of another origin is forgotten, and a new upload made on this api.
    const store = new Map([['clip', foreign]]);
    const resume = {
      get: async (k: string) => store.get(k),
      set: async (k: string, v: string) => void store.set(k, v),
      remove: async (k: string) => void store.delete(k),
    };
    const recording = recordingKino();
    const asset = await recording.kino.uploads.create(await blob(), { resume, fingerprint: 'clip' });
    expect(asset.source_state).toBe('uploaded');
    expect(recording.requests.filter((r) => r.startsWith('HEAD'))).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('refuses a PATCH answer without a valid Upload-Offset, and gives up on PATCHes that keep nothing', async () => {
    const invalid = recordingKino(
      s.api.url,
      tusAnswer('PATCH', () => new Response(null, { status: 204, headers: { 'upload-offset': 'lots' } })),
    );
    expect(await invalid.kino.uploads.create(await blob()).catch((e) => e)).toMatchObject({ code: 'UPLOAD_OFFSET_INVALID', status: 0 });
    expect(invalid.requests.filter((r) => r.startsWith('PATCH'))).toHaveLength(1);

    // 2xx that never advance: retried with backoff like a cut, a bounded number of times, not spun on.
    const stalled = recordingKino(
      s.api.url,
      tusAnswer('PATCH', (r) => new Response(null, { status: 204, headers: { 'upload-offset': r.headers.get('upload-offset')! } })),
    );
    expect(await stalled.kino.uploads.create(await blob()).catch((e) => e)).toMatchObject({ code: 'UPLOAD_STALLED', status: 0 });
    expect(stalled.requests.filter((r) => r.startsWith('PATCH'))).toHaveLength(7);
  });

  it('stops in the retry wait when aborted, without asking the offset again', async () => {
    const stop = new AbortController();
    const { kino, requests } = recordingKino(
      s.api.url,
      tusAnswer('PATCH', () => {
        queueMicrotask(() => stop.abort());
        return new Response(null, { status: 503 });
      }),
    );
    expect(await kino.uploads.create(await blob(), { signal: stop.signal }).catch((e) => e)).toMatchObject({ name: 'AbortError' });
    expect(requests.filter((r) => r.startsWith('PATCH') || r.startsWith('HEAD'))).toEqual([expect.stringMatching(/^PATCH /)]);
  });
});

describe('pieces (browsers: no streamed request bodies)', () => {
  const bytes = Uint8Array.from({ length: 10 }, (_, i) => i);
  const collect = async (body: Parameters<typeof pieces>[0]) => {
    const got: { length: number; bytes: number[] }[] = [];
    for await (const p of pieces(body, 10, { streams: false, size: 4 })) {
      const b = p.body instanceof Blob ? new Uint8Array(await p.body.arrayBuffer()) : (p.body as Uint8Array);
      got.push({ length: p.length, bytes: [...b] });
    }
    return got;
  };
  const expected = [
    { length: 4, bytes: [0, 1, 2, 3] },
    { length: 4, bytes: [4, 5, 6, 7] },
    { length: 2, bytes: [8, 9] },
  ];

  it('slices an array and a Blob, and gathers a stream into Blobs, of at most the piece size', async () => {
    expect(await collect(bytes)).toEqual(expected);
    expect(await collect(new Blob([bytes]))).toEqual(expected);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const [a, b] of [
          [0, 3],
          [3, 8],
          [8, 10],
        ])
          c.enqueue(bytes.slice(a, b));
        c.close();
      },
    });
    expect(await collect(stream)).toEqual(expected);
  });
});

describe('fileResumeStore', () => {
  it('keeps its file private, and reads a corrupt one as empty without quoting it', async () => {
    const file = join(dir, 'private', 'nested', 'uploads.json');
    const store = fileResumeStore(file);
    await store.set('a', 'http://127.0.0.1/v1/uploads/tus/a');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'private', 'nested'))).mode & 0o777).toBe(0o700);

    await writeFile(file, '{"a": "secret-ish, half written');
    expect(await store.get('a')).toBeUndefined();
    await store.set('b', 'http://127.0.0.1/v1/uploads/tus/b');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ b: 'http://127.0.0.1/v1/uploads/tus/b' });
  });
});
