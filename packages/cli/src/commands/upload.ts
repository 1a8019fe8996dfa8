import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { uploadFile } from '@kino/sdk/node';
import { type Command, Option } from 'commander';
import { ensureConfigDir } from '../config-store.ts';
import type { Context } from '../context.ts';
import { usageError } from '../errors.ts';
import { print, printJson, table } from '../output.ts';
import { createProgressBar } from '../progress.ts';
import { createResumeStore } from '../resume-store.ts';
import { WAIT_TARGETS, type WaitTarget, waitForAsset } from '../wait.ts';

export function uploadCommand(program: Command, ctx: Context): void {
  program
    .command('upload')
    .description('upload video files (resumable: run the same command again to finish a cut upload)')
    .argument('<files...>', 'the files to upload, one asset each')
    .option('--title <title>', 'the title of the asset(s) (default: the file name)')
    .addOption(
      new Option('--wait <until>', 'wait until each asset plays: its opener, or its whole HLS ladder').choices(Object.keys(WAIT_TARGETS)),
    )
    .option('--public', 'playable by anyone with its player page (playback_policy public; default signed)')
    .option('--json', 'print the asset as JSON (an array of them for several files)')
    .addHelpText(
      'after',
      '\nA progress bar (bytes, percent, speed, ETA) is drawn on stderr when it is a terminal.\n\n' +
        'Examples:\n  kino upload clip.mp4 --wait opener\n  kino upload a.mp4 b.mp4 --json | jq -r ".[].id"',
    )
    .action(async (files: string[], opts: { title?: string; wait?: WaitTarget; public?: boolean; json?: boolean }) => {
      const sizes = await Promise.all(files.map(fileSize));
      const { kino, login } = await ctx.client();
      await ensureConfigDir(ctx.configDir);
      const resume = createResumeStore(ctx.configDir, login.api_url);
      const terminal = Boolean(process.stderr.isTTY);
      const assets = [];
      for (const [i, file] of files.entries()) {
        const name = basename(file);
        const bar = terminal ? createProgressBar(process.stderr, name, sizes[i]!) : undefined;
        let asset = await uploadFile(kino, file, {
          title: opts.title ?? name,
          ...(opts.public && { playbackPolicy: 'public' as const }),
          resume,
          signal: ctx.signal,
          onProgress: (p) => bar?.update(p.sentBytes),
        });
        bar?.finish();
        if (opts.wait) {
          if (terminal) process.stderr.write(`Waiting for ${opts.wait === 'opener' ? 'the opener' : 'the HLS ladder'} of ${name}…\n`);
          asset = await waitForAsset(kino, asset.id!, opts.wait, { signal: ctx.signal });
        }
        assets.push(asset);
      }
      if (opts.json) return printJson(files.length === 1 ? assets[0] : assets);
      print(
        table(
          ['ID', 'TITLE', 'SOURCE', 'PLAYABLE'],
          assets.map((a) => [a.id, a.title, a.source_state, a.playable_state]),
        ),
      );
    });
}

async function fileSize(file: string): Promise<number> {
  const s = await stat(file).catch(() => undefined);
  if (!s?.isFile()) throw usageError(`Not a file: ${file}`);
  return s.size;
}
