import type { Command } from 'commander';
import type { Context } from '../context.ts';
import { fields, print, printJson, table } from '../output.ts';

const SCOPES = ['full', 'upload', 'read', 'playback'];

export function keysCommands(program: Command, ctx: Context): void {
  const keys = program.command('keys').description("the account's API keys");

  keys
    .command('ls')
    .description('the live keys (their prefixes, never the keys)')
    .option('--json', 'print { data } as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { kino } = await ctx.client();
      const list = await kino.keys.list();
      if (opts.json) return printJson({ data: list });
      print(
        table(
          ['ID', 'NAME', 'PREFIX', 'SCOPES', 'EXPIRES', 'LAST USED'],
          list.map((k) => [k.id, k.name, k.prefix, k.scopes.join(','), k.expires_at, k.last_used_at]),
        ),
      );
    });

  keys
    .command('create')
    .description('a new key, printed this once (only its hash is kept)')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--scope <scope...>', `what it may do: ${SCOPES.join(', ')} (default full)`)
    .option('--expires-at <time>', 'when it stops working (RFC 3339)')
    .option('--json', 'print the key and its details as JSON')
    .action(async (opts: { name: string; scope?: string[]; expiresAt?: string; json?: boolean }) => {
      const { kino } = await ctx.client();
      const k = await kino.keys.create({
        name: opts.name,
        ...(opts.scope && { scopes: opts.scope as never }),
        ...(opts.expiresAt && { expires_at: opts.expiresAt }),
      });
      if (opts.json) return printJson(k);
      print(k.key);
      print(
        fields([
          ['ID', k.id],
          ['Scopes', k.scopes.join(',')],
          ['Expires', k.expires_at],
        ]),
        process.stderr,
      );
      process.stderr.write('Store the key now: it is not shown again.\n');
    });

  keys
    .command('revoke')
    .description('refuse a key from now on (its open event streams end too)')
    .argument('<id>', 'the key id (from kino keys ls)')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const { kino } = await ctx.client();
      await kino.keys.revoke(id);
      if (opts.json) return printJson({ id, revoked: true });
      print(`Revoked ${id}.`);
    });
}
