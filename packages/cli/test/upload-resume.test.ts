import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, padMp4, scratchDir } from '@kino/testkit';
import { startStack, type Stack } from '@kino/testkit-stack';
import { runCli } from './run-cli.ts';

// An upload cut as a crash cuts it — the process killed mid-PATCH, connection dropped, no
// cleanup — and the same command run again: it resumes the same tus upload from the offset
// the server stored, through the upload URL remembered in the config directory.

const SIZE = 48 * 1024 * 1024;
const CUT = fileURLToPath(new URL('./cut-upload.mjs', import.meta.url));

let stack: Stack;
let home: string;
let file: string;

beforeAll(async () => {
  stack = await startStack();
  await stack.startWorker();
  home = await scratchDir('kino-cli-resume-');
  file = await padMp4(await makeFixture('standard', join(home, 'big.mp4'), { seconds: 2 }), SIZE);
});
afterAll(() => stack?.close());

const env = () => ({ KINO_API_URL: stack.api.url, KINO_API_KEY: stack.key });

describe('kino upload after a cut', () => {
  it('resumes the same upload from the server’s offset and finishes it, then forgets its URL', async () => {
    const first = await runCli(['upload', file, '--json'], {
      configHome: home,
      env: { ...env(), KINO_TEST_CUT_AFTER_BYTES: String(20 * 1024 * 1024) },
      nodeArgs: ['--import', CUT],
    });
    expect(first.code).not.toBe(0);
    expect(first.stderr).toContain('[cut-upload] PATCH from 0');
    const remembered = JSON.parse(await readFile(join(home, 'kino', 'uploads.json'), 'utf8')) as Record<string, string>;
    const [key, uploadUrl] = Object.entries(remembered)[0]!;
    expect(key.startsWith(`${stack.api.url} `)).toBe(true);
    expect((await stat(join(home, 'kino', 'uploads.json'))).mode & 0o777).toBe(0o600);
    const assetId = uploadUrl.split('/').pop()!;
    const head = await fetch(uploadUrl, { method: 'HEAD', headers: { authorization: `Bearer ${stack.key}`, 'tus-resumable': '1.0.0' } });
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(SIZE);

    const second = await runCli(['upload', file, '--json', '--wait', 'opener'], {
      configHome: home,
      env: env(),
      nodeArgs: ['--import', CUT],
    });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`[cut-upload] PATCH from ${offset}`);
    expect(second.stderr).not.toContain('PATCH from 0');
    const asset = JSON.parse(second.stdout);
    expect(asset).toMatchObject({ id: assetId, source_state: 'uploaded', source: { bytes: SIZE } });
    expect(JSON.parse(await readFile(join(home, 'kino', 'uploads.json'), 'utf8'))).toEqual({});
  });
});
