// `kino accounts …`: operators create, list, disable and re-plan accounts without a database
// shell. It talks to Postgres (DATABASE_URL) and Redis (REDIS_URL, to tell running api
// processes at once) with the same functions as the internal routes.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@kino/config';
import { createDb, getAccount, listAccounts, migrate, type Account } from '@kino/db';
import { createRedisBus } from '@kino/events';
import { ApiError } from '@kino/http';
import { changeAccount, openAccount } from '@kino/tenancy';

const USAGE = `usage: kino accounts <command> [options]

  create NAME [--plan PLAN] [--limit NAME=N …]
                                   a new account and its first key (printed once)
  list                             every account
  disable ID                       refuse every key of the account
  enable ID                        accept its keys again
  set ID [--plan PLAN] [--limit NAME=N …] [--clear-limits]
                                   move it to another plan; set some of its own limits
                                   (the others stay; --clear-limits drops them first)

  --json                           machine-readable output
  -h, --help                       this text

Reads DATABASE_URL and REDIS_URL like every role. Exit codes: 0 done, 1 refused
(unknown account, bad plan or limit), 2 usage error, 3 Postgres unreachable.`;

class UsageError extends Error {}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      args: process.argv.slice(3),
      allowPositionals: true,
      options: {
        plan: { type: 'string' },
        limit: { type: 'string', multiple: true },
        'clear-limits': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
})();

/** The account's own limits after `--limit` pairs (over `base`, unless cleared); undefined when none were asked for. */
function limitsOf(
  pairs: string[] | undefined,
  clear: boolean | undefined,
  base: Record<string, number>,
): Record<string, number> | undefined {
  if (!pairs && !clear) return undefined;
  const limits: Record<string, number> = clear ? {} : { ...base };
  for (const pair of pairs ?? []) {
    const m = /^([a-z_]+)=(\d+)$/.exec(pair);
    if (!m) throw new UsageError(`--limit takes NAME=N (a whole number), got "${pair}"`);
    limits[m[1]!] = Number(m[2]);
  }
  return limits;
}

function show(account: Account): string {
  const limits = Object.entries(account.limits).map(([k, v]) => `${k}=${v}`);
  const state = account.disabled_at ? `disabled since ${account.disabled_at.toISOString()}` : 'enabled';
  return `${account.id}  ${account.name}  plan=${account.plan}${limits.length ? ` (${limits.join(', ')})` : ''}  ${state}`;
}

async function main(): Promise<number> {
  const [command, arg] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  const sql = createDb(config.databaseUrl, { max: 2, applicationName: 'kino-accounts' });
  const bus = createRedisBus(config.redisUrl);
  const out = (human: string, json: unknown) => console.log(values.json ? JSON.stringify(json, null, 2) : human);
  try {
    await migrate(sql).catch((err: unknown) => {
      throw Object.assign(new Error(`Could not reach or migrate Postgres at DATABASE_URL: ${(err as Error).message}`), { exitCode: 3 });
    });
    const { plans } = config.tenancy;
    switch (command) {
      case 'create': {
        if (!arg) throw new UsageError('create needs a NAME');
        const limits = limitsOf(values.limit, false, {});
        const opened = await openAccount(sql, plans, { name: arg, plan: values.plan });
        const { key } = opened;
        const account = limits
          ? ((await changeAccount(sql, bus.redis, plans, opened.account.id, { limits })) ?? opened.account)
          : opened.account;
        out(`${show(account)}\nkey: ${key.key}\n(shown only now: store it)`, {
          account,
          key: { id: key.id, prefix: key.prefix, key: key.key },
        });
        return 0;
      }
      case 'list': {
        const accounts = await listAccounts(sql);
        out(accounts.map(show).join('\n') || '(no accounts)', accounts);
        return 0;
      }
      case 'disable':
      case 'enable':
      case 'set': {
        if (!arg) throw new UsageError(`${command} needs an account ID`);
        if (!/^[0-9a-f-]{36}$/i.test(arg)) throw new ApiError(404, 'NOT_FOUND', `No account ${arg}.`);
        const current = await getAccount(sql, arg);
        if (!current) throw new ApiError(404, 'NOT_FOUND', `No account ${arg}.`);
        const change =
          command === 'set'
            ? { plan: values.plan, limits: limitsOf(values.limit, values['clear-limits'], current.limits) }
            : { disabled: command === 'disable' };
        if (command === 'set' && change.plan === undefined && change.limits === undefined)
          throw new UsageError('set needs --plan, --limit or --clear-limits');
        const account = await changeAccount(sql, bus.redis, plans, arg, change);
        if (!account) throw new ApiError(404, 'NOT_FOUND', `No account ${arg}.`);
        out(show(account), account);
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    bus.close();
    await sql.end({ timeout: 5 });
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (err instanceof ApiError || err instanceof ConfigError) {
    console.error(err.message);
    process.exitCode = 1;
  } else {
    console.error((err as Error).message);
    process.exitCode = (err as { exitCode?: number }).exitCode ?? 1;
  }
}
