#!/usr/bin/env node
// Makes a fresh Debian machine (Node + npm only) ready for Kino, then runs a command in it:
//
//   node scripts/bootstrap.mjs [--need chromium] [--keep-going] [--no-services] -- <command...>
//   node scripts/bootstrap.mjs --stop        stop the Postgres/Redis it started under .kino/
//
// Steps: npm install when needed; ffmpeg/ffprobe (+ chromium on --need); Postgres at
// DATABASE_URL and Redis at REDIS_URL, started locally under .kino/ when nothing answers;
// then the command, with DATABASE_URL/REDIS_URL exported. Every step prints one `[kino]`
// line; what could not be done is summarised with the command that fixes it.
//
// Plain Node ESM with no npm dependencies: it runs before `npm install`.

import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, parseEnv } from 'node:util';
import { runCommand } from './lib/child.mjs';
import { Report, say } from './lib/log.mjs';
import { ensureNodeModules } from './lib/npm.mjs';
import { DEFAULT_DATABASE_URL, ensurePostgres, stopPostgres } from './lib/pg.mjs';
import { DEFAULT_REDIS_URL, ensureRedis, stopRedis } from './lib/redis.mjs';
import { ensureTools, OPTIONAL_TOOLS } from './lib/tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: node scripts/bootstrap.mjs [--need chromium] [--keep-going] [--no-services] -- <command...>
       node scripts/bootstrap.mjs --stop

  --need <tool>   also install an optional tool (${OPTIONAL_TOOLS.join(', ')}); repeatable
  --keep-going    run the command even if something could not be prepared
  --no-services   leave Postgres and Redis alone (a command that only talks to a running Kino)
  --stop          stop the local Postgres/Redis that the bootstrap started under .kino/
Without a command, prepares the machine and exits.`;

/** The bootstrap's own options, and the command: everything after `--`. */
function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      tokens: true,
      options: {
        need: { type: 'string', multiple: true, default: [] },
        'keep-going': { type: 'boolean', default: false },
        'no-services': { type: 'boolean', default: false },
        stop: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    fail(err.message);
  }
  const { values, tokens } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  // parseArgs takes words before `--` as positionals too; here they are a mistyped option.
  const end = tokens.find((t) => t.kind === 'option-terminator');
  const stray = tokens.find((t) => t.kind === 'positional' && (!end || t.index < end.index));
  if (stray) fail(`unknown argument "${stray.value}" (the command goes after --)`);
  const need = values.need.flatMap((v) => v.split(',')).filter(Boolean);
  for (const tool of need) {
    if (!OPTIONAL_TOOLS.includes(tool)) fail(`unknown --need "${tool}" (known: ${OPTIONAL_TOOLS.join(', ')})`);
  }
  return {
    need,
    keepGoing: values['keep-going'],
    services: !values['no-services'],
    stop: values.stop,
    command: end ? argv.slice(end.index + 1) : [],
  };
}

/** For display only: the command as one would type it in a shell. */
function shellQuote(arg) {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (!/["$`\\!]/.test(arg)) return `"${arg}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function fail(message) {
  say(message);
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

/**
 * The environment the command gets. Values from the shell win; a `.env` at the repo root
 * fills the gaps (so the URLs we check are the ones the app will read, even when the app
 * loads .env itself); the documented defaults fill the rest.
 */
function commandEnv() {
  const env = { ...process.env };
  const dotenv = join(root, '.env');
  if (existsSync(dotenv)) {
    for (const [key, value] of Object.entries(parseEnv(readFileSync(dotenv, 'utf8')))) {
      if (env[key] === undefined) env[key] = value;
    }
  }
  env.DATABASE_URL ||= DEFAULT_DATABASE_URL;
  env.REDIS_URL ||= DEFAULT_REDIS_URL;
  // The AWS SDK warns on every process start that its 2027 releases need Node 22; that is
  // recorded in docs/architecture.md, and repeating it in every test file's output hides
  // the warnings that matter. Set it to false to see it again.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ||= 'true';
  // Commands such as `vitest` resolve when the bootstrap is called directly, not via npm.
  const bin = join(root, 'node_modules', '.bin');
  const path = (env.PATH ?? '').split(delimiter);
  if (!path.includes(bin)) env.PATH = [bin, ...path].filter(Boolean).join(delimiter);
  return env;
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const env = commandEnv();
  // Same variable and default as packages/config, so the app and we agree on where state is.
  const kinoDir = resolve(root, env.KINO_DATA_DIR || '.kino');
  const ctx = { root, kinoDir, report: new Report() };

  if (opts.stop) {
    const pgStopped = stopPostgres(ctx);
    const redisStopped = await stopRedis(ctx);
    process.exit(pgStopped && redisStopped ? 0 : 1);
  }

  ensureNodeModules(root, ctx.report);
  ensureTools(['ffmpeg', ...opts.need], ctx);
  if (opts.services) {
    await ensurePostgres({ ...ctx, databaseUrl: env.DATABASE_URL });
    await ensureRedis({ ...ctx, redisUrl: env.REDIS_URL });
  }

  ctx.report.printSummary();
  if (!ctx.report.ok && !opts.keepGoing) {
    say('fix the above and re-run (or pass --keep-going to run the command anyway)');
    process.exit(1);
  }
  if (opts.command.length === 0) return;
  say(`running: ${opts.command.map(shellQuote).join(' ')}`);
  runCommand(opts.command, env);
}

main().catch((err) => {
  say(`bootstrap failed: ${err.stack ?? err}`);
  process.exit(1);
});
