import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, scratchDir } from '@kino/testkit';
import { startArrivalReceiver, startPlayerStack, type ArrivalReceiver, type PlayerStack } from '@kino/testkit-stack';
import { killRunning, type RunningCli, runCli, runInTerminal, spawnCli, spawnPiped } from './run-cli.ts';

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

/** The JSON lines a running CLI printed, once `ok` holds of them; fails if it exits first. */
async function printed(cli: RunningCli, ok: (events: any[]) => boolean): Promise<any[]> {
  for (;;) {
    const ended = cli.ended();
    const events = cli
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    if (ok(events)) return events;
    if (ended) throw new Error(`the CLI exited (${await cli.exited}) first: ${cli.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  stack = await startPlayerStack();
  receiver = await startArrivalReceiver();
  home = await scratchDir('kino-cli-home-');
  clip = await makeFixture('standard', join(home, 'clip.mp4'), { seconds: 2 });
});
afterAll(async () => {
  // A --follow left running by a failed or timed-out test.
  killRunning();
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

  it('narrows a config directory and login file made wider before to 0700 and 0600', async () => {
    const other = await scratchDir('kino-cli-modes-');
    const dir = join(other, 'kino');
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    await writeFile(join(dir, 'config.json'), '{}\n', { mode: 0o644 });
    await chmod(join(dir, 'config.json'), 0o644);
    const r = await runCli(['login', '--api-url', stack.api.url, '--api-key', stack.key], { configHome: other });
    expect(r.code, r.stderr).toBe(0);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'config.json'))).mode & 0o777).toBe(0o600);
  });

  it('refuses a login file that is not JSON with exit 3, printing no part of the key in it', async () => {
    const other = await scratchDir('kino-cli-corrupt-');
    const secret = 'SECRE7abcdefghijklmnop';
    await mkdir(join(other, 'kino'), { mode: 0o700 });
    // JSON.parse's own message would quote `"api_key": kino_SECRE`.
    await writeFile(join(other, 'kino', 'config.json'), `{"api_url": "${stack.api.url}", "api_key": kino_${secret}"}`, { mode: 0o600 });
    for (const args of [['ls'], ['ls', '--json']]) {
      const r = await runCli(args, { configHome: other });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('CONFIG_INVALID');
      for (let i = 0; i + 4 <= secret.length; i++) expect(r.stdout + r.stderr).not.toContain(secret.slice(i, i + 4));
    }
    // kino logout still removes it, and kino login replaces it.
    expect((await runCli(['logout'], { configHome: other })).code).toBe(0);
    expect((await runCli(['login', '--api-url', stack.api.url, '--api-key', stack.key], { configHome: other })).code).toBe(0);
  });

  it('takes KINO_API_URL and KINO_API_KEY only as a pair: one alone is refused and the key goes nowhere', async () => {
    const other = await scratchDir('kino-cli-envpair-');
    // A stored login for another server, which records whatever reaches it.
    const asked: string[] = [];
    const elsewhere = createServer((req, res) => {
      asked.push(String(req.headers.authorization));
      res.writeHead(401).end();
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
      await mkdir(join(other, 'kino'), { mode: 0o700 });
      await writeFile(join(other, 'kino', 'config.json'), JSON.stringify({ api_url: url, api_key: 'kino_stored' }), { mode: 0o600 });
      const keyAlone = await runCli(['ls', '--json'], { configHome: other, env: { KINO_API_KEY: stack.key } });
      expect(keyAlone.code).toBe(2);
      expect(JSON.parse(keyAlone.stderr).error).toMatchObject({
        code: 'ENV_LOGIN_INCOMPLETE',
        message: expect.stringContaining('KINO_API_URL'),
      });
      const urlAlone = await runCli(['ls'], { configHome: other, env: { KINO_API_URL: stack.api.url } });
      expect(urlAlone.code).toBe(2);
      expect(urlAlone.stderr).toContain('ENV_LOGIN_INCOMPLETE');
      expect(asked).toEqual([]);
      const both = await runCli(['ls', '--json'], { configHome: other, env: asKey(stack.key) });
      expect(both.code, both.stderr).toBe(0);
      expect(asked).toEqual([]);
    } finally {
      elsewhere.closeAllConnections();
      await new Promise((r) => elsewhere.close(r));
    }
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
    expect(r.stdout).toMatch(/\rclip\.mp4 +\[#+\] +100% +[0-9.]+ K?i?B \/ [0-9.]+ K?i?B +[0-9.]+ [KMG]?i?B\/s +in \d+:\d\d/);
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
    expect((await printed(follow, (events) => events.length > 0))[0]).toMatchObject({
      id: since,
      asset_id: assetId,
      type: 'asset.created',
    });
    // Something new: it arrives on the open stream.
    const fresh = await json(['upload', clip]);
    await printed(follow, (events) => events.some((e) => e.asset_id === fresh.id));
    follow.child.kill('SIGINT');
    expect(await follow.exited).toBe(130);
  });

  it('stops quietly, exit 0, when the reader of its output goes away (| head -1)', async () => {
    const listed = await spawnPiped(['ls', '--all', '--json'], 'head -1', { configHome: home }).exited;
    expect(listed).toBe(0);
    // A stream never ends by itself: only the closed pipe ends it. head prints the first
    // event and exits; the CLI's next write (the replay, or the upload's events) meets EPIPE.
    const follow = spawnPiped(['events', '--follow', '--json', '--since', '0'], 'head -1', { configHome: home });
    await printed(follow, (events) => events.length === 1);
    await json(['upload', clip]);
    expect(await follow.exited, follow.stderr()).toBe(0);
    expect(follow.stderr()).toBe('');
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

  it('prints a usage error as the JSON error shape with --json, and says so in --help', async () => {
    const r = await cli(['ls', '--limit', 'many', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toEqual({ error: { code: 'USAGE', message: expect.stringContaining("'many' is invalid") } });
    expect((await cli(['frobnicate', '--json'])).stderr).toMatch(
      /^\{"error":\{"code":"USAGE","message":"unknown command 'frobnicate'"\}\}\n$/,
    );
    expect((await cli(['--help'])).stdout).toContain('usage errors included');
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
