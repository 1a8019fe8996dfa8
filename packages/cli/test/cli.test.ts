import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startArrivalReceiver, startPlayerStack, type ArrivalReceiver, type PlayerStack } from '@kino/testkit-stack';
import { runCli, runInTerminal, spawnCli } from './run-cli.ts';

// The kino CLI as a user runs it — a process of its own, its login in its own config
// directory — against a real stack: api, worker and edge.

let stack: PlayerStack;
let receiver: ArrivalReceiver;
/** XDG_CONFIG_HOME of the logged-in runs. */
let home: string;
let clip: string;
let assetId: string;

const cli = (args: string[], env: Record<string, string> = {}, input?: string) =>
  runCli(args, { configHome: home, env, ...(input !== undefined && { input }) });
const json = async (args: string[], env: Record<string, string> = {}) => {
  const r = await cli([...args, '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
const asKey = (key: string) => ({ KINO_API_URL: stack.api.url, KINO_API_KEY: key });

beforeAll(async () => {
  stack = await startPlayerStack();
  receiver = await startArrivalReceiver();
  home = await scratchDir('kino-cli-home-');
  clip = await makeFixture('standard', join(home, 'clip.mp4'), { seconds: 2 });
});
afterAll(async () => {
  await receiver?.close();
  await stack?.close();
});

describe('kino login', () => {
  it('checks the key with the API and stores the login readable by the user alone', async () => {
    const r = await json(['login', '--api-url', stack.api.url, '--api-key', stack.key]);
    expect(r).toMatchObject({ api_url: stack.api.url, account: { name: 'player' } });
    const dir = join(home, 'kino');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'config.json'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'))).toEqual({ api_url: stack.api.url, api_key: stack.key });
  });

  it('reads the key from stdin when it is not a terminal', async () => {
    const other = await scratchDir('kino-cli-stdin-');
    const r = await runCli(['login', '--api-url', stack.api.url], { configHome: other, input: `${stack.key}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(other, 'kino', 'config.json'), 'utf8')).api_key).toBe(stack.key);
  });

  it('refuses a wrong key with exit 3 and the API’s code, stores nothing, and never prints the key', async () => {
    const other = await scratchDir('kino-cli-badkey-');
    const bad = `kino_${'x'.repeat(40)}`;
    const r = await runCli(['login', '--api-url', stack.api.url, '--api-key', bad], { configHome: other });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^kino: [A-Z_]+: /);
    expect(r.stdout + r.stderr).not.toContain(bad);
    await expect(stat(join(other, 'kino', 'config.json'))).rejects.toThrow();
  });

  it('logout forgets the stored login: the next command exits 3', async () => {
    const other = await scratchDir('kino-cli-logout-');
    expect((await runCli(['login', '--api-url', stack.api.url, '--api-key', stack.key], { configHome: other })).code).toBe(0);
    expect((await runCli(['logout'], { configHome: other })).code).toBe(0);
    const r = await runCli(['ls'], { configHome: other });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('NOT_LOGGED_IN');
  });
});

describe('kino upload', () => {
  it('uploads, waits for the opener and prints the asset as JSON, with no progress bar when stderr is not a terminal', async () => {
    const r = await cli(['upload', clip, '--wait', 'opener', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const asset = JSON.parse(r.stdout);
    expect(asset).toMatchObject({ title: 'clip.mp4', source_state: 'uploaded' });
    expect(['opener_ready', 'hls_ready']).toContain(asset.playable_state);
    assetId = asset.id;
  });

  it('draws a progress bar with bytes, percent and speed on a terminal', async () => {
    const r = await runInTerminal(['upload', clip, '--title', 'on a terminal'], { configHome: home });
    expect(r.code, r.stdout).toBe(0);
    const size = (await stat(clip)).size;
    // Redrawn in place: a carriage return, then the finished bar.
    expect(r.stdout).toMatch(/\rclip\.mp4 +\[#+\] +100% +[0-9.]+ K?i?B \/ [0-9.]+ K?i?B +[0-9.]+ [KMG]?i?B\/s +in 0:0\d/);
    expect(r.stdout).toContain(String(size > 1024 ? (size / 1024).toFixed(1) : size));
    expect(r.stdout).toMatch(/on a terminal +(uploaded|awaiting_upload)/);
  });

  it('refuses a missing file as a usage error before uploading anything', async () => {
    const r = await cli(['upload', join(home, 'nope.mp4')]);
    expect(r.code).toBe(2);
  });
});

describe('reading and playing assets', () => {
  it('ls lists the asset, filtered by state, a page at a time or all of them', async () => {
    expect((await json(['ls'])).data.map((a: any) => a.id)).toContain(assetId);
    const page = await json(['ls', '--limit', '1']);
    expect(page.data).toHaveLength(1);
    expect(page.next_cursor).toEqual(expect.any(String));
    expect((await json(['ls', '--all', '--limit', '1'])).data.length).toBeGreaterThan(1);
    expect((await json(['ls', '--state', 'failed'])).data).toEqual([]);
    expect((await json(['ls', '--state', 'uploaded'])).data.map((a: any) => a.id)).toContain(assetId);
  });

  it('get prints the asset', async () => {
    expect(await json(['get', assetId])).toMatchObject({ id: assetId, playback_policy: 'signed' });
    const human = await cli(['get', assetId]);
    expect(human.stdout).toMatch(new RegExp(`ID: +${assetId}`));
  });

  it('play prints a signed URL on the edge that plays, and the player page of a public asset', async () => {
    const p = await json(['play', assetId, '--ttl', '60']);
    expect(p.url).toMatch(new RegExp(`^${stack.edge.url}/p/`));
    expect(p.player_url).toBeNull();
    expect((await fetch(p.url)).status).toBe(200);
    const pub = await json(['upload', clip, '--public', '--wait', 'opener']);
    const q = await json(['play', pub.id]);
    expect(q.player_url).toBe(`${stack.api.url}/player/${pub.id}`);
    expect((await fetch(q.player_url)).status).toBe(200);
    expect((await cli(['play', pub.id])).stdout).toContain(`Player page: ${q.player_url}`);
  });

  it('analytics prints playback and QoE numbers', async () => {
    const a = await json(['analytics', assetId]);
    expect(a.playback).toMatchObject({ asset_id: assetId, requests: expect.any(Number) });
    expect(a.qoe).toMatchObject({ asset_id: assetId, views: expect.any(Number) });
  });

  it('events lists an asset’s log, and --follow streams events as they happen, one JSON per line', async () => {
    const log = await json(['events', '--asset', assetId]);
    expect(log.data.map((e: any) => e.type)).toContain('asset.created');
    const since = log.data[0].id;
    const later = await json(['events', '--asset', assetId, '--since', String(since)]);
    expect(later.data[0].id).toBeGreaterThan(since);

    const follow = spawnCli(['events', '--follow', '--json', '--since', String(since - 1)], { configHome: home });
    const exited = new Promise<number | null>((r) => follow.child.once('exit', (code) => r(code)));
    const lines = async (n: number) => {
      while (follow.stdout().split('\n').filter(Boolean).length < n) await new Promise((r) => setTimeout(r, 50));
      return follow
        .stdout()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    };
    expect((await lines(1))[0]).toMatchObject({ id: since, asset_id: assetId, type: 'asset.created' });
    // Something new: it arrives on the open stream.
    const fresh = await json(['upload', clip]);
    await new Promise<void>((resolve) => {
      const poll = async () => ((await lines(1)).some((e) => e.asset_id === fresh.id) ? resolve() : setTimeout(poll, 50));
      void poll();
    });
    follow.child.kill('SIGINT');
    expect(await exited).toBe(130);
  });

  it('rm deletes with --yes, and refuses without it when nobody can be asked', async () => {
    const victim = await json(['upload', clip]);
    const refused = await cli(['rm', victim.id]);
    expect(refused.code).toBe(2);
    expect(await json(['rm', victim.id, '--yes'])).toEqual({ id: victim.id, deleted: true });
    expect((await json(['get', victim.id])).playable_state).toBe('deleted');
  });
});

describe('keys and webhooks', () => {
  it('creates a key shown once, lists it, uses it through KINO_API_KEY, and revokes it', async () => {
    const k = await json(['keys', 'create', '--name', 'ci', '--scope', 'read']);
    expect(k).toMatchObject({ name: 'ci', scopes: ['read'], key: expect.stringMatching(/^kino_/) });
    expect((await json(['keys', 'ls'])).data.map((x: any) => x.id)).toContain(k.id);
    // The environment overrides the stored login; a read key may list but not upload.
    expect((await json(['ls'], asKey(k.key))).data.map((a: any) => a.id)).toContain(assetId);
    const upload = await cli(['upload', clip], asKey(k.key));
    expect(upload.code).toBe(1);
    expect(upload.stderr).toMatch(/^kino: [A-Z_]+: /);
    expect(await json(['keys', 'revoke', k.id])).toEqual({ id: k.id, revoked: true });
    const revoked = await cli(['ls'], asKey(k.key));
    expect(revoked.code).toBe(3);
    expect(revoked.stderr + revoked.stdout).not.toContain(k.key);
  });

  it('manages a webhook: create (secret shown once), ls, deliveries, redeliver, rotate-secret, enable, rm', async () => {
    const w = await json(['webhooks', 'create', receiver.url, '--event', 'asset.created']);
    expect(w).toMatchObject({ url: receiver.url, event_types: ['asset.created'], secret: expect.stringMatching(/^whsec_/) });
    expect((await json(['webhooks', 'ls'])).data.map((x: any) => x.id)).toContain(w.id);
    await json(['upload', clip]);
    let deliveries: any[] = [];
    while (!deliveries.some((d) => d.state === 'succeeded')) {
      deliveries = (await json(['webhooks', 'deliveries', w.id])).data;
      await new Promise((r) => setTimeout(r, 100));
    }
    const d = deliveries.find((x) => x.state === 'succeeded');
    expect(await json(['webhooks', 'redeliver', w.id, d.id])).toMatchObject({ event_id: d.event_id });
    const rotated = await json(['webhooks', 'rotate-secret', w.id]);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(w.secret);
    expect(await json(['webhooks', 'enable', w.id])).toMatchObject({ id: w.id, enabled: true });
    expect(await json(['webhooks', 'rm', w.id])).toEqual({ id: w.id, deleted: true });
    expect((await json(['webhooks', 'ls'])).data.map((x: any) => x.id)).not.toContain(w.id);
  });
});

describe('exit codes and help', () => {
  it('exits 1 with the API’s code for an unknown asset', async () => {
    const r = await cli(['get', randomUUID()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kino: NOT_FOUND: .+\(request .+\)\n$/);
    const j = await cli(['get', randomUUID(), '--json']);
    expect(JSON.parse(j.stderr).error).toMatchObject({ code: 'NOT_FOUND', request_id: expect.any(String) });
  });

  it('exits 2 on a usage error: unknown command, missing argument, bad option value', async () => {
    for (const args of [['frobnicate'], ['get'], ['ls', '--limit', 'many'], ['upload', clip, '--wait', 'forever'], ['events']]) {
      const r = await cli(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).not.toBe('');
    }
  });

  it('exits 3 for a key the API refuses and 4 when the API cannot be reached', async () => {
    const bad = await cli(['ls'], asKey(`kino_${'0'.repeat(40)}`));
    expect(bad.code).toBe(3);
    const away = await cli(['ls'], { KINO_API_URL: 'http://127.0.0.1:1', KINO_API_KEY: stack.key });
    expect(away.code).toBe(4);
    expect(away.stderr).toContain('NETWORK_ERROR');
    expect(away.stderr).not.toContain(stack.key);
  });

  it('has --help on every command, exiting 0', async () => {
    const commands = [[], ['login'], ['logout'], ['upload'], ['ls'], ['get'], ['play'], ['events'], ['rm'], ['analytics'], ['mcp']];
    for (const group of ['keys', 'webhooks']) commands.push([group]);
    for (const sub of ['ls', 'create', 'revoke']) commands.push(['keys', sub]);
    for (const sub of ['ls', 'create', 'rm', 'deliveries', 'redeliver', 'rotate-secret', 'enable']) commands.push(['webhooks', sub]);
    for (const args of commands) {
      const r = await cli([...args, '--help']);
      expect({ args, code: r.code }).toEqual({ args, code: 0 });
      expect(r.stdout).toContain('Usage: kino');
    }
    expect((await cli(['--help'])).stdout).toContain('Exit codes:');
  });
});
