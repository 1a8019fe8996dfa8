// Step 4: Redis. Use whatever answers at REDIS_URL; when nothing does and the URL points at
// this machine, run a redis-server of our own with its files under .kino/redis.

import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { display, say } from './log.mjs';
import { bareHost, isLocalHost, probeRedis } from './net.mjs';
import { aptInstall, isAlive, run, sleep, which } from './system.mjs';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

function parseTarget(redisUrl) {
  const u = new URL(redisUrl);
  return {
    host: bareHost(u.hostname || '127.0.0.1'),
    port: Number(u.port || 6379),
    password: decodeURIComponent(u.password),
    tls: u.protocol === 'rediss:',
  };
}

const redisServerBin = () => which('redis-server');

/** The pid in .kino/redis/redis.pid if that process is still a redis-server. */
function runningPid(dir) {
  const file = join(dir, 'redis.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!(pid > 0) || !isAlive(pid)) return null;
  // A stale pid file may name a recycled pid: only ever signal an actual redis-server.
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('redis-server') ? pid : null;
  } catch {
    return pid; // no /proc (not Linux): trust the pid file
  }
}

/** A daemonized redis-server names its address in its title: "redis-server 127.0.0.1:6399". */
function listensOn(pid, port) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`:${port}`);
  } catch {
    return true;
  }
}

async function waitForPing(target, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await probeRedis(target.host, target.port)) === 'answers') return true;
    await sleep(100);
  }
  return false;
}

async function startLocalRedis(target, { kinoDir, root, report }) {
  const dir = join(kinoDir, 'redis');
  const shownDir = display(root, dir);
  mkdirSync(dir, { recursive: true });
  const args = [
    '--port',
    String(target.port),
    '--bind',
    target.host === 'localhost' ? '127.0.0.1' : target.host,
    '--dir',
    dir,
    '--daemonize',
    'yes',
    // A cache and a notification bus for Kino, never the truth (Postgres is): no persistence.
    '--save',
    '',
    '--appendonly',
    'no',
    '--logfile',
    join(dir, 'redis.log'),
    '--pidfile',
    join(dir, 'redis.pid'),
  ];
  // A REDIS_URL with a password must keep working against the server we start.
  if (target.password) args.push('--requirepass', target.password);

  const r = run(redisServerBin(), args, { capture: true, cwd: dir });
  if (!r.ok || !(await waitForPing(target, 10_000))) {
    const log = join(dir, 'redis.log');
    const lines = existsSync(log) ? readFileSync(log, 'utf8').trimEnd().split('\n').slice(-6) : [r.stderr.trim()];
    for (const line of lines) say(`  ${line}`);
    report.cannot(
      `redis: redis-server did not start at ${target.host}:${target.port} (log: ${shownDir}/redis.log)`,
      `redis-server ${args.map((a) => (a === '' ? '""' : a)).join(' ')}`,
    );
    return false;
  }
  say(`redis: started a local server at ${target.host}:${target.port} (log: ${shownDir}/redis.log)`);
  report.note(
    `redis at ${target.host}:${target.port} was started by kino and keeps running; stop it with: node scripts/bootstrap.mjs --stop`,
  );
  return true;
}

export async function stopRedis({ kinoDir }) {
  const dir = join(kinoDir, 'redis');
  const pid = runningPid(dir);
  if (!pid) {
    say('redis: no local server running under .kino/redis');
    return true;
  }
  process.kill(pid, 'SIGTERM'); // redis-server shuts down cleanly on SIGTERM
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) {
    say(`redis: pid ${pid} did not exit within 10 s`);
    return false;
  }
  rmSync(join(dir, 'redis.pid'), { force: true });
  say(`redis: stopped the local server (pid ${pid})`);
  return true;
}

/** Makes REDIS_URL usable. */
export async function ensureRedis({ redisUrl, kinoDir, root, report }) {
  const target = parseTarget(redisUrl);
  const where = `${target.host}:${target.port}`;
  let state = await probeRedis(target.host, target.port, { tls: target.tls });

  const ourPid = runningPid(join(kinoDir, 'redis'));
  const oursHere = ourPid !== null && listensOn(ourPid, target.port);
  if (state === 'answers') {
    const ours = oursHere;
    say(`redis: answers at ${where}${ours ? ' (the local server in .kino/redis)' : ''}`);
    return;
  }
  if (state === 'other') {
    report.cannot(
      `redis: ${where} is taken by something that is not Redis`,
      `free port ${target.port}, or set REDIS_URL to a Redis server`,
    );
    return;
  }
  if (!isLocalHost(target.host) || target.tls) {
    report.cannot(`redis: nothing answers at ${where}`, 'start that server, or unset REDIS_URL to use a local one');
    return;
  }

  if (ourPid !== null) {
    // One pid file under .kino/redis: a second server would make the first unstoppable.
    report.cannot(
      `redis: the local server in .kino/redis (pid ${ourPid}) listens elsewhere, but REDIS_URL asks for port ${target.port}`,
      'node scripts/bootstrap.mjs --stop   (then re-run)',
    );
    return;
  }
  say(`redis: nothing answers at ${where}; starting a local server`);
  if (!redisServerBin()) {
    const r = aptInstall(['redis-server'], { kinoDir, root });
    if (!r.ok) {
      report.cannot('redis: redis-server is not installed', r.fix);
      return;
    }
    // Debian's package starts its own service on 6379; use it when that is the port we want.
    state = await probeRedis(target.host, target.port);
    if (state === 'answers') {
      say(`redis: the redis-server package started a server at ${where}; using it`);
      return;
    }
  }
  await startLocalRedis(target, { kinoDir, root, report });
}
