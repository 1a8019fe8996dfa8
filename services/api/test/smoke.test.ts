import { type ChildProcess, execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayerStack, type PlayerStack } from '@kino/testkit-stack';

// `npm run smoke` run as an operator runs it: a subprocess that knows the stack only by its
// api URL and a key, against api, worker and edge started here.

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FLOWS = [
  'api and key',
  'upload → opener → HLS via edge',
  'signed-URL refusals',
  'coalesced cold fill',
  'events + SSE replay',
  'webhook delivery',
  'analytics counted',
  'delete → 410 at the edge',
];
let stack: PlayerStack;
/** Smoke runs not finished: a failed or timed-out test must not leave one running. */
const running = new Set<ChildProcess>();

beforeAll(async () => {
  stack = await startPlayerStack();
});
afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await stack?.close();
});

function smoke(key: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, KINO_API_URL: stack.api.url, KINO_API_KEY: key };
  return new Promise((resolve) => {
    // As `npm run smoke` runs it: @kino/sdk read from its sources.
    const args = ['--conditions=@kino/source', '--import', 'tsx', 'scripts/smoke.ts'];
    const child = execFile(process.execPath, args, { cwd: ROOT, env }, (err, stdout, stderr) => {
      running.delete(child);
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    running.add(child);
  });
}

describe('npm run smoke', () => {
  it('passes every flow against a working stack, one ok line each, and leaves no asset or webhook behind', {
    timeout: 400_000,
  }, async () => {
    const run = await smoke(stack.key);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const flow of FLOWS) expect(run.stdout).toMatch(new RegExp(`^  ok +${flow.replace(/[+.]/g, '\\$&')} +\\d+\\.\\d s  `, 'm'));
    expect(run.stdout).toContain(`${FLOWS.length} ok, 0 failed, 0 skipped`);
    const live = await stack.db.sql`select id from assets where deleted_at is null`;
    expect(live).toEqual([]);
    expect(await stack.db.sql`select id from webhooks where deleted_at is null`).toEqual([]);
  });

  it('fails at once, saying why, with a key the api refuses', async () => {
    const run = await smoke('kino_not-a-key-of-this-deployment');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}FAIL +api and key .*401 INVALID_API_KEY/m);
    expect(run.stdout).toContain(`0 ok, 1 failed, ${FLOWS.length - 1} skipped`);
  });
});
