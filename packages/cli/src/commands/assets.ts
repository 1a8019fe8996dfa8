import type { Asset } from '@kino/sdk';
import type { Command } from 'commander';
import type { Context } from '../context.ts';
import { usageError } from '../errors.ts';
import { formatBytes } from '../format.ts';
import { type Cell, fields, print, printJson, table } from '../output.ts';
import { confirm } from '../prompt.ts';
import { intOption } from './options.ts';

// ls, get, rm, play and analytics: one asset or a list of them.

/** Both axes of an asset's state: the SDK filters on the one a value belongs to. */
const STATES = ['not_playable', 'opener_ready', 'hls_ready', 'deleted', 'uploading', 'awaiting_upload', 'importing', 'uploaded', 'failed'];

const bytes = (n: number | null | undefined) => (typeof n === 'number' ? formatBytes(n) : null);

export function assetCommands(program: Command, ctx: Context): void {
  program
    .command('ls')
    .description('list assets, newest first')
    .option('--state <state>', `only assets in this state: ${STATES.join(', ')}`)
    .option('--limit <n>', 'assets per page (1-100)', intOption, 20)
    .option('--cursor <cursor>', 'the page after this cursor (printed as next_cursor)')
    .option('--all', 'every page')
    .option('--json', 'print { data, next_cursor } as JSON')
    .action(async (opts: { state?: string; limit: number; cursor?: string; all?: boolean; json?: boolean }) => {
      if (opts.state !== undefined && !STATES.includes(opts.state)) throw usageError(`--state must be one of: ${STATES.join(', ')}.`);
      const filter = opts.state === undefined ? {} : { state: opts.state };
      const { kino } = await ctx.client();
      let page: { data: Asset[]; next_cursor: string | null } = { data: [], next_cursor: null };
      if (opts.all) {
        for await (const a of kino.assets.iterate({ limit: opts.limit, ...filter })) page.data.push(a);
      } else {
        page = await kino.assets.list({ limit: opts.limit, ...(opts.cursor && { cursor: opts.cursor }), ...filter });
      }
      if (opts.json) return printJson(page);
      print(
        table(
          ['ID', 'TITLE', 'SOURCE', 'PLAYABLE', 'SIZE', 'CREATED'],
          page.data.map((a) => [a.id, a.title, a.source_state, a.playable_state, bytes(a.source?.bytes), a.created_at]),
        ),
      );
      if (page.next_cursor) print(`\nMore: kino ls --cursor ${page.next_cursor} (or --all)`);
    });

  program
    .command('get')
    .description('show one asset: its states, source, progress and renditions')
    .argument('<id>', 'the asset id')
    .option('--json', 'print the asset as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const { kino } = await ctx.client();
      const a = await kino.assets.get(id);
      if (opts.json) return printJson(a);
      const rows: [string, Cell][] = [
        ['ID', a.id],
        ['Title', a.title],
        ['Source', `${a.source_state}${a.source?.bytes != null ? `, ${bytes(a.source.bytes)}` : ''}`],
        ['Playable', a.playable_state],
        ['Policy', a.playback_policy],
        ['Progress', a.progress ? `${a.progress.job_state}${a.progress.step ? ` (${a.progress.step})` : ''}` : null],
        ['Error', a.error ? `${a.error.code}: ${a.error.message}` : null],
        ['Renditions', (a.renditions ?? []).map((r) => `${r.name} ${r.width}x${r.height}`).join(', ')],
        ['Created', a.created_at],
      ];
      if (a.deleted_at) rows.push(['Deleted', a.deleted_at]);
      print(fields(rows));
    });

  program
    .command('rm')
    .description('delete an asset everywhere: playback stops at once, its files are removed')
    .argument('<id>', 'the asset id')
    .option('-y, --yes', 'do not ask (required when stdin is not a terminal)')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { yes?: boolean; json?: boolean }) => {
      if (!opts.yes) {
        if (!process.stdin.isTTY) throw usageError('kino rm deletes for good: pass --yes when not asked on a terminal.');
        if (!(await confirm(`Delete asset ${id}?`))) return print('Kept.');
      }
      const { kino } = await ctx.client();
      await kino.assets.delete(id);
      if (opts.json) return printJson({ id, deleted: true });
      print(`Deleted ${id}.`);
    });

  program
    .command('play')
    .description('print a signed playback URL for an asset, and its player page')
    .argument('<id>', 'the asset id')
    .option('--ttl <seconds>', 'how long the signed URLs stay valid (the server caps it)', intOption)
    .option('--json', 'print the playback URLs as JSON')
    .addHelpText('after', '\nThe player page (/player/ID) answers only for assets whose playback_policy is public.')
    .action(async (id: string, opts: { ttl?: number; json?: boolean }) => {
      const { kino, login } = await ctx.client();
      const [p, asset] = await Promise.all([kino.playback.url(id, opts.ttl === undefined ? {} : { ttl: opts.ttl }), kino.assets.get(id)]);
      // The player page mints its own tokens, so it exists only for public assets.
      const player_url = asset.playback_policy === 'public' ? `${login.api_url}/player/${id}` : null;
      if (opts.json) return printJson({ ...p, player_url });
      print(p.url);
      print(
        fields([
          ['Player page', player_url ?? '(only for public assets: kino upload --public)'],
          ['Expires', p.expires_at],
        ]),
      );
    });

  program
    .command('analytics')
    .description("an asset's playback numbers (requests, bytes, cache) and quality of experience (startup, rebuffering, errors)")
    .argument('<id>', 'the asset id')
    .option('--json', 'print { playback, qoe } as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const { kino } = await ctx.client();
      const [playback, qoe] = await Promise.all([kino.analytics.playback(id), kino.analytics.qoe(id)]);
      if (opts.json) return printJson({ playback, qoe });
      const pct = (n: number | null | undefined) => (typeof n === 'number' ? `${(n * 100).toFixed(1)}%` : null);
      print(
        fields([
          ['Window', `${playback.window?.from} to ${playback.window?.to}`],
          ['Requests', playback.requests],
          ['Bytes', bytes(playback.bytes)],
          ['Cache hit ratio', pct(playback.hit_ratio)],
          ['Views (QoE)', qoe.views],
          ['Startup p50/p95', `${qoe.startup_ms?.p50 ?? '-'} / ${qoe.startup_ms?.p95 ?? '-'} ms`],
          ['Rebuffer ratio', pct(qoe.rebuffer_ratio)],
          ['Error rate', pct(qoe.error_rate)],
        ]),
      );
    });
}
