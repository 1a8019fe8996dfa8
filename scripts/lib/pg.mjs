// Step 3: PostgreSQL. Use whatever answers at DATABASE_URL; when nothing does and the URL
// points at this machine, run a cluster of our own under .kino/postgres. Then make sure the
// database named in the URL exists.

import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { display, say } from './log.mjs';
import { bareHost, isLocalHost, probePostgres } from './net.mjs';
import { aptInstall, isAlive, isRoot, run, which } from './system.mjs';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/kino';

// Postgres refuses to run as root; as root we run initdb/pg_ctl as Debian's `postgres` user.
const PG_USER = 'postgres';
const runAs = () => (isRoot() ? PG_USER : undefined);

function parseTarget(databaseUrl) {
  const u = new URL(databaseUrl);
  const user = decodeURIComponent(u.username) || 'postgres';
  return {
    url: databaseUrl,
    host: bareHost(u.hostname || '127.0.0.1'),
    port: Number(u.port || 5432),
    user,
    password: decodeURIComponent(u.password),
    // Same default as libpq and the `postgres` package: the database is named after the user.
    database: decodeURIComponent(u.pathname.slice(1)) || user,
  };
}

/** The URL with the password masked, for messages. */
function shown(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

// ---------------------------------------------------------------------------------------
// Binaries and the local cluster's files

/** Debian keeps server binaries off PATH, one dir per major version. Prefer the data dir's. */
function pgBinDir(dataDir) {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const wanted = dataDir && existsSync(join(dataDir, 'PG_VERSION')) ? readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim() : null;
  if (wanted && versions.includes(wanted)) return join(base, wanted, 'bin');
  if (versions.length > 0) return join(base, versions[0], 'bin');
  const pgCtl = which('pg_ctl');
  return pgCtl ? dirname(realpathSync(pgCtl)) : null;
}

/** Where our cluster lives (following the symlink described in `preparePgHome`). */
function pgHome(kinoDir) {
  const link = join(kinoDir, 'postgres');
  return existsSync(link) ? realpathSync(link) : link;
}

/**
 * Creates .kino/postgres, owned by the user Postgres runs as. When we are root and the repo
 * sits somewhere the `postgres` user cannot enter (a clone under /root is mode 700), the data
 * goes to /var/lib/kino/<hash of the repo path>/postgres and .kino/postgres links to it.
 */
function preparePgHome(kinoDir, root) {
  const link = join(kinoDir, 'postgres');
  if (existsSync(link)) return realpathSync(link);
  mkdirSync(link, { recursive: true });
  if (!isRoot()) return link;
  run('chown', [`${PG_USER}:${PG_USER}`, link]);
  if (run('test', ['-w', link], { as: PG_USER }).ok) return link;

  rmdirSync(link);
  const hash = createHash('sha1').update(root).digest('hex').slice(0, 12);
  const home = join('/var/lib/kino', hash, 'postgres');
  mkdirSync(home, { recursive: true });
  run('chown', [`${PG_USER}:${PG_USER}`, home]);
  symlinkSync(home, link);
  say(`postgres: user ${PG_USER} cannot enter ${root}; data goes to ${home} (linked from .kino/postgres)`);
  return home;
}

/** postmaster.pid → { pid, port } of the server running on this data dir, or null. */
function runningServer(dataDir) {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  return pid > 0 && isAlive(pid) ? { pid, port: Number(lines[3]) } : null;
}

const quoteConf = (s) => `'${s.replace(/'/g, "''")}'`;

/**
 * Settings that follow DATABASE_URL, rewritten before each start so the same cluster can
 * move to another port. postgresql.conf includes this file (added at initdb time).
 */
function writeKinoConf(dataDir, home, target) {
  // Unix socket paths are limited to ~107 bytes; a deep checkout gets TCP only (all we use).
  const socketDir = `${home}/.s.PGSQL.${target.port}`.length < 100 ? home : '';
  writeFileSync(
    join(dataDir, 'kino.conf'),
    [
      '# Written by scripts/bootstrap.mjs before every start: change DATABASE_URL, not this file.',
      `listen_addresses = ${quoteConf(target.host)}`,
      `port = ${target.port}`,
      `unix_socket_directories = ${quoteConf(socketDir)}`,
      '# A development cluster: crash-durability traded for speed (tests create many databases).',
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      '',
    ].join('\n'),
  );
}

function tail(file, n = 10) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n);
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------
// Starting and stopping our own cluster

/** initdb (once) + pg_ctl start. Returns true when a server answers afterwards. */
function startLocalCluster(target, { kinoDir, root, report }) {
  const home = preparePgHome(kinoDir, root);
  const dataDir = join(home, 'data');
  const logFile = join(home, 'postgres.log');
  const shownHome = display(root, join(kinoDir, 'postgres'));
  const bin = pgBinDir(dataDir);

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const r = run(join(bin, 'initdb'), ['-D', dataDir, '-U', PG_USER, '--auth=trust', '-E', 'UTF8', '--no-locale'], {
      as: runAs(),
      capture: true,
      cwd: home,
    });
    if (!r.ok) {
      for (const line of r.stderr.trimEnd().split('\n').slice(-6)) say(`  ${line}`);
      report.cannot(`postgres: initdb failed in ${dataDir}`, `fix the error above, remove ${dataDir}, re-run`);
      return false;
    }
    appendFileSync(join(dataDir, 'postgresql.conf'), "\ninclude_if_exists = 'kino.conf'\n");
    say(`postgres: created a cluster in ${shownHome}/data (superuser ${PG_USER}, trust auth)`);
  }

  const running = runningServer(dataDir);
  if (running) {
    report.cannot(
      `postgres: the local server in ${shownHome} runs on port ${running.port}, but DATABASE_URL asks for ${target.port}`,
      'node scripts/bootstrap.mjs --stop   (then re-run)',
    );
    return false;
  }

  writeKinoConf(dataDir, home, target);
  const r = run(join(bin, 'pg_ctl'), ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60'], {
    as: runAs(),
    capture: true,
    cwd: home,
  });
  if (!r.ok) {
    for (const line of tail(logFile, 8)) say(`  ${line}`);
    report.cannot(`postgres: pg_ctl start failed (log: ${logFile})`, `${join(bin, 'pg_ctl')} start -D ${dataDir} -l ${logFile}`);
    return false;
  }
  say(`postgres: started a local server at ${target.host}:${target.port} (log: ${shownHome}/postgres.log)`);
  report.note(
    `postgres at ${target.host}:${target.port} was started by kino and keeps running; stop it with: node scripts/bootstrap.mjs --stop`,
  );
  return true;
}

export function stopPostgres({ kinoDir }) {
  const dataDir = join(pgHome(kinoDir), 'data');
  const running = existsSync(dataDir) ? runningServer(dataDir) : null;
  if (!running) {
    say('postgres: no local server running under .kino/postgres');
    return true;
  }
  const bin = pgBinDir(dataDir);
  if (!bin) {
    say(`postgres: pg_ctl not found; stop pid ${running.pid} yourself`);
    return false;
  }
  const r = run(join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w'], {
    as: runAs(),
    capture: true,
    cwd: '/',
  });
  say(r.ok ? `postgres: stopped the local server on port ${running.port}` : `postgres: pg_ctl stop failed: ${r.stderr.trim()}`);
  return r.ok;
}

// ---------------------------------------------------------------------------------------
// The database named in the URL

const quoteIdent = (s) => `"${s.replace(/"/g, '""')}"`;
const quoteLiteral = (s) => `'${s.replace(/'/g, "''")}'`;

/** Runs `fn(sql)` on a one-connection client for `url` and always closes it. */
async function withSql(postgres, url, fn) {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {}, connection: { application_name: 'kino-bootstrap' } });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** The URL with another database (and optionally another, password-less user). */
function urlFor(target, database, user) {
  const u = new URL(target.url);
  u.pathname = `/${encodeURIComponent(database)}`;
  if (user) {
    u.username = encodeURIComponent(user);
    u.password = '';
  }
  return u.toString();
}

async function createDatabase(postgres, target, asUser) {
  for (const maintenance of ['postgres', 'template1']) {
    try {
      await withSql(postgres, urlFor(target, maintenance, asUser), (sql) => sql.unsafe(`create database ${quoteIdent(target.database)}`));
      return;
    } catch (err) {
      if (err.code === '42P04') return; // created concurrently by another bootstrap: fine
      if (err.code !== '3D000') throw err; // 3D000: no such maintenance db, try the next
    }
  }
}

/** Our own cluster only knows `postgres`; give the URL's user a superuser role in it. */
async function createRole(postgres, target) {
  const password = target.password ? ` password ${quoteLiteral(target.password)}` : '';
  await withSql(postgres, urlFor(target, 'postgres', PG_USER), (sql) =>
    sql.unsafe(`create role ${quoteIdent(target.user)} login superuser${password}`),
  );
  say(`postgres: created role "${target.user}" in the local cluster`);
}

/**
 * Debian's postgresql package starts a cluster that wants a password over TCP. When we have
 * just installed it for Kino (so it holds nothing yet), let local TCP connections in the way
 * our own cluster would (trust on loopback), and say so.
 */
function trustLoopbackOnFreshDebianCluster(target) {
  const psql = join(pgBinDir(null), 'psql');
  const q = (sqlText) =>
    run(psql, ['-X', '-p', String(target.port), '-d', 'postgres', '-Atc', sqlText], { as: PG_USER, capture: true, cwd: '/' });
  const hba = q('show hba_file');
  if (!hba.ok) return false;
  const file = hba.stdout.trim();
  const rules = [
    '# Added by Kino (scripts/bootstrap.mjs) after installing postgresql for local development:',
    'host all all 127.0.0.1/32 trust',
    'host all all ::1/128 trust',
    '',
  ].join('\n');
  writeFileSync(file, rules + readFileSync(file, 'utf8'));
  if (!q('select pg_reload_conf()').ok) return false;
  say(`postgres: allowed password-less connections from 127.0.0.1/::1 in ${file}`);
  return true;
}

const AUTH_ERRORS = new Set(['28P01', '28000']);

/** Connects with the URL as given; creates what is missing. Returns a status, or null on failure. */
async function ensureDatabase(target, { ownCluster = false, freshDebianCluster = false, report }) {
  let postgres;
  try {
    ({ default: postgres } = await import('postgres'));
  } catch {
    report.cannot(`postgres: cannot check database "${target.database}" (the postgres npm package is not installed)`, 'npm install');
    return null;
  }

  // Each missing piece (role, database, loopback access) is fixed at most once, then the
  // connection is retried; anything else is reported with what the server said.
  const fixed = new Set();
  for (;;) {
    let err;
    try {
      await withSql(postgres, target.url, (sql) => sql`select 1`);
      return fixed.has('database') ? `created database "${target.database}"` : `database "${target.database}" exists`;
    } catch (e) {
      err = e;
    }
    const roleMissing = err.code === '28000' && /role .* does not exist/.test(err.message);
    try {
      if (err.code === '3D000' && !fixed.has('database')) {
        fixed.add('database');
        await createDatabase(postgres, target, ownCluster ? PG_USER : undefined);
      } else if (roleMissing && ownCluster && !fixed.has('role')) {
        fixed.add('role');
        await createRole(postgres, target);
      } else if (AUTH_ERRORS.has(err.code) && freshDebianCluster && !fixed.has('auth')) {
        fixed.add('auth');
        if (!trustLoopbackOnFreshDebianCluster(target)) throw err;
      } else {
        throw err;
      }
    } catch (fatal) {
      const fix = AUTH_ERRORS.has(fatal.code)
        ? 'set DATABASE_URL with a user and password that this server accepts'
        : err.code === '3D000'
          ? `psql ${shown(urlFor(target, 'postgres'))} -c 'create database ${quoteIdent(target.database)}'`
          : `check the server at ${target.host}:${target.port}`;
      report.cannot(`postgres: cannot use ${shown(target.url)}: ${fatal.message}`, fix);
      return null;
    }
  }
}

// ---------------------------------------------------------------------------------------

/** Makes DATABASE_URL usable: a server answers there and its database exists. */
export async function ensurePostgres({ databaseUrl, kinoDir, root, report }) {
  const target = parseTarget(databaseUrl);
  const where = `${target.host}:${target.port}`;
  const dataDir = join(pgHome(kinoDir), 'data');
  const state = await probePostgres(target.host, target.port);

  if (state === 'answers') {
    const ours = existsSync(dataDir) && runningServer(dataDir)?.port === target.port;
    const status = await ensureDatabase(target, { ownCluster: ours, report });
    if (status) say(`postgres: answers at ${where}${ours ? ' (the local server in .kino/postgres)' : ''}; ${status}`);
    return;
  }
  if (state === 'other') {
    report.cannot(
      `postgres: ${where} is taken by something that is not Postgres`,
      `free port ${target.port}, or set DATABASE_URL to a Postgres server`,
    );
    return;
  }
  if (!isLocalHost(target.host)) {
    report.cannot(`postgres: nothing answers at ${where}`, 'start that server, or unset DATABASE_URL to use a local one');
    return;
  }

  say(`postgres: nothing answers at ${where}; starting a local server`);
  if (!pgBinDir(dataDir)) {
    const r = aptInstall(['postgresql'], { kinoDir, root });
    if (!r.ok) {
      report.cannot('postgres: the PostgreSQL server is not installed', r.fix);
      return;
    }
    // Debian's package may start its own cluster (on 5432) right away: if it took our port, use it.
    if ((await probePostgres(target.host, target.port)) === 'answers') {
      say(`postgres: the postgresql package started a cluster at ${where}; using it`);
      const status = await ensureDatabase(target, { freshDebianCluster: true, report });
      if (status) say(`postgres: ${status}`);
      return;
    }
  }
  if (!startLocalCluster(target, { kinoDir, root, report })) return;
  const status = await ensureDatabase(target, { ownCluster: true, report });
  if (status) say(`postgres: ${status}`);
}
