import type { KinoEventType } from '@kino/sdk';
import type { Command } from 'commander';
import type { Context } from '../context.ts';
import { fields, print, printJson, table } from '../output.ts';

export function webhooksCommands(program: Command, ctx: Context): void {
  const webhooks = program.command('webhooks').description("the account's webhook endpoints and their deliveries");
  const json = (c: Command) => c.option('--json', 'print the answer as JSON');

  json(webhooks.command('ls').description('the endpoints (never their secrets)')).action(async (opts: { json?: boolean }) => {
    const { kino } = await ctx.client();
    const list = await kino.webhooks.list();
    if (opts.json) return printJson({ data: list });
    print(
      table(
        ['ID', 'URL', 'EVENTS', 'ENABLED', 'FAILURES'],
        list.map((w) => [w.id, w.url, w.event_types?.join(',') || 'all', w.enabled, w.consecutive_failures]),
      ),
    );
  });

  json(
    webhooks
      .command('create')
      .description('add an endpoint; its signing secret is printed this once')
      .argument('<url>', 'where events are POSTed')
      .option('--event <type...>', 'only these event types (default: all)'),
  ).action(async (url: string, opts: { event?: string[]; json?: boolean }) => {
    const { kino } = await ctx.client();
    const w = await kino.webhooks.create({ url, ...(opts.event && { events: opts.event as KinoEventType[] }) });
    if (opts.json) return printJson(w);
    print(
      fields([
        ['ID', w.id],
        ['URL', w.url],
        ['Secret', w.secret],
      ]),
    );
    process.stderr.write('Store the secret now: it is not shown again.\n');
  });

  json(webhooks.command('rm').description('remove an endpoint').argument('<id>', 'the webhook id')).action(
    async (id: string, opts: { json?: boolean }) => {
      const { kino } = await ctx.client();
      await kino.webhooks.delete(id);
      if (opts.json) return printJson({ id, deleted: true });
      print(`Removed ${id}.`);
    },
  );

  json(webhooks.command('deliveries').description("an endpoint's deliveries, newest first").argument('<id>', 'the webhook id')).action(
    async (id: string, opts: { json?: boolean }) => {
      const { kino } = await ctx.client();
      const list = await kino.webhooks.deliveries(id);
      if (opts.json) return printJson(list);
      print(
        table(
          ['ID', 'EVENT', 'TYPE', 'STATE', 'ATTEMPTS', 'LAST STATUS', 'LAST ERROR'],
          (list.data ?? []).map((d) => [d.id, d.event_id, d.event_type, d.state, d.attempts, d.last_status, d.last_error]),
        ),
      );
    },
  );

  json(
    webhooks
      .command('redeliver')
      .description('send a delivery again')
      .argument('<id>', 'the webhook id')
      .argument('<delivery-id>', 'the delivery id (from kino webhooks deliveries)'),
  ).action(async (id: string, deliveryId: string, opts: { json?: boolean }) => {
    const { kino } = await ctx.client();
    const d = await kino.webhooks.redeliver(id, deliveryId);
    if (opts.json) return printJson(d);
    print(`Queued delivery ${d.id ?? deliveryId} again.`);
  });

  json(
    webhooks
      .command('rotate-secret')
      .description('a new signing secret, printed this once; the old one still signs for a while')
      .argument('<id>', 'the webhook id'),
  ).action(async (id: string, opts: { json?: boolean }) => {
    const { kino } = await ctx.client();
    const w = await kino.webhooks.rotateSecret(id);
    if (opts.json) return printJson(w);
    print(
      fields([
        ['Secret', w.secret],
        ['Old secret until', w.previous_secret_expires_at],
      ]),
    );
  });

  json(webhooks.command('enable').description('resume a disabled or paused endpoint').argument('<id>', 'the webhook id')).action(
    async (id: string, opts: { json?: boolean }) => {
      const { kino } = await ctx.client();
      const w = await kino.webhooks.enable(id);
      if (opts.json) return printJson(w);
      print(`Enabled ${id}.`);
    },
  );
}
