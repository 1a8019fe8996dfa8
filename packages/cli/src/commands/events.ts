import type { Command } from 'commander';
import type { Context } from '../context.ts';
import { usageError } from '../errors.ts';
import { print, printJson, printJsonLine, table } from '../output.ts';

// One asset's log (GET /v1/assets/{id}/events) or, with --follow, the account's live
// stream (SSE), which the SDK resumes after a drop without a gap or a duplicate.

type Event = { id?: number; type?: string; asset_id?: string | null; created_at?: string; data?: Record<string, unknown> };

/** A short reading of an event's data: its state, step, reason or error. */
const summary = (e: Event) => {
  const d = e.data ?? {};
  const err = d['error'] as { code?: string } | undefined;
  return [d['playable_state'], d['step'], d['reason'], err?.code].filter((x) => typeof x === 'string').join(' ');
};
const row = (e: Event) => [e.id, e.created_at, e.type, e.asset_id, summary(e)];
const HEADERS = ['ID', 'TIME', 'TYPE', 'ASSET', 'DETAIL'];

export function eventsCommand(program: Command, ctx: Context): void {
  program
    .command('events')
    .description("an asset's events (--asset), or the account's live events (--follow)")
    .option('--asset <id>', "only this asset's events")
    .option('--follow', 'keep printing events as they happen, until interrupted')
    .option('--since <event-id>', 'start after this event id (with --follow: replay what came after it)')
    .option('--json', 'print { data } as JSON; with --follow, one JSON event per line')
    .addHelpText(
      'after',
      '\nExamples:\n  kino events --asset ID\n  kino events --follow --json | jq -c "select(.type == \\"asset.hls_ready\\")"',
    )
    .action(async (opts: { asset?: string; follow?: boolean; since?: string; json?: boolean }) => {
      if (opts.since !== undefined && !/^\d+$/.test(opts.since)) throw usageError('--since takes an event id (a whole number).');
      if (!opts.follow && !opts.asset) throw usageError('kino events needs --asset ID, or --follow for the whole account.');
      const { kino } = await ctx.client();
      if (opts.follow) {
        if (!opts.json) print(HEADERS.join('  '));
        const stream = kino.events.stream({
          signal: ctx.signal,
          ...(opts.since !== undefined && { lastEventId: opts.since }),
          ...(opts.asset && { assetId: opts.asset }),
        });
        for await (const e of stream as AsyncIterable<Event>) {
          if (opts.json) printJsonLine(e);
          else
            print(
              row(e)
                .map((c) => c ?? '-')
                .join('  '),
            );
        }
        return;
      }
      const events: Event[] = [];
      for await (const e of kino.assets.events(opts.asset!, { after: Number(opts.since ?? 0), signal: ctx.signal })) events.push(e);
      if (opts.json) return printJson({ data: events });
      print(table(HEADERS, events.map(row)));
    });
}
