import { request as httpRequest } from 'node:http';
import { createAccount, issueApiKey } from '@kino/db';
import { listKeys, listMultipartUploads } from '@kino/storage';
import { createTestConfig, createTestDatabase, createTestS3, type TestDatabase, type TestS3 } from '@kino/testkit';
import type { Config } from '@kino/config';
import { createApi, type Api } from '@kino/api';

export interface ApiHarness {
  db: TestDatabase;
  s3: TestS3;
  config: Config;
  api: Api;
  /** Two accounts, to prove that neither sees the other. */
  keyA: string;
  keyB: string;
  close(): Promise<void>;
}

export async function startApiHarness(env: Record<string, string> = {}): Promise<ApiHarness> {
  const [db, s3] = await Promise.all([createTestDatabase(), createTestS3()]);
  const config = await createTestConfig(db, s3, env);
  const api = await createApi(config);
  await api.start();
  const keyA = (await issueApiKey(db.sql, (await createAccount(db.sql, 'a')).id)).key;
  const keyB = (await issueApiKey(db.sql, (await createAccount(db.sql, 'b')).id)).key;
  return {
    db,
    s3,
    config,
    api,
    keyA,
    keyB,
    async close() {
      await api.stop();
      await Promise.all([db.drop(), s3.close()]);
    },
  };
}

/**
 * Sends a body chunk by chunk without a content-length and stops sending once the server
 * answers, as a client streaming a huge file would.
 */
export function streamUpload(url: string, key: string, chunks: number, chunk: Buffer): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'video/mp4', 'transfer-encoding': 'chunked' },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    let sent = 0;
    const pump = () => {
      while (!answered && sent < chunks) {
        sent += 1;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/**
 * Everything a stack has stored: asset rows, objects and multipart uploads. A refusal must
 * leave it as it was: tests compare it before and after.
 */
export async function storedState(h: Pick<ApiHarness, 'db' | 's3'>): Promise<{ assets: string[]; keys: string[]; multipart: string[] }> {
  return {
    assets: (await h.db.sql<{ id: string }[]>`select id from assets order by id`).map((r) => r.id),
    keys: (await listKeys(h.s3.storage, '')).sort(),
    multipart: (await listMultipartUploads(h.s3.storage)).map((u) => `${u.key} ${u.uploadId}`).sort(),
  };
}
