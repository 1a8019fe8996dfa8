import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccount, issueApiKey } from '@kino/db';
import { createApi, type Api } from '@kino/api';
import { createEdge, type Edge } from '@kino/edge';
import { createWorker, type Worker } from '@kino/worker';
import {
  createTestConfig,
  createTestDatabase,
  createTestS3,
  makeFixture,
  type FixtureKind,
  type FixtureOptions,
  type TestDatabase,
  type TestS3,
} from '@kino/testkit';

export interface PlayerStack {
  db: TestDatabase;
  s3: TestS3;
  api: Api;
  edge: Edge;
  key: string;
  /** The worker started with the stack; stopping it (and starting another) holds an asset short of hls_ready. */
  worker: Worker;
  /** One more worker, with `env` over the stack's (e.g. WORKER_CONCURRENCY=0: just-in-time segments only). */
  startWorker(env?: Record<string, string>): Promise<Worker>;
  /** Uploads a generated clip (public by default) and returns its id at once. */
  upload(kind: FixtureKind, opts?: FixtureOptions, policy?: 'public' | 'signed'): Promise<string>;
  /** The asset as the authenticated api describes it. */
  asset(id: string): Promise<any>;
  /**
   * Uploads a generated clip and waits until its whole ladder is published. Public by
   * default (playback_policy), so its player page at /player/{id} answers.
   */
  uploadReady(kind: FixtureKind, opts?: FixtureOptions, policy?: 'public' | 'signed'): Promise<string>;
  /** A signed bootstrap from the authenticated api, as a developer's backend would get it. */
  playback(assetId: string, query?: string): Promise<any>;
  close(): Promise<void>;
}

/**
 * Api, worker and edge in this process on a private database, bucket and ports; `env` is
 * given to all three (and to workers started later).
 */
export async function startPlayerStack(env: Record<string, string> = {}): Promise<PlayerStack> {
  const [db, s3] = await Promise.all([createTestDatabase(), createTestS3()]);
  // Every page and browser here is one loopback address: the per-address limit of the player
  // routes (tested in services/api) must not throttle a long bench.
  const api = await createApi(await createTestConfig(db, s3, { ...env, PLAYER_RATE_PER_MINUTE: '100000' }));
  await api.start();
  const edge = await createEdge(
    await createTestConfig(db, s3, { ...env, KINO_API_URL: api.url, EDGE_ID: 'player-edge', EDGE_REGION: 'test' }),
  );
  await edge.start();
  const workers: Worker[] = [];
  const startWorker = async (extra: Record<string, string> = {}) => {
    const w = await createWorker(await createTestConfig(db, s3, { ...env, KINO_API_URL: api.url, ...extra }));
    await w.start();
    workers.push(w);
    return w;
  };
  const worker = await startWorker();
  // Playback is handed out only once the api has heard from an edge.
  while ((await db.sql`select 1 from edges`).length === 0) await new Promise((r) => setTimeout(r, 50));
  const key = (await issueApiKey(db.sql, (await createAccount(db.sql, 'player')).id)).key;
  const auth = { authorization: `Bearer ${key}` };
  const work = await mkdtemp(join(tmpdir(), 'kino-player-'));
  let n = 0;

  const stack: PlayerStack = {
    db,
    s3,
    api,
    edge,
    key,
    worker,
    startWorker,
    async upload(kind, opts, policy = 'public') {
      const file = await makeFixture(kind, join(work, `${n++}.mp4`), opts);
      const res = await fetch(`${api.url}/v1/videos?playback_policy=${policy}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'video/mp4' },
        body: await readFile(file),
      });
      if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    },
    async asset(id) {
      return (await fetch(`${api.url}/v1/assets/${id}`, { headers: auth })).json();
    },
    async uploadReady(kind, opts, policy = 'public') {
      const id = await stack.upload(kind, opts, policy);
      // Wait for the job to finish, not just for hls_ready: warming the edges comes after.
      for (;;) {
        const a = await stack.asset(id);
        if (a.progress?.job_state === 'succeeded') return id;
        if (a.progress?.job_state === 'failed') throw new Error(`processing of ${id} failed: ${JSON.stringify(a.error)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async playback(assetId, query = '') {
      const res = await fetch(`${api.url}/v1/assets/${assetId}/playback${query}`, { headers: auth });
      if (res.status !== 200) throw new Error(`playback answered ${res.status}: ${await res.text()}`);
      return res.json();
    },
    async close() {
      for (const w of workers) await w.stop();
      await edge.stop();
      await api.stop();
      await Promise.all([db.drop(), s3.close(), rm(work, { recursive: true, force: true })]);
    },
  };
  return stack;
}
