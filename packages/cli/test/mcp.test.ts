import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startPlayerStack, type PlayerStack } from '@kino/testkit-stack';
import { cliEnv, KINO_BIN } from './run-cli.ts';

// `kino mcp` driven by the MCP SDK's own client over stdio, against a real stack. The video
// is imported from a listener on loopback, which the test stack's import guard allows
// (IMPORT_ALLOW_PRIVATE, as under `npm run up`).

let stack: PlayerStack;
let source: Server;
let client: Client;
/** The cancel test's second server: closed in afterAll too, should that test fail or time out. */
let other: Client | undefined;
let transport: StdioClientTransport;
let stderr = '';

beforeAll(async () => {
  stack = await startPlayerStack();
  const home = await scratchDir('kino-mcp-home-');
  const clip = await readFile(await makeFixture('standard', join(home, 'clip.mp4'), { seconds: 2 }));
  source = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'video/mp4' }).end(clip));
  await new Promise<void>((r) => source.listen(0, '127.0.0.1', r));
  transport = new StdioClientTransport({
    command: process.execPath,
    args: [KINO_BIN, 'mcp'],
    env: cliEnv(home, { KINO_API_URL: stack.api.url, KINO_API_KEY: stack.key }) as Record<string, string>,
    stderr: 'pipe',
  });
  transport.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  client = new Client({ name: 'kino-test', version: '1.0.0' });
  await client.connect(transport);
});
afterAll(async () => {
  await other?.close();
  await client?.close();
  source?.closeAllConnections();
  await new Promise((r) => source?.close(r));
  await stack?.close();
});

type Result = { isError?: boolean; content: { type: string; text: string }[] };
const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as Result;
const data = (r: Result) => {
  expect(r.isError, r.content[0]?.text).toBeFalsy();
  return JSON.parse(r.content[0]!.text);
};

describe('kino mcp', () => {
  it('lists its tools, each with a JSON schema for its input', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['delete_asset', 'get_analytics', 'get_asset', 'get_playback_url', 'import_video', 'list_assets', 'wait_for_playable'].sort(),
    );
    const del = tools.find((t) => t.name === 'delete_asset')!;
    expect(del.inputSchema).toMatchObject({ type: 'object', properties: { id: { type: 'string' }, confirm: { type: 'boolean' } } });
    expect(stderr).toContain('kino mcp: serving');
  });

  it('imports a video from a URL, waits until it plays, hands out a playback URL and reads its analytics', async () => {
    const url = `http://127.0.0.1:${(source.address() as AddressInfo).port}/clip.mp4`;
    const asset = data(await call('import_video', { url, title: 'from MCP' }));
    expect(asset).toMatchObject({ title: 'from MCP', source_state: 'importing' });
    const ready = data(await call('wait_for_playable', { id: asset.id, until: 'opener' }));
    expect(['opener_ready', 'hls_ready']).toContain(ready.playable_state);
    const playback = data(await call('get_playback_url', { id: asset.id, ttl_seconds: 60 }));
    expect(playback.url).toMatch(new RegExp(`^${stack.edge.url}/p/`));
    expect((await fetch(playback.url)).status).toBe(200);
    expect(data(await call('get_asset', { id: asset.id })).id).toBe(asset.id);
    expect(data(await call('list_assets', { limit: 10 })).data.map((a: any) => a.id)).toContain(asset.id);
    const analytics = data(await call('get_analytics', { id: asset.id }));
    expect(analytics).toMatchObject({ playback: { asset_id: asset.id }, qoe: { asset_id: asset.id } });

    const refused = await call('delete_asset', { id: asset.id });
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toMatch(/^CONFIRMATION_REQUIRED: /);
    expect(data(await call('get_asset', { id: asset.id })).playable_state).not.toBe('deleted');
    expect(data(await call('delete_asset', { id: asset.id, confirm: true }))).toEqual({ id: asset.id, deleted: true });
    expect(data(await call('get_asset', { id: asset.id })).playable_state).toBe('deleted');
  });

  it('answers an API refusal as a tool error with its code and message, and goes on serving', async () => {
    const missing = await call('get_asset', { id: randomUUID() });
    expect(missing.isError).toBe(true);
    expect(missing.content[0]!.text).toMatch(/^NOT_FOUND: .+ \(request .+\)$/);
    const bad = await call('import_video', { url: 'ftp://example.com/a.mp4' });
    expect(bad.isError).toBe(true);
    expect(bad.content[0]!.text).toMatch(/^INVALID_SOURCE_URL: /);
    expect((await client.listTools()).tools.length).toBe(7);
  });

  it('stops waiting in wait_for_playable when the client cancels the call', async () => {
    // A second server, reaching the api through a proxy of ours that sees its event streams open and close.
    const streams = { open: 0, closed: 0 };
    const proxy = createServer((req, res) => {
      const upstream = request(new URL(req.url!, stack.api.url), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
      if (req.url!.startsWith('/v1/events')) {
        streams.open++;
        res.on('close', () => {
          streams.closed++;
          upstream.destroy();
        });
      }
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    other = new Client({ name: 'kino-test-cancel', version: '1.0.0' });
    try {
      await other.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [KINO_BIN, 'mcp'],
          env: cliEnv(await scratchDir('kino-mcp-cancel-'), {
            KINO_API_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
            KINO_API_KEY: stack.key,
          }) as Record<string, string>,
          stderr: 'ignore',
        }),
      );
      // A direct upload never sent: it will not play, so only the cancel ends the wait.
      const made = await fetch(`${stack.api.url}/v1/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content_type: 'video/mp4' }),
      });
      const { asset } = (await made.json()) as { asset: { id: string } };
      const cancel = new AbortController();
      const call = other.callTool({ name: 'wait_for_playable', arguments: { id: asset.id, timeout_seconds: 3600 } }, undefined, {
        signal: cancel.signal,
      });
      const settled = call.then(
        () => 'answered',
        () => 'cancelled',
      );
      while (streams.open === 0) await new Promise((r) => setTimeout(r, 50));
      cancel.abort();
      expect(await settled).toBe('cancelled');
      // The server let go of its event stream: the wait is over, not left running for an hour.
      while (streams.closed < streams.open) await new Promise((r) => setTimeout(r, 50));
      expect(streams).toEqual({ open: 1, closed: 1 });
    } finally {
      await other.close();
      other = undefined;
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});
