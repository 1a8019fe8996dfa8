import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { artifactPrefix } from '@kino/artifacts';
import { createAccount, issueApiKey } from '@kino/db';
import { downloadToFile, listKeys } from '@kino/storage';
import {
  createTestConfig,
  createTestDatabase,
  createTestS3,
  type FixtureKind,
  type FixtureOptions,
  makeFixture,
  scratchDir,
  type TestDatabase,
  type TestS3,
} from '@kino/testkit';
import type { Config } from '@kino/config';
import { createApi, type Api } from '@kino/api';
import { createWorker, type Worker } from '@kino/worker';

export interface Stack {
  db: TestDatabase;
  s3: TestS3;
  config: Config;
  api: Api;
  key: string;
  work: string;
  startWorker(env?: Record<string, string>): Promise<Worker>;
  upload(kind: FixtureKind, opts?: FixtureOptions): Promise<any>;
  asset(id: string): Promise<any>;
  waitFor(id: string, done: (a: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Downloads everything under videos/{id}/ to a local directory and returns it. */
  fetchArtifacts(id: string): Promise<string>;
  close(): Promise<void>;
}

/** Api in this process on a private database and bucket; workers started on demand. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const [db, s3] = await Promise.all([createTestDatabase(), createTestS3()]);
  const config = await createTestConfig(db, s3, env);
  const api = await createApi(config);
  await api.start();
  const key = (await issueApiKey(db.sql, (await createAccount(db.sql, 'e2e')).id)).key;
  const work = await scratchDir('kino-e2e-');
  const workers: Worker[] = [];
  const auth = { authorization: `Bearer ${key}` };
  let n = 0;

  const stack: Stack = {
    db,
    s3,
    config,
    api,
    key,
    work,
    async startWorker(extra = {}) {
      const worker = await createWorker(await createTestConfig(db, s3, { ...env, ...extra }));
      await worker.start();
      workers.push(worker);
      return worker;
    },
    async upload(kind, opts) {
      const file = await makeFixture(kind, join(work, `${kind}-${n++}.bin`), opts);
      const res = await fetch(`${api.url}/v1/videos?title=${kind}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'video/mp4' },
        body: await readFile(file),
      });
      if (res.status !== 201) throw new Error(`upload of ${kind} answered ${res.status}: ${await res.text()}`);
      return res.json();
    },
    async asset(id) {
      return (await fetch(`${api.url}/v1/assets/${id}`, { headers: auth })).json();
    },
    async waitFor(id, done, timeoutMs = 90_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const a = await stack.asset(id);
        if (done(a)) return a;
        if (Date.now() > until) throw new Error(`asset ${id} did not get there: ${JSON.stringify(a)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async fetchArtifacts(id) {
      const dir = join(work, id);
      for (const key of await listKeys(s3.storage, artifactPrefix(id))) {
        const file = join(dir, key.slice(artifactPrefix(id).length));
        await mkdir(dirname(file), { recursive: true });
        await downloadToFile(s3.storage, key, file);
      }
      return dir;
    },
    async close() {
      for (const w of workers) await w.stop();
      await api.stop();
      await Promise.all([db.drop(), s3.close()]);
    },
  };
  return stack;
}
