import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConfig, createTestDatabase, createTestS3, type TestDatabase, type TestS3 } from '@kino/testkit';
import { createEdge, type Edge } from '../src/index.ts';

describe('edge', () => {
  let db: TestDatabase;
  let s3: TestS3;
  let edge: Edge;
  beforeAll(async () => {
    [db, s3] = await Promise.all([createTestDatabase(), createTestS3()]);
    edge = await createEdge(await createTestConfig(db, s3));
    await edge.start();
  });
  afterAll(async () => {
    await edge?.stop();
    await Promise.all([db?.drop(), s3?.close()]);
  });

  it('is healthy and ready while its origin answers, not ready once it stops', async () => {
    expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${edge.url}/readyz`)).json()).toEqual({ status: 'ok', checks: { origin: 'ok' } });
    await s3.close();
    const res = await fetch(`${edge.url}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { status: string }).status).toBe('unavailable');
  });
});
