import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryFile, connectionCounter, hostilePayloads, type Canary, type HostilePayload, type Listener } from '@kino/testkit';
import {
  encodeAudioSegment,
  encodeSegment,
  makeAudio,
  makeLadder,
  makeOpener,
  makeThumbnail,
  MediaError,
  planMedia,
  probe,
} from '../src/index.ts';
import { tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let net: Listener;
let canary: Canary;
let payloads: HostilePayload[];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  net = await connectionCounter();
  canary = await canaryFile(dir);
  payloads = await hostilePayloads(dir, net, canary);
});
afterAll(async () => {
  await canary.close();
  await net.close();
  await cleanup();
});

describe('hostile media', () => {
  it('the tripwires notice unconfined ffmpeg (so a zero below means something)', async () => {
    const run = promisify(execFile);
    const { dir: own, cleanup: done } = await tempDir();
    const ownNet = await connectionCounter();
    const ownCanary = await canaryFile(own);
    try {
      const [hls] = await hostilePayloads(own, ownNet, ownCanary);
      // What the worker used to run: ffprobe with ffmpeg's own defaults, local and remote.
      await run('ffprobe', ['-v', 'error', '-show_format', hls!.file], { timeout: 5_000 }).catch(() => {});
      await run('ffprobe', ['-v', 'error', '-protocol_whitelist', 'file,http,tcp', '-show_format', hls!.file], { timeout: 5_000 }).catch(
        () => {},
      );
      expect(ownNet.connections).toBeGreaterThan(0);
      expect(ownCanary.opened).toBe(true);
    } finally {
      await ownCanary.close();
      await ownNet.close();
      await done();
    }
  });

  it('every media step reads only the uploaded bytes: no connection, no canary read', async () => {
    const outcomes: Record<string, string> = {};
    for (const payload of payloads) {
      const out = join(dir, `out-${payload.name}`);
      try {
        const p = await probe(payload.file, { timeoutMs: 20_000 });
        await makeOpener(payload.file, `${out}.mp4`, p, { timeoutMs: 20_000 });
        await makeThumbnail(payload.file, `${out}.jpg`, p, { timeoutMs: 20_000 });
        const plan = planMedia(p);
        await makeLadder(payload.file, `${out}-hls`, p, plan, { timeoutMs: 60_000 });
        if (p.audio) await makeAudio(payload.file, `${out}-hls`, p, plan, { timeoutMs: 60_000 });
        if (p.audio) await encodeAudioSegment(payload.file, p, plan, 0, `${out}-jit-audio`, { timeoutMs: 60_000 });
        if (p.video) await encodeSegment(payload.file, p, plan, plan.video[0]!.name, 0, `${out}-jit`, { timeoutMs: 60_000 });
        outcomes[payload.name] = 'processed';
      } catch (err) {
        expect(err).toBeInstanceOf(MediaError);
        outcomes[payload.name] = (err as MediaError).code;
      }
    }
    // Text that names other files is not media; real videos that carry a playlist play.
    for (const payload of payloads) expect(outcomes[payload.name]).toBe(payload.playable ? 'processed' : 'CORRUPT_SOURCE');
    expect(net.connections).toBe(0);
    expect(canary.opened).toBe(false);
  });

  it('a probe over a presigned-style http URL cannot follow the playlist it fetches', async () => {
    const { createServer } = await import('node:http');
    const [hls] = payloads;
    const body = await import('node:fs/promises').then((fs) => fs.readFile(hls!.file));
    const server = createServer((_req, res) => res.end(body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/bucket/videos/a/source?X-Amz-Signature=secret`;
    try {
      const err = await probe(url, { timeoutMs: 20_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MediaError);
      expect((err as MediaError).code).toBe('CORRUPT_SOURCE');
      expect(JSON.stringify({ m: (err as MediaError).message, t: (err as MediaError).stderrTail })).not.toMatch(
        /X-Amz|127\.0\.0\.1|bucket/,
      );
      expect(net.connections).toBe(0);
      expect(canary.opened).toBe(false);
    } finally {
      server.close();
    }
  });
});
